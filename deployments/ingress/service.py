"""The ingress's state and the request path's logic, with no HTTP in it.

Routes (the other modules of this package) reach the replica's `Ingress` through
the `current` dependency. The cache lives here, so a hit never leaves the replica;
work for the rule engine goes straight to the Analyzer; everything else goes to the
Router, which falls back between engines. Rule-engine work on a short text (up to
`inline_rules_max_chars`) runs in the replica itself: a miss then crosses no hop either.
"""

from __future__ import annotations

from ray.serve.handle import DeploymentHandle

from deployments.cache import ResponseCache
from deployments.fallback import FallbackMode, SharedState
from deployments.refreshed import Refreshed
from pipelines import analysis, rules
from pipelines import language as languages
from pipelines.vocabulary import AUTO, Engine, Task
from serve import metrics
from serve.analytics import EventBuffer
from serve.errors import EngineUnavailable, TextTooLong, Unavailable, UnsupportedLanguage
from serve.logging import get_logger
from serve.ratelimit import RateLimiter
from serve.security import ApiKeys
from serve.settings import Settings
from serve.store import Store


class EngineStatus:
    """The router's engine status, refreshed in the background every `interval_s`
    (deployments/refreshed.py says when a request waits for it)."""

    def __init__(self, router: DeploymentHandle, interval_s: float):
        self._router = router
        self._status = Refreshed(self._ask, interval_s)

    async def _ask(self) -> dict:
        try:
            return await self._router.status.remote()
        except Exception as exc:
            raise Unavailable(f"the engine router is not answering ({type(exc).__name__})") from None

    async def get(self) -> dict:
        return await self._status.get()

    async def fresh(self) -> dict:
        """Asked of the router now: for readiness probes, never on the request path."""
        await self._status.refresh()
        return await self.get()

    async def resolve(self, choice: str) -> tuple[str | None, str | None]:
        """The engine that would answer `choice` now, and its version (None, None when none is live)."""
        status = await self.get()
        engine = status["auto"] if choice == AUTO else choice
        return engine, status["engines"].get(engine, {}).get("version")

    def version(self, engine: str) -> str | None:
        return (self._status.value or {"engines": {}})["engines"].get(engine, {}).get("version")

    def open_circuits(self) -> list[str]:
        return (self._status.value or {}).get("open_circuits", [])


class Ingress:
    def __init__(self, settings: Settings, router: DeploymentHandle, analyzer: DeploymentHandle, fallback: DeploymentHandle | None = None):
        self.settings = settings
        self.router = router
        self.analyzer = analyzer
        self.cache = ResponseCache(settings)
        self.store = Store(settings)  # connects on first use: the ingress starts while MongoDB is down
        self.keys = ApiKeys.from_settings(settings, self.store)  # NODE_ENV=production without a key secret stops here
        self.limiter = RateLimiter(settings)
        self.events = EventBuffer(self.store, settings.events_buffer, settings.events_batch, settings.events_flush_s)
        self.engines = EngineStatus(router, settings.status_interval_s)
        self.fallback = SharedState(settings, fallback)
        self.log = get_logger(settings)
        if settings.inline_rules_max_chars:
            rules.check("Warm the speling dictionary up.")  # load the dictionaries now, not on the first request
            analysis.analyze("Warm the analysis up.")

    def inline(self, text: str) -> bool:
        """Whether rule-engine work on `text` runs here rather than on the Analyzer."""
        return len(text) <= self.settings.inline_rules_max_chars

    def mode(self) -> FallbackMode:
        """FallbackMode as it applies now: the operator's, with useCache on while a circuit is open."""
        return self.fallback.effective(self.engines.open_circuits())

    def check_length(self, text: str) -> None:
        if len(text) > self.settings.max_text_chars:
            raise TextTooLong(f"text has {len(text)} characters; the limit is {self.settings.max_text_chars}")

    async def suggest(self, text: str, tasks: list[str] | None, language: str, choice: str) -> tuple[dict, bool]:
        tasks = sorted(set(tasks)) if tasks else None
        if language == AUTO:  # the Analyzer detects: its replicas hold the language models
            code, confidence = await self.analyzer.detect.remote(text)
            if code != "en":
                raise UnsupportedLanguage(
                    f"the text looks {languages.name(code)} ({code}, confidence {confidence}); only English is checked"
                )
            language = "en"

        async def compute(engine: str | None, choice: str) -> dict:
            if engine == Engine.BASIC and self.inline(text):
                with metrics.engine_call(engine):
                    return {"suggestions": [e.to_dict() for e in rules.check(text, tasks, language)], "engine": engine}
            if engine == Engine.BASIC:  # the rule engine needs no routing: one hop, not two
                return {"suggestions": await self.analyzer.suggest.remote(text, tasks or list(Task), language), "engine": engine}
            return await self.router.suggest.remote(text, tasks, language, choice)

        return await self._answer("suggestions", choice, [text, tasks, language], compute)

    async def rewrite(self, text: str, style: str, choice: str) -> tuple[dict, bool]:
        mode = self.mode()
        if mode.skip_ai and not mode.basic_mode:
            raise EngineUnavailable("rewrites are off while AI features are skipped (FallbackMode.skipAI)", retry_after=60)
        return await self._answer("rewrite", choice, [text, style], lambda engine, choice: self.router.rewrite.remote(text, style, choice))

    async def analyze(self, text: str) -> tuple[dict, bool]:
        async def compute(engine: str | None, choice: str) -> dict:
            result = analysis.analyze(text) if self.inline(text) else await self.analyzer.analyze.remote(text)
            return {**result, "engine": Engine.BASIC.value}

        return await self._answer("analysis", Engine.BASIC, [text], compute)

    async def _answer(self, kind: str, choice: str, parts: list, compute) -> tuple[dict, bool]:
        """Look up under the engine that would answer now; store under the one that did.
        FallbackMode: basicMode and skipAI send the work to the rule engine; useCache answers
        with an entry past its TTL (marked stale) when no engine can."""
        mode = self.mode()
        if mode.basic_mode or mode.skip_ai:
            choice = Engine.BASIC.value
        engine, version = await self.engines.resolve(choice)
        try:
            if engine is None:
                raise EngineUnavailable("no engine is live; see /readyz", retry_after=5)
            return await self.cache.get_or_compute(
                kind,
                [engine, version, *parts],
                lambda: compute(engine, choice),
                lambda answer: [answer["engine"], self.engines.version(answer["engine"]), *parts],
            )
        except Unavailable:
            stale = await self.cache.get(kind, [engine, version, *parts], stale_ok=True) if mode.use_cache and engine else None
            if stale is None:
                raise
            return {**stale, "stale": True}, True
