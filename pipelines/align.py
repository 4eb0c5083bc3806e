"""Edit alignment: a model's corrected text -> offset-anchored edits on the input.

Models (T5, Gemini) return whole texts, never trustworthy offsets. This diffs the
input and the model's text token by token and yields the smallest edits whose
application reproduces the model's text exactly.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from pipelines.edits import Edit

# Words (with inner apostrophes), runs of whitespace, or any single other character.
_TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*|\s+|[^\w\s]", re.UNICODE)
# A token diff costs about len(a) * len(b) when tokens repeat (spaces, "the", ","), so
# long texts are diffed sentence by sentence first, then token by token where they differ.
_DIRECT_LIMIT = 400 * 400
_SENTENCE_END = frozenset(".!?")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _sentences(tokens: list[str]) -> list[int]:
    """Token indexes where sentences start (after . ! ? and a space, or a line break), plus the end."""
    bounds = [0]
    for i, token in enumerate(tokens):
        if token.isspace() and ("\n" in token or (i and tokens[i - 1] in _SENTENCE_END)):
            bounds.append(i + 1)
    if bounds[-1] != len(tokens):
        bounds.append(len(tokens))
    return bounds


def _changes(a: list[str], b: list[str], by_sentence: bool = True) -> list[tuple[int, int, int, int]]:
    """Token ranges (i1, i2, j1, j2) where `a` and `b` differ, in order."""
    small = len(a) * len(b) <= _DIRECT_LIMIT
    sa, sb = ([], []) if small or not by_sentence else (_sentences(a), _sentences(b))
    if len(sa) <= 2 and len(sb) <= 2:
        # Small, or one long block: a direct diff, letting difflib skip popular tokens when long.
        matcher = SequenceMatcher(None, a, b, autojunk=not small)
        return [(i1, i2, j1, j2) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]
    keys_a = ["".join(a[sa[k] : sa[k + 1]]) for k in range(len(sa) - 1)]
    keys_b = ["".join(b[sb[k] : sb[k + 1]]) for k in range(len(sb) - 1)]
    out = []
    for op, k1, k2, l1, l2 in SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        i0, j0 = sa[k1], sb[l1]
        inner = _changes(a[i0 : sa[k2]], b[j0 : sb[l2]], by_sentence=False)
        out += [(i1 + i0, i2 + i0, j1 + j0, j2 + j0) for i1, i2, j1, j2 in inner]
    return out


def align(source: str, target: str, engine: str) -> list[Edit]:
    """Edits on `source` that turn it into `target`; `apply_edits(source, ...) == target`.

    Every edit has length >= 1 (LanguageTool cannot express an insertion), so a pure
    insertion is anchored to the token before it (or after it at the very start).
    """
    if source == target:
        return []
    a, b = _tokens(source), _tokens(target)
    if not a:
        return [_edit(source, 0, 0, target, engine)]
    starts = [0]
    for token in a:
        starts.append(starts[-1] + len(token))
    # Token ranges (i1, i2, j1, j2) that differ. An insertion borrows the equal token
    # before it (or after it, at the very start): equal tokens map one to one, so
    # a[i1-1] == b[j1-1] and a[i2] == b[j2], and the ranges stay consistent.
    ranges: list[list[int]] = []
    for i1, i2, j1, j2 in _changes(a, b):
        if i1 == i2:
            if i1 > 0:
                i1, j1 = i1 - 1, j1 - 1
            else:
                i2, j2 = i2 + 1, j2 + 1
        if ranges and ranges[-1][1] > i1:  # two insertions borrowed the same token
            last = ranges[-1]
            last[1], last[3] = max(last[1], i2), max(last[3], j2)
        else:
            ranges.append([i1, i2, j1, j2])
    return [_edit(source, starts[i1], starts[i2], "".join(b[j1:j2]), engine) for i1, i2, j1, j2 in ranges]


def _edit(source: str, start: int, end: int, replacement: str, engine: str) -> Edit:
    original = source[start:end]
    category = "spelling" if _is_spelling(original, replacement) else "grammar"
    return Edit(start, end - start, original, replacement, category, _message(original, replacement, category), f"{engine.upper()}_{category.upper()}", engine)


def _is_spelling(original: str, replacement: str) -> bool:
    """One word for one word, close in letters, not a change of case only."""
    if not (original.isalpha() and replacement.isalpha()) or original.lower() == replacement.lower():
        return False
    return SequenceMatcher(None, original.lower(), replacement.lower()).ratio() >= 0.75 and len(original) > 3


def _message(original: str, replacement: str, category: str) -> str:
    if category == "spelling":
        return f"Possible spelling mistake: did you mean \u201c{replacement}\u201d?"
    if not replacement.strip() and original.strip():
        return f"Remove \u201c{original.strip()}\u201d."
    if not original.strip() and replacement.strip():
        return f"Insert \u201c{replacement.strip()}\u201d."
    if not original.strip() and not replacement.strip():
        return "Adjust the spacing."
    return f"Consider \u201c{replacement}\u201d instead of \u201c{original}\u201d."
