"""GLEU for grammatical error correction, the multi-reference version used by JFLEG.

Napoles, Sakaguchi, Post and Tetreault (2015; updated 2016 for several references).
For each sentence and a chosen reference, the n-gram precision (n = 1..4) counts the
hypothesis n-grams found in the reference, minus those kept from the source that the
reference changed; counts are summed over the corpus, a brevity penalty is applied, and
the corpus score is averaged over `iterations` random choices of one reference per
sentence (seeded as the reference implementation does, so figures are reproducible).
"""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter
from typing import Sequence

import numpy as np

ORDER = 4
Tokens = Sequence[str]


def ngrams(tokens: Tokens, n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) + 1 - n))


def sentence_stats(hyp: Tokens, src: Tokens, ref: Tokens) -> list[int]:
    """[hyp length, ref length, then per n: (matches - penalised source n-grams, hyp n-grams)]."""
    stats = [len(hyp), len(ref)]
    for n in range(1, ORDER + 1):
        h, s, r = ngrams(hyp, n), ngrams(src, n), ngrams(ref, n)
        changed_by_ref = Counter({g: c for g, c in s.items() if g not in r})  # source n-grams the reference dropped
        stats.append(max(sum((h & r).values()) - sum((h & changed_by_ref).values()), 0))
        stats.append(max(len(hyp) + 1 - n, 0))
    return stats


def corpus_gleu(stats: Sequence[int]) -> float:
    if any(s == 0 for s in stats):
        return 0.0
    hyp_len, ref_len = stats[:2]
    log_precision = sum(math.log(m / t) for m, t in zip(stats[2::2], stats[3::2])) / ORDER
    return math.exp(min(0.0, 1 - ref_len / hyp_len) + log_precision)


def gleu(hypotheses: Sequence[Tokens], sources: Sequence[Tokens], references: Sequence[Sequence[Tokens]], iterations: int = 500) -> tuple[float, float]:
    """(mean, standard deviation) of corpus GLEU over random reference choices, in percent.

    `references[k]` is the k-th reference set, aligned with `sources`.
    """
    if not (len(hypotheses) == len(sources) and all(len(r) == len(sources) for r in references)):
        raise ValueError("hypotheses, sources and every reference set must have the same number of sentences")
    stats = np.array([[sentence_stats(h, s, ref[i]) for i, (h, s) in enumerate(zip(hypotheses, sources))] for ref in references])
    rows = np.arange(len(hypotheses))
    scores = []
    for j in range(iterations):
        random.seed(j * 101)
        choice = [random.randint(0, len(references) - 1) for _ in hypotheses]
        scores.append(corpus_gleu(stats[choice, rows].sum(axis=0).tolist()))
    return 100 * statistics.fmean(scores), 100 * statistics.pstdev(scores)
