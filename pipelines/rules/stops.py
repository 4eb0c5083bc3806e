"""Sentence punctuation: the full stop at the end of a paragraph ("We must trust ourselves" ->
"We must trust ourselves."), doubled stops ("them.." -> "them."), the comma in "I believe, that"
a capital after a comma ("For example, When" -> "For example, when") and a capital pronoun in
mid-sentence ("so It will" -> "so it will").

Only a line of prose gets a final stop: a sentence of several words that starts with a letter, ends
with a lower-case word at the end of its line, and is no heading (most words capitalised),
list item, question, code or greeting. The final stop is added after resolution (like the capital
at a sentence start), merged into an edit on the last word when there is one, so a misspelt
last word gets both its correction and the stop.
"""

from __future__ import annotations

import bisect
import re

from pipelines.rules.checker import P_PUNCT, Cand, Checker
from pipelines.rules.words import PUNCTUATION
from pipelines.vocabulary import Task

MIN_WORDS = 5  # shorter lines are often titles, list items, greetings or signatures
_QUESTION_STARTS = frozenset(
    "who whom whose what when where why how which do does did is are am was were can could would will shall should may might must "
    "have has had isn't aren't wasn't weren't don't doesn't didn't can't couldn't won't wouldn't shouldn't haven't hasn't".split()
)
_SUBJECTS = frozenset({"i", "we", "you", "they", "he", "she", "it"})
_NOT_LAST = frozenset({"and", "or", "but", "the", "a", "an", "of", "to", "with", "for", "because", "etc", "e", "g", "i", "vs"})
_PROSE_END = re.compile(r"[a-z]")


def _prose_line(c: Checker, s: int, e: int, a: int, b: int) -> bool:
    """Is the sentence at text[s:e] (tokens a..b) the last of its line and plain prose without a stop?"""
    text = c.text
    clause = c.low[a] in _SUBJECTS and b - a >= 4 and c.toks[a + 1][2].islower()  # "We must trust ourselves"
    if (b - a < MIN_WORDS and not clause) or not _PROSE_END.match(text[e - 1]) or "\n" in text[s:e]:
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


_COMMA_CAPITAL = re.compile(r"(?<=[A-Za-z]), ([A-Z][a-z]*)")
_DOUBLE_STOP = re.compile(r"(?<=[A-Za-z)])(?<!etc)(\.\.|!\.|\?\.)(?![.!?])")  # "etc.." ends an abbreviation
_THINK = frozenset({"believe", "think", "guess", "hope", "suppose", "feel", "know"})
_CLAUSE_START = frozenset("that this the it we they he she there these those people a an our my their".split())
_INTRO_WORDS = frozenset(p for p in PUNCTUATION.intro_phrases if " " not in p)
_I = frozenset({"i", "i'm", "i've", "i'll", "i'd"})
_SPEECH = frozenset({"said", "says", "say", "asked", "asks", "replied", "answered", "wrote", "writes", "thought", "told"})
_LOWER_AFTER_COMMA = frozenset(
    "the a an when if because but and so then that this there they we it he she you my our their his her its in on at for with "
    "what which who where why how although though while after before".split()
)


def doubled_stops(c: Checker) -> None:
    """"catch them.." -> "catch them.", "meant to sleep!." -> "meant to sleep!"."""
    for m in _DOUBLE_STOP.finditer(c.text):
        if not c.strict[m.start()] and not c.loose[m.start() - 1]:
            c.add(m.start(), 2, m.group()[0], Task.GRAMMAR, "Use one punctuation mark to end a sentence.", "DOUBLE_PUNCTUATION", P_PUNCT)


def think_comma(c: Checker) -> None:
    """"I believe, that it works" -> "I believe that it works": no comma between a verb and its clause."""
    text = c.text
    for sent in c.sentences:
        a = sent.a
        if sent.b - a < 4 or c.low[a] != "i" or c.low[a + 1] not in _THINK or not c.linked(a):
            continue
        e = c.toks[a + 1][1]
        if text[e : e + 2] == ", " and c.low[a + 2] in _CLAUSE_START and c.toks[a + 2][2].islower():
            c.add(e, 2, " ", Task.GRAMMAR, f"No comma after 'I {c.toks[a + 1][2]}' before what you think.", "THINK_COMMA", P_PUNCT)


def capital_after_comma(c: Checker) -> None:
    """"For example, When I went" -> "For example, when I went": a capital in mid-sentence."""
    for m in _COMMA_CAPITAL.finditer(c.text):
        i = bisect.bisect_left(c.starts, m.start(1))
        s, e, word = c.toks[i]
        if c.low[i] in _LOWER_AFTER_COMMA and word[1:].islower() and c.toks[i - 1][1] == s - 2:
            quoted = c.low[i - 1] in _SPEECH or (i + 1 < len(c.toks) and c.toks[i + 1][2][:1].isupper() and c.low[i + 1] not in _I)  # said, "This"; The Ford
            after_intro = i - 1 in c.first_of_sentence and c.low[i - 1] in _INTRO_WORDS  # "However, The ..."
            if i not in c.first_of_sentence and not c.protected(i) and (c.toks[i - 1][2][:1].islower() or after_intro) and not quoted:
                c.add(s, e - s, word.lower(), Task.GRAMMAR, "A word after a comma does not take a capital.", "CAPITAL_AFTER_COMMA", P_PUNCT)


_PRONOUN_CAPITAL = re.compile(r"(?<=[a-z] )(It|They|We|He|She|You|There|These|Those)(?= [a-z])")


def capital_pronoun(c: Checker) -> None:
    """"So It will be fine" -> "So it will be fine": a pronoun after a lower-case word inside a sentence."""
    for m in _PRONOUN_CAPITAL.finditer(c.text):
        if c.strict[m.start()] or c.loose[m.start()]:
            continue
        i = bisect.bisect_left(c.starts, m.start())
        if i < len(c.toks) and c.toks[i][0] == m.start() and i not in c.first_of_sentence:
            word = m.group()
            c.add(m.start(), len(word), word.lower(), Task.GRAMMAR, f"'{word}' is inside a sentence: write '{word.lower()}'.", "CAPITAL_PRONOUN", P_PUNCT)


_TAG_QUESTION = re.compile(
    r", (?:isn't|aren't|wasn't|weren't|don't|doesn't|didn't|won't|can't|couldn't|wouldn't|shouldn't|haven't|hasn't|hadn't)"
    r" (?:it|he|she|they|you|we|I|there)(\.)(?=\s*$|\s+[A-Z])",
    re.IGNORECASE,
)


def tag_question(c: Checker) -> None:
    """"It is nice, isn't it." -> "It is nice, isn't it?": a question tag ends with a question mark."""
    text = c.text.replace("\u2019", "'")
    for m in _TAG_QUESTION.finditer(text):
        if not c.strict[m.start()]:
            c.add(m.start(1), 1, "?", Task.GRAMMAR, "A question tag ends the sentence with a question mark.", "TAG_QUESTION_MARK", P_PUNCT)
