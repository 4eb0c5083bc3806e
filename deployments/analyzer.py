"""Analyzer: the offline rule engine ("basic" engine) and text analysis, as a deployment."""

from __future__ import annotations

from pipelines import analysis, rules
from pipelines.vocabulary import Task
from serve.settings import Settings

RULES_VERSION = "rules-1"


class Analyzer:
    def __init__(self, settings: Settings):
        self._settings = settings
        rules.check("Warm the spelling dictionary up.")  # load it now, not on the first request

    def suggest(self, text: str, tasks: list[str], language: str = "en-US") -> list[dict]:
        return [e.to_dict() for e in rules.check(text, set(tasks) if tasks else None)]

    def analyze(self, text: str) -> dict:
        return analysis.analyze(text)

    def rewrite(self, text: str, style: str) -> str:
        return rules.rewrite(text, style)

    def status(self) -> dict:
        return {
            "live": True,
            "reason": None,
            "version": RULES_VERSION,
            "tasks": list(Task),
            "styles": list(rules.REWRITE_STYLES),
            "auto": True,
        }
