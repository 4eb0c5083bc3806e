"""FallbackMode state shared through a real redis-server, kept per replica while Redis is
down and pushed back when it returns; the cache's stale-if-error copy."""

from __future__ import annotations

import asyncio

from deployments.cache import MemoryBackend, ResponseCache
from deployments.fallback import Fallback, FallbackMode, SharedState
from serve.settings import Settings
from support.handles import FakeHandle
from support.services import RedisServer


def test_two_replicas_share_the_mode_through_redis_and_survive_an_outage(tmp_path):
    redis_server = RedisServer(tmp_path).start()
    settings = Settings(redis_url=redis_server.url, status_interval_s=0)

    async def scenario():
        one, two = SharedState(settings, None), SharedState(settings, None)
        await one.update(mode=FallbackMode(useCache=True, maxRetries=1))
        await two.refresh()
        seen = [two.mode.use_cache, two.mode.max_retries, two.shared]

        redis_server.stop()
        await one.update(mode=FallbackMode(basicMode=True))  # set while Redis is down: kept here
        seen += [one.mode.basic_mode, one.shared]
        await two.refresh()
        seen += [two.mode.use_cache, two.shared]  # the other keeps its last known state

        redis_server.start()  # empty, same port: the pending change is pushed, then shared
        await one.refresh()
        await two.refresh()
        seen += [one.shared, two.mode.basic_mode, two.shared]
        return seen

    try:
        assert asyncio.run(scenario()) == [True, 1, True, True, False, True, False, True, True, True]
    finally:
        redis_server.stop()


def test_a_restarted_holder_gets_the_mode_back_from_the_replicas():
    settings = Settings(status_interval_s=0)
    holder = FakeHandle(Fallback(settings))

    async def scenario():
        replica = SharedState(settings, holder)
        await replica.update(mode=FallbackMode(skipAI=True))
        holder.target = Fallback(settings)  # Serve restarted the holder: it knows nothing
        await replica.refresh()
        return holder.target.get()["mode"]["skipAI"], (await replica.update(draining=True))["mode"]["skipAI"]

    assert asyncio.run(scenario()) == (True, True)


def test_an_answer_past_its_ttl_is_a_miss_but_still_there_for_stale_if_error():
    cache = ResponseCache(Settings(cache_ttl_suggestions_s=0), MemoryBackend(100, 10_000, "lru"))

    async def scenario():
        await cache.set("suggestions", ["gemini", "1", "text"], {"suggestions": [], "engine": "gemini"})
        return await cache.get("suggestions", ["gemini", "1", "text"]), await cache.get("suggestions", ["gemini", "1", "text"], stale_ok=True)

    assert asyncio.run(scenario()) == (None, {"suggestions": [], "engine": "gemini"})
