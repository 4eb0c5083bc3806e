"""The in-replica cache backend: bounded by entries and bytes, LRU or LFU, TTL per entry."""

from __future__ import annotations

import asyncio
import time

from deployments.cache import MemoryBackend


def run(coro):
    return asyncio.run(coro)


def test_entry_bound_evicts_least_recently_used():
    cache = MemoryBackend(max_entries=3, max_bytes=10_000, eviction="lru")

    async def scenario():
        for key in "abc":
            await cache.set(key, b"v", 60)
        await cache.get("a")  # a is now the most recent
        await cache.set("d", b"v", 60)
        return [await cache.get(k) for k in "abcd"]

    assert run(scenario()) == [b"v", None, b"v", b"v"]


def test_lfu_keeps_the_often_read_entry():
    cache = MemoryBackend(max_entries=2, max_bytes=10_000, eviction="lfu")

    async def scenario():
        await cache.set("hot", b"v", 60)
        await cache.set("cold", b"v", 60)
        for _ in range(5):
            await cache.get("hot")
        await cache.set("new", b"v", 60)
        return await cache.get("hot"), await cache.get("cold")

    assert run(scenario()) == (b"v", None)


def test_byte_bound_evicts_and_oversized_values_are_not_stored():
    cache = MemoryBackend(max_entries=100, max_bytes=1000, eviction="lru")

    async def scenario():
        for i in range(5):
            await cache.set(f"k{i}", b"x" * 300, 60)
        size = await cache.size()
        await cache.set("huge", b"x" * 2000, 60)
        return size, await cache.get("huge"), await cache.get("k4")

    size, huge, newest = run(scenario())
    assert size["bytes"] <= 1000 and size["entries"] < 5
    assert huge is None and newest == b"x" * 300


def test_entries_expire_after_their_ttl():
    cache = MemoryBackend(max_entries=10, max_bytes=10_000, eviction="lru")

    async def scenario():
        await cache.set("short", b"v", 0)
        await cache.set("long", b"v", 60)
        time.sleep(0.01)
        return await cache.get("short"), await cache.get("long"), (await cache.size())["entries"]

    assert run(scenario()) == (None, b"v", 1)
