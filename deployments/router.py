"""Router: picks the engine for each request, falls back, and keeps circuit breakers.

Engines are chosen by what they report they can do (`status()`: live, tasks,
styles, auto), never by name: `auto` tries the live engines best first
(pipelines.vocabulary.Engine's order) and falls back down the list; a named engine
is used alone, or the caller gets a 503 that says why and when to retry.

A transient failure (a timeout, a 5xx, a 429, a replica that died) is retried up to
FallbackMode.maxRetries times with exponential backoff and jitter, waiting at least
the engine's Retry-After, while the engine's `engine_timeout_s` budget lasts; then the
next engine answers. A refusal (`EngineRejected`: bad key, blocked content) is never
retried. When an engine's breaker opens, the router's status says so and replicas
switch FallbackMode.useCache on until it closes.

Breakers are per Router replica, on purpose: each replica learns an outage within
`breaker_failures` of its own calls and sends at most that many calls into it, while a
shared breaker would put a Redis round trip on every engine call and fail with Redis.
What must be shared is shared: an engine's refusal of its key is in the engine's own
status, and the operator's FallbackMode reaches every replica.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from ray.exceptions import RayActorError
from ray.serve.handle import DeploymentHandle
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, stop_before_delay, wait_exponential_jitter

from deployments.fallback import SharedState
from deployments.refreshed import Refreshed
from pipelines.vocabulary import AUTO, Engine, Task
from serve.errors import EngineBusy, EngineRejected, EngineUnavailable, ServiceError, Unprocessable
from serve import metrics
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
    def __init__(
        self,
        settings: Settings,
        gemini: DeploymentHandle,
        t5: DeploymentHandle,
        analyzer: DeploymentHandle,
        fallback: DeploymentHandle | None = None,
    ):
        self._settings = settings
        self._log = get_logger(settings)
        self._engines = {Engine.GEMINI: gemini, Engine.T5: t5, Engine.BASIC: analyzer}
        self._breakers = {name: Breaker(settings.breaker_failures, settings.breaker_cooldown_s) for name in self._engines}
        self._shared = SharedState(settings, fallback)
        self._open: set[str] = set()
        self._status = Refreshed(self._ask_engines, settings.status_interval_s)

    async def status(self) -> dict:
        """Each engine's status (live, version, reason, tasks, styles, circuit), what `auto` resolves to now,
        and the engines whose circuit is open (FallbackMode.useCache is on while any is).

        Engines are asked every `status_interval_s`, in the background (deployments/refreshed.py);
        breakers are applied on every call."""
        engines = {}
        for name, status in (await self._status.get()).items():
            breaker = self._breakers[name]
            engines[name] = dict(status, circuit="open" if breaker.is_open() else "closed")
            if breaker.is_open() and status.get("live"):  # an engine's own reason says more
                engines[name].update(live=False, reason=f"circuit open after {breaker.failures} failures; retry in {breaker.retry_in()} s")
        self._note_circuits({name.value for name, breaker in self._breakers.items() if breaker.is_open()})
        return {"engines": engines, "auto": auto_engine(engines), "open_circuits": sorted(self._open)}

    async def _ask_engines(self) -> dict[str, dict]:
        """Each engine's own status. One that is slow to say or whose replica just died (Serve replaces it) keeps its
        last known status: the request's own retries find out whether it answers."""
        known = dict(self._status.value or {})
        names = list(self._engines)
        asked = (asyncio.wait_for(self._engines[n].status.remote(), _STATUS_WAIT_S) for n in names)
        answers = await asyncio.gather(*asked, return_exceptions=True)
        for name, answer in zip(names, answers):
            if isinstance(answer, dict):
                known[name] = answer
            elif not (isinstance(answer, (TimeoutError, RayActorError)) and name in known):
                known[name] = {"live": False, "reason": f"status failed: {answer}"}
        return known

    def _note_circuits(self, now_open: set[str]) -> None:
        for name in sorted(now_open - self._open):
            self._log.warning("engine %s: circuit opened; fallback mode (useCache) on until it closes", name)
        for name in sorted(self._open - now_open):
            self._log.warning("engine %s: circuit closed; fallback mode (useCache) off unless set by an operator", name)
        self._open = now_open

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
                result = await self._with_retries(lambda: call(name, status))
            except Exception as exc:
                last_error = self._failed(name, exc)
                continue
            self._breakers[name].succeeded()
            return {"suggestions": result, "engine": name.value} if isinstance(result, list) else {"text": result, "engine": name.value}
        if len(candidates) > 1:
            raise EngineUnavailable(f"no engine could answer; last: {last_error}", retry_after=last_error.retry_after)
        raise last_error

    async def _with_retries(self, attempt):
        """`attempt()` retried on transient failures within the engine's budget (see the module's doc)."""
        budget = self._settings.engine_timeout_s
        started = time.monotonic()
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._shared.mode.max_retries + 1) | stop_before_delay(budget),
            wait=_backoff,
            retry=retry_if_exception(_transient),
            reraise=True,
        )
        async for trial in retrying:
            with trial:
                return await asyncio.wait_for(attempt(), timeout=max(0.01, budget - (time.monotonic() - started)))

    def _failed(self, name: Engine, exc: Exception) -> EngineUnavailable:
        breaker = self._breakers[name]
        if not isinstance(exc, EngineRejected):  # a refusal is not an outage: the engine reports it in its status
            breaker.failed()
        metrics.engine_failure(name.value, exc.code if isinstance(exc, ServiceError) else type(exc).__name__)
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


_REPLICA_GONE_WAIT_S = 1.0
_STATUS_WAIT_S = 2.0  # how long an engine may take to report its status
_jitter = wait_exponential_jitter(initial=0.2, max=5.0, jitter=0.2)


def _backoff(retry_state) -> float:
    """Exponential backoff with jitter, but never sooner than the engine's own Retry-After, and
    a second at least after a replica died (Serve needs that long to stop routing to it)."""
    exc = retry_state.outcome.exception()
    floor = exc.retry_after if isinstance(exc, EngineBusy) else _REPLICA_GONE_WAIT_S if isinstance(exc, RayActorError) else 0
    return max(_jitter(retry_state), floor)


def _transient(exc: BaseException) -> bool:
    """Worth another try: anything but a refusal or a client error (a dead replica, a timeout, a 5xx, a 429)."""
    if isinstance(exc, EngineRejected):
        return False
    return not isinstance(exc, ServiceError) or exc.status >= 500


async def _nothing() -> list:
    return []


def _overlaps_any(edit: dict, others: list[dict]) -> bool:
    end = edit["offset"] + max(edit["length"], 1)
    return any(
        o["offset"] < end and edit["offset"] < o["offset"] + max(o["length"], 1) for o in others if o["replacement"] is not None
    )
