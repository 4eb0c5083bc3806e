"""Analyzer: the offline rule engine ("basic mode") and text analysis, as a deployment."""

from __future__ import annotations

from ray import serve

from pipelines import analysis, rules
from pipelines.edits import Edit
from serve.settings import Settings

RULES_VERSION = "rules-1"


class RuleEngine:
    def __init__(self, settings: Settings):
        self._settings = settings
        rules.check("Warm the spelling dictionary up.")  # load it now, not on the first request

    def check(self, text: str, tasks: list[str] | None = None) -> list[Edit]:
        return rules.check(text, set(tasks) if tasks else None)

    def analyze(self, text: str) -> dict:
        return analysis.analyze(text)

    def rewrite(self, text: str, style: str) -> str:
        return rules.rewrite(text, style)

    def status(self) -> dict:
        return {"live": True, "reason": None, "version": RULES_VERSION}


Analyzer = serve.deployment(RuleEngine, name="Analyzer", ray_actor_options={"num_cpus": 0.25}, max_ongoing_requests=32)
