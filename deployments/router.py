"""Router: picks the engine for each request, falls back, and keeps circuit breakers.

Engines are chosen by what they report they can do (`status()`: live, tasks,
styles, auto), never by name: `auto` tries the live engines best first
(pipelines.vocabulary.Engine's order) and falls back down the list; a named engine
is used alone, or the caller gets a 503 that says why and when to retry.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from ray.serve.handle import DeploymentHandle

from pipelines.vocabulary import AUTO, Engine, Task
from serve.errors import EngineUnavailable, Unprocessable
from serve.logging import get_logger
from serve.settings import Settings


@dataclass
class Breaker:
    """Opens after `limit` consecutive failures; lets a trial call through after `cooldown_s`."""

    limit: int
    cooldown_s: float
    failures: int = 0
    opened_at: float | None = None

    def retry_in(self) -> int:
        return max(0, int(self.opened_at + self.cooldown_s - time.monotonic()) + 1) if self.is_open() else 0

    def is_open(self) -> bool:
        return self.opened_at is not None and time.monotonic() < self.opened_at + self.cooldown_s

    def succeeded(self) -> None:
        self.failures, self.opened_at = 0, None

    def failed(self) -> None:
        self.failures += 1
        if self.failures >= self.limit:
            self.opened_at = time.monotonic()


def auto_engine(engines: dict[str, dict]) -> str | None:
    """What `auto` resolves to for an engine-status map: the best live engine that allows it."""
    return next((name for name in Engine if engines.get(name, {}).get("live") and engines[name].get("auto", True)), None)


class Router:
    def __init__(self, settings: Settings, gemini: DeploymentHandle, t5: DeploymentHandle, analyzer: DeploymentHandle):
        self._settings = settings
        self._log = get_logger(settings.log_level)
        self._engines = {Engine.GEMINI: gemini, Engine.T5: t5, Engine.BASIC: analyzer}
        self._breakers = {name: Breaker(settings.breaker_failures, settings.breaker_cooldown_s) for name in self._engines}
        self._status: dict[str, dict] = {}
        self._status_at = float("-inf")

    async def status(self) -> dict:
        """Each engine's status (live, version, reason, tasks, styles, circuit) and what `auto` resolves to now.

        Engines are asked at most every `status_interval_s`; breakers are applied on every call."""
        if time.monotonic() - self._status_at > self._settings.status_interval_s:
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
        return {"engines": engines, "auto": auto_engine(engines)}

    async def suggest(self, text: str, tasks: list[str] | None, language: str, engine: str) -> dict:
        wanted = sorted(set(tasks or Task))
        return await self._route(engine, lambda name, status: self._suggest_with(name, status, text, wanted, language))

    async def rewrite(self, text: str, style: str, engine: str) -> dict:
        able = lambda status: style in status.get("styles", ())  # noqa: E731
        return await self._route(engine, lambda name, status: self._engines[name].rewrite.remote(text, style), able, f"rewrite {style!r}")

    async def _route(self, engine: str, call, able=lambda status: True, what: str = "") -> dict:
        engines = (await self.status())["engines"]
        if engine == AUTO:
            candidates = [n for n in Engine if able(engines[n]) and engines[n].get("auto", True)]
            if not candidates:
                raise Unprocessable(f"no engine can {what}")
        else:
            candidates = [Engine(engine)]
            if not able(engines[engine]):
                others = [n.value for n in Engine if able(engines[n])]
                raise Unprocessable(f"engine {engine!r} cannot {what}; use one of {others}")
        last_error: EngineUnavailable | None = None
        for name in candidates:
            status = engines[name]
            if not status["live"]:
                last_error = EngineUnavailable(
                    f"engine {name.value!r} is not available: {status['reason']}", retry_after=self._breakers[name].retry_in() or 60
                )
                continue
            try:
                result = await asyncio.wait_for(call(name, status), timeout=self._settings.engine_timeout_s)
            except Exception as exc:
                last_error = self._failed(name, exc)
                continue
            self._breakers[name].succeeded()
            return {"suggestions": result, "engine": name.value} if isinstance(result, list) else {"text": result, "engine": name.value}
        if len(candidates) > 1:
            raise EngineUnavailable(f"no engine could answer; last: {last_error}", retry_after=last_error.retry_after)
        raise last_error

    def _failed(self, name: Engine, exc: Exception) -> EngineUnavailable:
        breaker = self._breakers[name]
        breaker.failed()
        if isinstance(exc, EngineUnavailable):
            self._log.warning("engine %s failed: %s", name.value, exc)
            return exc
        self._log.error("engine %s failed unexpectedly", name.value, exc_info=exc)
        reason = "timed out" if isinstance(exc, TimeoutError) else type(exc).__name__
        return EngineUnavailable(f"engine {name.value!r} failed ({reason})", retry_after=max(5, breaker.retry_in()))

    async def _suggest_with(self, name: Engine, status: dict, text: str, wanted: list[str], language: str) -> list[dict]:
        """The engine's edits for the tasks it can do; the rule engine's hints for the rest."""
        own = [t for t in wanted if t in status.get("tasks", ())]
        rest = [t for t in wanted if t not in own] if name != Engine.BASIC else []
        engine_edits, hints = await asyncio.gather(
            self._engines[name].suggest.remote(text, own, language) if own else _nothing(),
            self._engines[Engine.BASIC].suggest.remote(text, rest, language) if rest else _nothing(),
        )
        edits = engine_edits + [h for h in hints if not _overlaps_any(h, engine_edits)]
        return sorted(edits, key=lambda e: (e["offset"], e["length"]))


async def _nothing() -> list:
    return []


def _overlaps_any(edit: dict, others: list[dict]) -> bool:
    end = edit["offset"] + max(edit["length"], 1)
    return any(
        o["offset"] < end and edit["offset"] < o["offset"] + max(o["length"], 1) for o in others if o["replacement"] is not None
    )
