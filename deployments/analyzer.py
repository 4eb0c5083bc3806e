"""Analyzer: the offline rule engine ("basic" engine) and text analysis, as a deployment."""

from __future__ import annotations

from pipelines import analysis, language, rules
from pipelines.vocabulary import Engine, Task
from serve import metrics
from serve.settings import Settings


class Analyzer:
    def __init__(self, settings: Settings):
        self._settings = settings
        rules.check("Warm the speling dictionary up.")  # load the dictionaries now (a typo loads the word pairs too)

    def suggest(self, text: str, tasks: list[str] | None, language: str = "en-US") -> list[dict]:
        """Edit.to_dict() of every edit; `language` is one of rules.LANGUAGES (ValueError otherwise)."""
        with metrics.engine_call(Engine.BASIC.value):
            return [e.to_dict() for e in rules.check(text, tasks or None, language)]

    def detect(self, text: str) -> tuple[str, float]:
        """The text's language (ISO 639-1) and the detector's confidence; loads the models on first use (~10 s)."""
        return language.detect(text)

    def analyze(self, text: str) -> dict:
        return analysis.analyze(text)

    def rewrite(self, text: str, style: str) -> str:
        with metrics.engine_call(Engine.BASIC.value):
            return rules.rewrite(text, style)

    def status(self) -> dict:
        return {
            "live": True,
            "reason": None,
            "version": rules.RULES_VERSION,
            "tasks": [t.value for t in Task],
            "styles": [s.value for s in rules.STYLES],
            "auto": True,
        }
