"""The product's vocabularies, each defined once; everything else derives from these."""

from __future__ import annotations

from enum import StrEnum


class Task(StrEnum):
    """What a caller can ask a check for; also the category of every suggestion."""

    GRAMMAR = "grammar"
    SPELLING = "spelling"
    CLARITY = "clarity"
    CONCISION = "concision"
    TONE = "tone"


class Style(StrEnum):
    """Rewrite styles."""

    FORMAL = "formal"
    SIMPLE = "simple"
    CONCISE = "concise"
    PARAPHRASE = "paraphrase"


class Engine(StrEnum):
    """Engines, best first: `auto` takes the first live one and falls back down the list."""

    GEMINI = "gemini"
    T5 = "t5"
    BASIC = "basic"


AUTO = "auto"  # an engine choice in requests, not an engine
EngineChoice = StrEnum("EngineChoice", {"AUTO": AUTO, **{e.name: e.value for e in Engine}})

# Tasks a model's corrected text can speak to; the rest (style hints) always come from the rules.
CORRECTION_TASKS = frozenset({Task.GRAMMAR, Task.SPELLING})
# Hints a LanguageTool client sees only at level=picky.
STYLE_TASKS = frozenset({Task.CLARITY, Task.CONCISION, Task.TONE})
