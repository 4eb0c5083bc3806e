"""Style hints: long sentences and passive voice (clarity), wordy phrases (concision), informal words (tone)."""

from __future__ import annotations

import re

from pipelines.rules.checker import P_CONCISION, P_TONE, Checker, Sentence, match_case
from pipelines.rules.words import GRAMMAR as G
from pipelines.rules.words import STYLE as S
from pipelines.vocabulary import Task

LONG_SENTENCE_WORDS = 30
WORDY_RE = re.compile(  # for `rewrite`
    r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(S.wordy, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_WORDY_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}  # longest phrase first, as a regex alternation would try them
for _phrase in sorted(S.wordy, key=len, reverse=True):
    _WORDY_BY_FIRST.setdefault(_phrase.split()[0], []).append(tuple(_phrase.split()))


def long_sentence(c: Checker, sent: Sentence) -> None:
    words = sent.b - sent.a
    if words > LONG_SENTENCE_WORDS:
        message = f"This sentence has {words} words. Consider splitting it; sentences over {LONG_SENTENCE_WORDS} words are hard to follow."
        c.add(sent.start, sent.end - sent.start, None, Task.CLARITY, message, "TOO_LONG_SENTENCE", 0)


def passive(c: Checker, sent: Sentence) -> None:
    """be + (adverbs) + past participle."""
    eff, a, b = c.eff, sent.a, sent.b
    for i in range(a, b):
        if eff[i] not in G.be:
            continue
        j = i + 1
        while j < b and j - i <= 3 and c.linked(j - 1) and (eff[j] in S.passive_adverbs or (eff[j].endswith("ly") and len(eff[j]) > 4)):
            j += 1
        if j >= b or not c.linked(j - 1) or eff[j] in S.not_passive or c.hyphenated(j):
            continue
        w = eff[j]
        if (w.endswith("ed") and len(w) > 4) or w in S.irregular_pp:
            if w in ("read", "run", "put", "set", "cut", "hit", "shut") and (j + 1 >= b or eff[j + 1] != "by"):
                continue
            s, e = c.toks[i][0], c.toks[j][1]
            c.add(s, e - s, None, Task.CLARITY, f"'{c.text[s:e]}' is passive voice. The active voice is often clearer and shorter.", "PASSIVE_VOICE", 0)


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def wordy(c: Checker) -> None:
    """Wordy phrases ("in order to", "due to the fact that"), matched word by word."""
    low, toks, n = c.low, c.toks, len(c.toks)
    i = 0
    while i < n:
        found = None
        for words in _WORDY_BY_FIRST.get(low[i], ()):
            k = len(words)
            if i + k <= n and tuple(low[i : i + k]) == words and all(c.linked(j) for j in range(i, i + k - 1)):
                found = k
                break
        s, e = toks[i][0], toks[i + found - 1][1] if found else 0
        glued = found and ((s and _word_char(c.text[s - 1])) or (e < len(c.text) and _word_char(c.text[e])))
        if found is None or glued or c.strict[s]:
            i += 1 if found is None or glued else found
            continue
        phrase = " ".join(t[2] for t in toks[i : i + found])
        repl = match_case(phrase, S.wordy[phrase.lower()])
        c.add(s, e - s, repl, Task.CONCISION, f"'{phrase}' is wordy. Consider '{repl}'.", "WORDY_PHRASE", P_CONCISION)
        i += found


def tone(c: Checker) -> None:
    for i, (s, e, word) in enumerate(c.toks):
        low = c.low[i]
        if low not in S.informal or c.protected(i):
            continue
        if low == "u" and (word != "u" or c.hyphenated(i) or (e < len(c.text) and c.text[e] == ".")):
            continue
        repl = S.informal[low]
        if repl is None:
            c.add(s, e - s, None, Task.TONE, f"'{word}' is informal. Consider a more formal word.", "INFORMAL_LANGUAGE", 0)
        else:
            repl = match_case(word, repl)
            c.add(s, e - s, repl, Task.TONE, f"'{word}' is informal. Consider '{repl}'.", "INFORMAL_LANGUAGE", P_TONE)
