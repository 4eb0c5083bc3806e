"""The router without Serve: engines chosen by what they report, fallback, breakers."""

from __future__ import annotations

import asyncio
import time

import pytest

from deployments.router import Breaker, Router
from pipelines.vocabulary import CORRECTION_TASKS, Style, Task
from serve.errors import EngineUnavailable, Unprocessable
from serve.settings import Settings
from support.handles import FakeHandle


def edit(offset, category, engine, replacement="x"):
    return {"offset": offset, "length": 1, "original": "a", "replacement": replacement, "category": category,
            "message": "m", "rule": "R", "engine": engine}


class Engine:
    def __init__(self, name, live=True, tasks=tuple(CORRECTION_TASKS), styles=tuple(Style), auto=True, fail=False, offset=0):
        self.name, self.live, self.tasks, self.styles, self.auto, self.fail = name, live, tasks, styles, auto, fail
        self.offset = offset

    def status(self):
        return {"live": self.live, "reason": None if self.live else "off", "version": "1", "tasks": list(self.tasks),
                "styles": list(self.styles), "auto": self.auto}

    def suggest(self, text, tasks, language):
        if self.fail:
            raise EngineUnavailable(f"{self.name} is down")
        return [edit(self.offset + i, t, self.name) for i, t in enumerate(sorted(tasks))]

    def rewrite(self, text, style):
        if self.fail:
            raise EngineUnavailable(f"{self.name} is down")
        return f"{self.name}:{style}"


def router(gemini, t5, basic, **settings):
    return Router(Settings(status_interval_s=0, **settings), FakeHandle(gemini), FakeHandle(t5), FakeHandle(basic))


def run(coro):
    return asyncio.run(coro)


def rules(offset=10):
    return Engine("basic", tasks=tuple(Task), styles=(Style.FORMAL, Style.SIMPLE, Style.CONCISE), offset=offset)


def test_auto_takes_the_best_live_engine_and_style_hints_come_from_the_rules():
    r = router(Engine("gemini"), Engine("t5"), rules())
    answer = run(r.suggest("a b c", ["grammar", "tone"], "en-US", "auto"))
    assert answer["engine"] == "gemini"
    assert {(e["category"], e["engine"]) for e in answer["suggestions"]} == {("grammar", "gemini"), ("tone", "basic")}


def test_hints_that_overlap_a_model_edit_are_dropped():
    r = router(Engine("gemini"), Engine("t5"), rules(offset=0))
    answer = run(r.suggest("a b", ["grammar", "clarity"], "en-US", "auto"))  # both land on offset 0
    assert [e["engine"] for e in answer["suggestions"]] == ["gemini"]


def test_a_failing_engine_falls_back_and_its_breaker_opens():
    r = router(Engine("gemini", fail=True), Engine("t5", live=False), rules(), breaker_failures=2, breaker_cooldown_s=60)
    for _ in range(2):
        assert run(r.suggest("a", None, "en-US", "auto"))["engine"] == "basic"
    status = run(r.status())
    assert status["engines"]["gemini"]["circuit"] == "open" and status["auto"] == "basic"


def test_a_random_model_is_never_picked_by_auto_but_can_be_asked_for():
    r = router(Engine("gemini", live=False), Engine("t5", auto=False), rules())
    assert run(r.status())["auto"] == "basic"
    assert run(r.suggest("a", ["grammar"], "en-US", "auto"))["engine"] == "basic"
    assert run(r.suggest("a", ["grammar"], "en-US", "t5"))["engine"] == "t5"


def test_a_named_engine_that_is_down_is_a_503_with_retry_after():
    r = router(Engine("gemini", live=False), Engine("t5"), rules())
    with pytest.raises(EngineUnavailable) as err:
        run(r.suggest("a", None, "en-US", "gemini"))
    assert err.value.retry_after > 0 and "gemini" in err.value.message


def test_rewrite_goes_to_an_engine_that_can_do_the_style():
    r = router(Engine("gemini", live=False), Engine("t5", live=False), rules())
    assert run(r.rewrite("a", "formal", "auto")) == {"text": "basic:formal", "engine": "basic"}
    with pytest.raises(Unprocessable):
        run(r.rewrite("a", "paraphrase", "basic"))


def test_breaker_opens_after_the_limit_and_lets_a_trial_through_after_the_cooldown():
    breaker = Breaker(limit=2, cooldown_s=0.05)
    breaker.failed()
    assert not breaker.is_open()
    breaker.failed()
    assert breaker.is_open() and breaker.retry_in() >= 1
    time.sleep(0.06)
    assert not breaker.is_open()
    breaker.succeeded()
    assert breaker.failures == 0


class HeldStatus(Engine):
    """An engine that answers its first status at once and each later one only when released."""

    def __init__(self, name, **kw):
        super().__init__(name, **kw)
        self.release = asyncio.Event()
        self.asked = 0

    async def status(self):
        self.asked += 1
        if self.asked > 1:
            await self.release.wait()
        return super().status()


def test_engines_are_asked_once_in_the_background_and_requests_do_not_wait_for_it():
    async def scenario():
        held = HeldStatus("gemini")
        gemini, t5, basic = FakeHandle(held), FakeHandle(Engine("t5")), FakeHandle(rules())
        r = Router(Settings(status_interval_s=0.1), gemini, t5, basic)
        assert (await r.suggest("a", ["grammar"], "en-US", "auto"))["engine"] == "gemini"  # the first status is awaited
        await asyncio.sleep(0.15)  # the status is stale now, though not old
        # 20 requests while the refresh they start is held: they answer on the known status (a wait would time out)
        answers = await asyncio.wait_for(asyncio.gather(*(r.suggest("a", ["grammar"], "en-US", "auto") for _ in range(20))), 5)
        assert {a["engine"] for a in answers} == {"gemini"}
        assert gemini.called("status") == 2  # one refresh for the 20, not 20
        held.release.set()
    run(scenario())
