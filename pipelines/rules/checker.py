"""The checker's plumbing: tokens, protected spans (code, links), candidate edits and their resolution.

Rules add candidates with `Checker.add` / `Checker.tok_edit`; `resolve` keeps the
highest-priority replacement edits that do not overlap. Hints (no replacement) are kept
apart and may overlap anything.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from pipelines.text import WORD, sentence_spans
from pipelines.vocabulary import Task

# Priorities decide which of two overlapping replacement edits survives.
P_GRAMMAR = 90
P_SPELL_MAP = 85
P_SPELL = 80
P_REPEAT = 70
P_PUNCT = 60
P_CASE = 50
P_TONE = 20
P_CONCISION = 10

_STRICT_PROTECTED = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(`+)[^`\n]+\1"
    r"|(?<![\w@#])[@#][\w-]+",
)
_LOOSE_PROTECTED = re.compile(r"\b\w+(?:[./\\]\w+)+\b|\b\w*_\w*\b|\b\w*\d\w*\b")


def match_case(original: str, replacement: str) -> str:
    """Give `replacement` the capitalisation (and apostrophe style) of `original`."""
    if not replacement:
        return replacement
    if "\u2019" in original:
        replacement = replacement.replace("'", "\u2019")
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters) and original.lower() not in ("im", "i'm", "i\u2019m"):
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def norm(word: str) -> str:
    return word.lower().replace("\u2019", "'")


@dataclass(slots=True)
class Cand:
    offset: int
    length: int
    replacement: str | None
    category: str
    message: str
    rule: str
    priority: int = 0


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int  # str offsets
    end: int
    a: int  # token range [a, b)
    b: int


class Checker:
    """One text being checked: its tokens, what is protected, and the candidate edits so far."""

    def __init__(self, text: str, tasks: frozenset[str], language: str):
        self.text, self.tasks, self.language = text, tasks, language
        self.cands: list[Cand] = []
        self.hints: list[Cand] = []
        n = len(text)
        self.strict = bytearray(n + 1)
        self.loose = bytearray(n + 1)
        for m in _STRICT_PROTECTED.finditer(text):
            s, e = m.span()
            self.strict[s:e] = b"\x01" * (e - s)
            self.loose[s:e] = b"\x01" * (e - s)
        for m in _LOOSE_PROTECTED.finditer(text):
            s, e = m.span()
            self.loose[s:e] = b"\x01" * (e - s)
        self.toks = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
        self.low = [w.lower().replace("\u2019", "'") for _, _, w in self.toks]
        self.eff = list(self.low)  # lower-case words after spelling correction
        self.starts = [t[0] for t in self.toks]
        self.links = [bool(gap) and gap.isspace() for gap in (text[x[1] : y[0]] for x, y in zip(self.toks, self.toks[1:]))]
        self.sentences = [
            Sentence(s, e, bisect.bisect_left(self.starts, s), bisect.bisect_left(self.starts, e)) for s, e in sentence_spans(text)
        ]
        self.first_of_sentence = {s.a for s in self.sentences if s.a < s.b}

    def add(self, offset: int, length: int, replacement: str | None, category: str, message: str, rule: str, priority: int) -> None:
        if category not in self.tasks:
            return
        cand = Cand(offset, length, replacement, str(category), message, rule, priority)
        (self.hints if replacement is None else self.cands).append(cand)

    def tok_edit(self, i: int, replacement: str, message: str, rule: str, priority: int = P_GRAMMAR) -> None:
        """A grammar fix replacing token i; `message` may name {word} and {repl}."""
        s, e, word = self.toks[i]
        repl = match_case(word, replacement)
        if repl != word:
            self.add(s, e - s, repl, Task.GRAMMAR, message.format(word=word, repl=repl), rule, priority)

    def tok_drop(self, i: int, message: str, rule: str) -> None:
        """A grammar fix deleting token i and the space after it."""
        s, e = self.toks[i][0], self.toks[i + 1][0]
        self.add(s, e - s, "", Task.GRAMMAR, message, rule, P_GRAMMAR)

    def linked(self, i: int) -> bool:
        """Token i and token i+1 are separated by whitespace only (same phrase)."""
        return 0 <= i < len(self.links) and self.links[i]

    def hyphenated(self, i: int) -> bool:
        s, e, _ = self.toks[i]
        return (e < len(self.text) and self.text[e] == "-") or (s > 0 and self.text[s - 1] == "-")

    def protected(self, i: int) -> bool:
        return bool(self.loose[self.toks[i][0]])

    def word_at(self, k: int) -> str | None:
        return self.eff[k] if 0 <= k < len(self.eff) else None

    def ends_after(self, i: int) -> bool:
        """Token i is followed by sentence punctuation or the end of the text."""
        rest = self.text[self.toks[i][1] : self.toks[i][1] + 2]
        return rest == "" or rest[0] in ".!?,;:"

    def resolve(self) -> list[Cand]:
        """Keep the highest-priority replacement edits that do not overlap or share a start."""
        starts: list[int] = []
        ends: list[int] = []
        kept: list[Cand] = []
        for c in sorted(self.cands, key=lambda c: (-c.priority, c.offset, c.length)):
            s, e = c.offset, c.offset + c.length
            k = bisect.bisect_right(starts, s)
            if (k and (ends[k - 1] > s or starts[k - 1] == s)) or (k < len(starts) and starts[k] < e):
                continue
            starts.insert(k, s)
            ends.insert(k, e)
            kept.append(c)
        return kept
