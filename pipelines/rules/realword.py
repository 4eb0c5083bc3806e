"""Real words in the wrong place, decided by their neighbours: "use there idea" -> "their idea",
"to safe the environment" -> "to save", "the adds" -> "the ads".

A listed word is swapped for its look-alike only when neither it nor its neighbours have another
fix, and English text (the bigram counts that rank spelling candidates) has the look-alike next
to both neighbours far more often than the written word: `RATIO` times when the written word is
next to neither, `ONE_SIDE_RATIO` times when it is next to one of them (its missing pair is then
taken as `UNSEEN`: the list leaves out pairs rarer than 6.4 million, so "was there left" is not
"their left"); or the written word is next to neither neighbour and the look-alike next to one of
them at least `ONE_SIDE_COUNT` times ("heart decease" -> "heart disease").
"""

from __future__ import annotations

import bisect

from pipelines.rules.checker import P_GRAMMAR, Checker
from pipelines.rules.words import GRAMMAR as G

RATIO = 1000
ONE_SIDE_COUNT = 1_000_000  # or: the written word is never beside either neighbour, the look-alike this often beside one
UNSEEN = 3_200_000  # the bigram list keeps pairs seen 6.4 million times or more: a missing one may still be common
ONE_SIDE_RATIO = 30  # when the written word is at home on one side and that missing pair is taken as UNSEEN


def _touched(c: Checker) -> set[int]:
    out: set[int] = set()
    for x in c.cands:
        k = bisect.bisect_right(c.starts, x.offset) - 1
        while 0 <= k < len(c.toks) and c.toks[k][0] < x.offset + max(x.length, 1):
            out.add(k)
            k += 1
    return out


def check(c: Checker) -> None:
    from pipelines.rules.spelling import bigrams

    pairs = bigrams()
    eff = c.eff
    touched: set[int] | None = None  # tokens with a fix of their own, found when first needed
    listed = G.confused_words
    for i in [k for k, w in enumerate(eff) if w in listed]:
        word = eff[i]
        if not (0 < i < len(eff) - 1 and c.linked(i - 1) and c.linked(i)) or c.protected(i):
            continue
        prev, nxt = eff[i - 1], eff[i + 1]
        if not (prev.isalpha() and nxt.isalpha()) or i in c.first_of_sentence or i + 1 in c.first_of_sentence:
            continue
        before, after = pairs.get(f"{prev} {word}", 0), pairs.get(f"{word} {nxt}", 0)
        if before and after:
            continue  # the written word is at home here
        if before or after:  # at home on one side: the pair missing on the other is rarer than the list's floor, not unseen
            written, ratio = (before or UNSEEN) * (after or UNSEEN), ONE_SIDE_RATIO
        else:
            written, ratio = 1, RATIO
        for alt in G.confused_words[word]:
            alt_before, alt_after = pairs.get(f"{prev} {alt}", 0), pairs.get(f"{alt} {nxt}", 0)
            both = alt_before and alt_after and alt_before * alt_after > ratio * written
            if both or (before == after == 0 and max(alt_before, alt_after) >= ONE_SIDE_COUNT):
                if touched is None:
                    touched = _touched(c)
                if touched & {i - 1, i, i + 1}:
                    break  # a neighbour with a fix of its own is no evidence
                c.tok_edit(i, alt, f"Did you mean '{{repl}}'? '{c.toks[i][2]}' does not fit between '{c.toks[i - 1][2]}' and '{c.toks[i + 1][2]}'.", "CONFUSED_WORDS", P_GRAMMAR - 1)
                break
