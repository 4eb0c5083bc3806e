"""The full stop at the end of a paragraph: "We must trust ourselves" -> "We must trust ourselves.".

Only a line of prose gets one: a sentence of several words that starts with a letter, ends
with a lower-case word at the end of its line, and is no heading (most words capitalised),
list item, question, code or greeting. The stop is added after resolution (like the capital
at a sentence start), merged into an edit on the last word when there is one, so a misspelt
last word gets both its correction and the stop.
"""

from __future__ import annotations

import re

from pipelines.rules.checker import P_PUNCT, Cand, Checker
from pipelines.vocabulary import Task

MIN_WORDS = 5  # shorter lines are often titles, list items, greetings or signatures
_QUESTION_STARTS = frozenset(
    "who whom whose what when where why how which do does did is are am was were can could would will shall should may might must "
    "have has had isn't aren't wasn't weren't don't doesn't didn't can't couldn't won't wouldn't shouldn't haven't hasn't".split()
)
_NOT_LAST = frozenset({"and", "or", "but", "the", "a", "an", "of", "to", "with", "for", "because", "etc", "e", "g", "i", "vs"})
_PROSE_END = re.compile(r"[a-z]")


def _prose_line(c: Checker, s: int, e: int, a: int, b: int) -> bool:
    """Is the sentence at text[s:e] (tokens a..b) the last of its line and plain prose without a stop?"""
    text = c.text
    if b - a < MIN_WORDS or not _PROSE_END.match(text[e - 1]) or "\n" in text[s:e]:
        return False
    line_end = text.find("\n", e)
    if text[e : line_end if line_end >= 0 else len(text)].strip():
        return False  # something follows on the same line
    line_start = text.rfind("\n", 0, s) + 1
    if text[line_start:s].strip() or not text[s].isalpha():
        return False  # a bullet, a number, a quote or an indented block
    ls, le, last = c.toks[b - 1]
    if le != e or c.strict[ls] or c.loose[ls] or c.low[b - 1] in _NOT_LAST or not last.islower():
        return False
    if c.low[a] in _QUESTION_STARTS or any(ch in text[s:e] for ch in ":;|{}<>=*#`/\\@"):
        return False
    capitalised = sum(1 for k in range(a, b) if c.toks[k][2][:1].isupper() and len(c.toks[k][2]) > 3)
    long_words = sum(1 for k in range(a, b) if len(c.toks[k][2]) > 3)
    return capitalised * 2 < long_words  # Title Case Is A Heading


def final_stops(c: Checker, accepted: list[Cand]) -> list[Cand]:
    """A full stop after the last word of each line of prose that lacks one."""
    out = list(accepted)
    for sent in c.sentences:
        if sent.a >= sent.b or not _prose_line(c, sent.start, sent.end, sent.a, sent.b):
            continue
        ts, te, word = c.toks[sent.b - 1]
        message = "This sentence does not end with a full stop."
        on_word = next((o for o in accepted if o.offset < te and o.offset + o.length >= te), None)
        if on_word is not None:
            if on_word.offset + on_word.length == te and on_word.replacement and on_word.replacement[-1:].isalpha():
                on_word.replacement += "."
            continue
        out.append(Cand(ts, te - ts, word + ".", Task.GRAMMAR, message, "PUNCTUATION_PARAGRAPH_END", P_PUNCT))
    return out
