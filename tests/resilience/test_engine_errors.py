"""Engine failures by kind, without Serve: the real google-genai SDK against the loopback
fake, and the Router's retries, backoff, Retry-After and budget with plain engines."""

from __future__ import annotations

import asyncio
import time

import pytest

from deployments.fallback import Fallback, FallbackMode
from deployments.gemini import Gemini
from deployments.router import Router
from serve.errors import EngineBusy, EngineRejected, EngineUnavailable
from serve.settings import Settings
from support.handles import FakeHandle


def gemini_engine(fake, **settings) -> Gemini:
    return Gemini(Settings(google_ai_api_key="test-key", gemini_base_url=fake.url, gemini_timeout_s=1.0, **settings))


def test_a_refused_key_is_found_at_start_reported_with_its_reason_and_checked_again(gemini_script):
    gemini_script.mode = "unauthorized"
    engine = gemini_engine(gemini_script, gemini_key_recheck_s=0.3)
    status = asyncio.run(engine.status())
    assert status["live"] is False and "401" in status["reason"] and "refused" in status["reason"]
    with pytest.raises(EngineRejected):
        asyncio.run(engine.rewrite("Some text.", "formal"))
    assert gemini_script.requests == []  # a refused key costs no generation call

    gemini_script.mode = "ok"  # the key works again (billing fixed, restriction lifted)

    async def live_again() -> bool:
        for _ in range(40):
            if (await engine.status())["live"]:
                return True
            await asyncio.sleep(0.1)
        return False

    assert asyncio.run(live_again())


@pytest.mark.parametrize(
    ("mode", "kind", "words"),
    [("error", EngineUnavailable, "500"), ("busy", EngineBusy, "429"), ("slow", EngineUnavailable, "timed out")],
)
def test_transient_failures_leave_as_retryable_kinds(gemini_script, mode, kind, words):
    engine = gemini_engine(gemini_script)
    gemini_script.mode, gemini_script.delay_s, gemini_script.retry_after_s = mode, 3.0, 7
    started = time.monotonic()
    with pytest.raises(kind) as caught:
        asyncio.run(engine.rewrite("Some text.", "formal"))
    assert type(caught.value) is kind and words in caught.value.message
    assert time.monotonic() - started < 2.5  # the SDK does not retry on its own; a hang ends at the timeout
    if mode == "busy":
        assert caught.value.retry_after == 7  # Gemini's Retry-After, kept
    assert asyncio.run(engine.status())["live"] is True  # an outage is not a refusal


class Flaky:
    """An engine that fails `failures` times with `error`, then answers."""

    def __init__(self, name, failures=0, error=None):
        self.name, self.failures, self.error, self.calls = name, failures, error, []

    def status(self):
        return {"live": True, "reason": None, "version": "1", "tasks": ["grammar", "spelling"], "styles": ["formal"], "auto": True}

    def rewrite(self, text, style):
        self.calls.append(time.monotonic())
        if len(self.calls) <= self.failures:
            raise self.error
        return f"{self.name}:{text}"


def routed(gemini, mode=None, **settings):
    holder = Fallback(Settings())
    if mode is not None:
        holder.put({"mode": mode.wire(), "draining": False})
    router = Router(Settings(status_interval_s=0, **settings), FakeHandle(gemini), FakeHandle(Flaky("t5")), FakeHandle(Flaky("basic")),
                    FakeHandle(holder))

    async def call():
        await router._shared.refresh()  # as the background read does within status_interval_s
        return await router.rewrite("Text.", "formal", "auto")

    return asyncio.run(call())


def test_transient_failures_are_retried_with_backoff_then_answered():
    gemini = Flaky("gemini", failures=2, error=EngineUnavailable("Gemini failed (500 INTERNAL)"))
    assert routed(gemini)["engine"] == "gemini" and len(gemini.calls) == 3
    assert gemini.calls[1] - gemini.calls[0] >= 0.1  # backoff between tries


def test_retries_are_bounded_by_max_retries_then_the_next_engine_answers():
    gemini = Flaky("gemini", failures=5, error=EngineUnavailable("Gemini failed (503)"))
    assert routed(gemini, FallbackMode(maxRetries=1))["engine"] == "t5" and len(gemini.calls) == 2


def test_a_refusal_is_not_retried():
    gemini = Flaky("gemini", failures=5, error=EngineRejected("Gemini refused the request (400)"))
    assert routed(gemini)["engine"] == "t5" and len(gemini.calls) == 1


def test_retry_after_is_honoured_within_the_budget_and_not_past_it():
    gemini = Flaky("gemini", failures=1, error=EngineBusy("Gemini is rate limiting", retry_after=1))
    assert routed(gemini)["engine"] == "gemini" and gemini.calls[1] - gemini.calls[0] >= 1.0
    too_long = Flaky("gemini", failures=1, error=EngineBusy("Gemini is rate limiting", retry_after=30))
    started = time.monotonic()
    assert routed(too_long, engine_timeout_s=2.0)["engine"] == "t5" and len(too_long.calls) == 1
    assert time.monotonic() - started < 1.5  # no pointless wait: the next engine answers at once



class Replaced(Flaky):
    """An engine whose replica is being replaced: its status does not come."""

    async def status(self):
        if self.failures:
            await asyncio.sleep(30)
        return super().status()


def test_an_engine_slow_to_report_keeps_its_last_status_and_does_not_hold_up_the_others():
    t5 = Replaced("t5")
    router = Router(Settings(status_interval_s=0), FakeHandle(Flaky("gemini")), FakeHandle(t5), FakeHandle(Flaky("basic")))

    async def scenario():
        await router.status()
        t5.failures = 1
        started = time.monotonic()
        status = await router.status()
        return status["engines"]["t5"]["live"], time.monotonic() - started

    live, seconds = asyncio.run(scenario())
    assert live is True and seconds < 5
