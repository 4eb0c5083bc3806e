"""The rule engine on JFLEG (learner English with four fluent corrections per sentence).

Each PTB-tokenised source sentence is detokenised, checked as `/v2/check` checks it
(language en-US, default level: grammar and spelling, first replacement of each match),
re-tokenised and scored with GLEU against the four references. The source goes through
the same round trip without edits, so only the engine's edits differ between the two
scores. False alarms: the share of `dev.ref0` sentences (fluent, human-corrected) that
get any default-level match; of those, how many make only changes that another reference of
the same sentence made (a mistake that annotator left and another fixed). Misses: source→reference differences (against `dev.ref0`)
the engine left, counted by error family. Where the set has `dev.spellchecked.src` (the
source after the enchant spell checker), it is scored too, with the source's round trip, as
the plain spell-checker baseline the engine should beat.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from pathlib import Path

from pipelines import rules
from pipelines.edits import apply_edits
from pipelines.gleu import gleu
from pipelines.rules.spelling import is_known
from pipelines.rules.words import GRAMMAR
from pipelines.vocabulary import CORRECTION_TASKS

_NO_SPACE_BEFORE = re.compile(r" (?=[,.!?;:%)\]}]|n't\b|'(?:s|re|ve|ll|d|m)\b|'' ?)")
_TOKEN = re.compile(r"n't\b|'(?:s|re|ve|ll|d|m)\b|[A-Za-z0-9]+(?=n't\b)|[\w\u00C0-\u024F]+(?:[-/:][\w]+)*|\.{2,}|\S", re.IGNORECASE)
_ARTICLES = frozenset({"a", "an", "the"})
_BE_HAVE_DO = frozenset({"is", "are", "was", "were", "be", "been", "am", "has", "have", "had", "does", "do", "did"})


def detokenise(line: str) -> str:
    text = line.strip().replace("`` ", '"').replace(" ''", '"').replace("-LRB- ", "(").replace(" -RRB-", ")")
    text = _NO_SPACE_BEFORE.sub("", text)
    return re.sub(r"\( ", "(", text)


def tokenise(text: str) -> list[str]:
    return _TOKEN.findall(text.replace('"', " \" "))


def correct(text: str) -> str:
    """What a LanguageTool client gets by applying the first suggestion of every default-level match."""
    return apply_edits(text, rules.check(text, CORRECTION_TASKS, "en-US"))


def family(before: list[str], after: list[str]) -> str:
    """The error family of one source -> reference difference."""
    b, a = [w.lower() for w in before], [w.lower() for w in after]
    if b == a:
        return "capitalisation"
    if all(not w[0].isalnum() for w in b + a):
        return "punctuation"
    if set(b) | set(a) <= _ARTICLES:
        return "article"
    if set(b) | set(a) <= GRAMMAR.after_verb | _ARTICLES and (set(b) | set(a)) - _ARTICLES:
        return "preposition"
    if len(b) == 1 and len(a) == 1:
        x, y = b[0], a[0]
        if x.isalpha() and not is_known(x, "en-US"):
            return "spelling"
        if x in _BE_HAVE_DO and y in _BE_HAVE_DO or x.rstrip("s") == y.rstrip("s") and x[:3] == y[:3] and (x.endswith("s") or y.endswith("s")):
            return "agreement / number"
        if x[:3] == y[:3]:
            return "word form (tense, derivation)"
        return "word choice"
    if not b:
        return "missing word"
    if not a:
        return "unnecessary word"
    return "rephrasing"


def _differences(src: list[str], ref: list[str]):
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=src, b=ref, autojunk=False).get_opcodes():
        if op != "equal":
            yield src[i1:i2], ref[j1:j2]


def _contains(seq: list[str], part: list[str]) -> bool:
    return any(seq[k : k + len(part)] == part for k in range(len(seq) - len(part) + 1))


def _made_by_another(text: str, edit, others: list[list[str]]) -> bool:
    """Does another reference of the same sentence make the change `edit` makes to `dev.ref0`?
    Each changed span, with one neighbour on each side, is in that reference; or, for changed
    words, the words written are and the words replaced are not ("experinces" -> "experiences"
    where that annotator also rephrased around it)."""
    before = [w.lower() for w in tokenise(text)]
    after = [w.lower() for w in tokenise(apply_edits(text, [edit]))]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        window, written, replaced = after[max(0, j1 - 1) : j2 + 1], after[j1:j2], before[i1:i2]
        if not any(
            _contains(ref, window) or (written and all(w.isalpha() for w in written) and _contains(ref, written) and not _contains(ref, replaced))
            for ref in others
        ):
            return False
    return True


def evaluate(directory: str | Path, split: str = "dev") -> dict:
    root = Path(directory)
    raw = (root / f"{split}.src").read_text(encoding="utf-8").splitlines()
    refs_raw = [(root / f"{split}.ref{k}").read_text(encoding="utf-8").splitlines() for k in range(4)]
    texts = [detokenise(line) for line in raw]
    fixed = [correct(t) for t in texts]
    sources = [tokenise(t) for t in texts]
    hyps = [tokenise(t) for t in fixed]
    refs = [[line.split() for line in ref] for ref in refs_raw]
    alarms = []
    for i, line in enumerate(refs_raw[0]):
        text = detokenise(line)
        edits = [e for e in rules.check(text, CORRECTION_TASKS, "en-US")]
        if edits:
            others = [[w.lower() for w in refs[k][i]] for k in range(1, len(refs))]
            alarms.append((text, [(e.original, e.replacement, e.rule, _made_by_another(text, e, others)) for e in edits]))
    spellchecked = root / f"{split}.spellchecked.src"
    baseline = None
    if spellchecked.exists():
        checked = [tokenise(detokenise(line)) for line in spellchecked.read_text(encoding="utf-8").splitlines()]
        baseline = gleu(checked, sources, refs)
    misses: Counter = Counter()
    examples: dict[str, tuple] = {}
    for src, hyp, ref in zip(sources, hyps, refs[0]):
        fixed_now = set(map(lambda d: (tuple(d[0]), tuple(d[1])), _differences(src, hyp)))
        for before, after in _differences(src, ref):
            if (tuple(before), tuple(after)) not in fixed_now:
                name = family(before, after)
                misses[name] += 1
                examples.setdefault(name, (" ".join(before), " ".join(after)))
    return {
        "sentences": len(texts),
        "gleu_raw_source": gleu([line.split() for line in raw], [line.split() for line in raw], refs),
        "gleu_source": gleu(sources, sources, refs),
        "gleu_spellchecked": baseline,
        "gleu_engine": gleu(hyps, sources, refs),
        "changed": sum(1 for t, f in zip(texts, fixed) if t != f),
        "false_alarms": alarms,
        "false_alarm_share": len(alarms) / len(refs_raw[0]),
        "false_alarms_another_reference_made": sum(1 for _, edits in alarms if all(e[3] for e in edits)),
        "misses": misses.most_common(10),
        "miss_examples": examples,
    }
