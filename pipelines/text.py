"""Tokenising helpers shared by the rules, the aligner and the engines.

Every span is a (start, end) pair of Python str indices into the original text.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:['\u2019][A-Za-z\u00C0-\u024F]+)*")
# A sentence ends at . ! ? (with closing quotes/brackets) followed by space, or at a blank line.
_SENTENCE_END = re.compile(r"(?<=[.!?\"'\u201d\u2019)\]])\s+|\n\s*\n")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "fig", "no", "approx",
    "a.m", "p.m", "u.s", "u.k", "e.u", "u.n", "inc", "ltd", "cf", "al", "mt", "dept", "vol", "ca",
}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans of sentences, stripped of surrounding whitespace; never empty spans."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start : m.start()].rstrip()
        if before and before[-1] in "\"'\u201d\u2019)]" and before.rstrip("\"'\u201d\u2019)]")[-1:] not in (".", "!", "?"):
            continue
        last_word = before.rsplit(None, 1)[-1].rstrip(".").lstrip("([\"'").lower() if before.strip() else ""
        if m.group().strip() == "" and "\n\n" not in m.group() and last_word in _ABBREVIATIONS:
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        if m.group().strip():
            out.append(m.span())
    return out
