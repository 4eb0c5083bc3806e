"""`check`: runs every rule family the tasks ask for over a text and returns its edits."""

from __future__ import annotations

import re
from typing import Iterable

from pipelines.edits import Edit
from pipelines.rules import grammar, mechanics, number, realword, spelling, stops, style
from pipelines.rules.checker import Checker
from pipelines.vocabulary import Engine, Task

_LETTERS = re.compile(r"[A-Za-z\u00C0-\u024F]")
_TASKS = frozenset(Task)


def _run(c: Checker) -> list[Edit]:
    tasks = c.tasks
    if Task.SPELLING in tasks or Task.GRAMMAR in tasks:
        spelling.check_words(c)  # also gives the grammar rules each word's corrected form
        mechanics.joined_words(c)
        mechanics.two_capitals(c)
    if Task.GRAMMAR in tasks:
        for sent in c.sentences:
            grammar.check_sentence(c, sent)
            number.plural_start(c, sent)
        realword.check(c)
        mechanics.repeats(c)
        mechanics.punctuation(c)
        mechanics.intro_commas(c)
        stops.doubled_stops(c)
        stops.think_comma(c)
        stops.capital_after_comma(c)
        stops.capital_pronoun(c)
        stops.tag_question(c)
    if Task.TONE in tasks:
        style.tone(c)
    if Task.CONCISION in tasks:
        style.wordy(c)
    if Task.CLARITY in tasks:
        for sent in c.sentences:
            style.long_sentence(c, sent)
            style.passive(c, sent)
    accepted = c.resolve()
    if Task.GRAMMAR in tasks:
        accepted = mechanics.capitalise_starts(c, accepted)
        accepted = stops.final_stops(c, accepted)
    text = c.text
    edits = [
        Edit(x.offset, x.length, text[x.offset : x.offset + x.length], x.replacement, x.category, x.message, x.rule, Engine.BASIC.value)
        for x in accepted + c.hints
    ]
    edits.sort(key=lambda e: (e.offset, e.length, e.rule))
    return edits


def check(text: str, tasks: Iterable[str] | None = None, language: str = "en-US") -> list[Edit]:
    """All basic-engine edits on `text`, sorted by offset; replacement edits never overlap.

    `tasks` picks the categories (all when None); `language` is one of `spelling.LANGUAGES`
    and chooses the spelling dictionary ("colour" is a mistake in en-US, "color" in en-GB).
    """
    if language not in spelling.LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; the rules check {', '.join(spelling.LANGUAGES)}")
    wanted = frozenset(Task) if tasks is None else frozenset(Task(t) for t in tasks if t in _TASKS)
    if not wanted or not text or not _LETTERS.search(text):
        return []
    return _run(Checker(text, wanted, language))
