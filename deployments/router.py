"""Router: picks the engine for each request, falls back, and keeps circuit breakers.

The routing rules are data (ROUTES): `auto` tries the best engine that is live
and falls back down the list; a named engine is used alone, or the caller gets a
503 that says why and when to retry.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from ray import serve
from ray.serve.handle import DeploymentHandle

from pipelines.align import align
from pipelines.edits import CATEGORIES, Edit
from serve.errors import EngineUnavailable, Unprocessable
from serve.logging import get_logger
from serve.settings import Settings

ROUTES: dict[str, tuple[str, ...]] = {
    "auto": ("gemini", "t5", "basic"),
    "gemini": ("gemini",),
    "t5": ("t5",),
    "basic": ("basic",),
}
MODEL_CATEGORIES = {"grammar", "spelling"}  # what a corrected text from a model can tell us
# Rewrite styles each engine can do; the rules cannot paraphrase.
REWRITE_STYLES: dict[str, frozenset[str]] = {
    "gemini": frozenset({"formal", "simple", "concise", "paraphrase"}),
    "t5": frozenset({"formal", "simple", "concise", "paraphrase"}),
    "basic": frozenset({"formal", "simple", "concise"}),
}
STATUS_TTL_S = 5.0


@dataclass
class Breaker:
    """Opens after `limit` consecutive failures; lets a trial call through after `cooldown_s`."""

    limit: int
    cooldown_s: float
    failures: int = 0
    opened_at: float | None = None

    def retry_in(self) -> int:
        if self.opened_at is None:
            return 0
        return max(0, int(self.opened_at + self.cooldown_s - time.monotonic()) + 1) if self.is_open() else 0

    def is_open(self) -> bool:
        return self.opened_at is not None and time.monotonic() < self.opened_at + self.cooldown_s

    def succeeded(self) -> None:
        self.failures, self.opened_at = 0, None

    def failed(self) -> None:
        self.failures += 1
        if self.failures >= self.limit:
            self.opened_at = time.monotonic()


class EngineRouter:
    def __init__(self, settings: Settings, gemini: DeploymentHandle, t5: DeploymentHandle, analyzer: DeploymentHandle):
        self._settings = settings
        self._log = get_logger(settings.log_level)
        self._engines = {"gemini": gemini, "t5": t5, "basic": analyzer}
        self._analyzer = analyzer
        self._breakers = {name: Breaker(settings.breaker_failures, settings.breaker_cooldown_s) for name in self._engines}
        self._status: dict[str, dict] = {}
        self._status_at = float("-inf")

    async def status(self) -> dict:
        """Each engine's status (live, version, reason) and what `auto` resolves to now."""
        if time.monotonic() - self._status_at > STATUS_TTL_S:
            names = list(self._engines)
            answers = await asyncio.gather(*(self._engines[n].status.remote() for n in names), return_exceptions=True)
            self._status = {
                name: answer if isinstance(answer, dict) else {"live": False, "reason": f"status failed: {answer}"}
                for name, answer in zip(names, answers)
            }
            self._status_at = time.monotonic()
        engines = {}
        for name, status in self._status.items():
            breaker = self._breakers[name]
            engines[name] = dict(status, circuit="open" if breaker.is_open() else "closed")
            if breaker.is_open():
                engines[name].update(live=False, reason=f"circuit open after {breaker.failures} failures; retry in {breaker.retry_in()} s")
        auto = next((n for n in ROUTES["auto"] if engines[n]["live"]), None)
        return {"engines": engines, "auto": auto}

    async def suggest(self, text: str, tasks: list[str] | None, engine: str) -> dict:
        wanted = set(tasks or CATEGORIES)
        return await self._route(ROUTES[engine], lambda name: self._suggest_with(name, text, wanted))

    async def rewrite(self, text: str, style: str, engine: str) -> dict:
        able = [name for name in ROUTES[engine] if style in REWRITE_STYLES[name]]
        if not able:
            others = [n for n in ROUTES["auto"] if style in REWRITE_STYLES[n]]
            raise Unprocessable(f"engine {engine!r} cannot {style}; use one of {others}")
        return await self._route(tuple(able), lambda name: self._rewrite_with(name, text, style))

    async def _route(self, candidates: tuple[str, ...] | list[str], call) -> dict:
        status = (await self.status())["engines"]
        last_error: EngineUnavailable | None = None
        for name in candidates:
            if not status[name]["live"]:
                last_error = EngineUnavailable(
                    f"engine {name!r} is not available: {status[name]['reason']}",
                    retry_after=self._breakers[name].retry_in() or 60,
                )
                continue
            try:
                result = await asyncio.wait_for(call(name), timeout=self._settings.engine_timeout_s)
            except Exception as exc:
                last_error = self._failed(name, exc)
                continue
            self._breakers[name].succeeded()
            return {**result, "engine": name}
        if len(candidates) > 1:
            raise EngineUnavailable(f"no engine could answer; last: {last_error}", retry_after=last_error.retry_after)
        raise last_error

    def _failed(self, name: str, exc: Exception) -> EngineUnavailable:
        breaker = self._breakers[name]
        breaker.failed()
        if isinstance(exc, EngineUnavailable):
            self._log.warning("engine %s failed: %s", name, exc)
            return exc
        self._log.error("engine %s failed unexpectedly", name, exc_info=exc)
        reason = "timed out" if isinstance(exc, TimeoutError) else type(exc).__name__
        return EngineUnavailable(f"engine {name!r} failed ({reason})", retry_after=max(5, breaker.retry_in()))

    async def _suggest_with(self, name: str, text: str, wanted: set[str]) -> dict:
        if name == "basic":
            edits = await self._analyzer.check.remote(text, sorted(wanted))
        else:
            if name == "t5":
                corrected = await self._engines["t5"].transform.remote(text, "grammar")
            else:
                corrected = await self._engines["gemini"].correct.remote(text, sorted(wanted))
            edits = [e for e in align(text, corrected, name) if e.category in wanted]
            style_tasks = sorted(wanted - MODEL_CATEGORIES)
            if style_tasks:  # models correct; style hints still come from the rules
                hints = await self._analyzer.check.remote(text, style_tasks)
                edits += [h for h in hints if not _overlaps_any(h, edits)]
        return {"suggestions": [e.to_dict() for e in sorted(edits, key=lambda e: (e.offset, e.length))]}

    async def _rewrite_with(self, name: str, text: str, style: str) -> dict:
        if name == "basic":
            return {"text": await self._analyzer.rewrite.remote(text, style)}
        if name == "t5":
            return {"text": await self._engines["t5"].transform.remote(text, style)}
        return {"text": await self._engines["gemini"].rewrite.remote(text, style)}


def _overlaps_any(edit: Edit, others: list[Edit]) -> bool:
    end = edit.offset + max(edit.length, 1)
    return any(o.offset < end and edit.offset < o.offset + max(o.length, 1) for o in others if o.replacement is not None)


Router = serve.deployment(EngineRouter, name="Router", ray_actor_options={"num_cpus": 0.1}, max_ongoing_requests=256)
