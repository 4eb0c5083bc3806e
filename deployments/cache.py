"""The response cache the ingress holds: one interface, two backends.

Redis when REDIS_URL is set (shared by every ingress replica), else an in-replica
LRU/LFU. It lives in the ingress rather than behind a handle: a Redis GET or a dict
lookup costs well under a millisecond, a Serve hop about two (docs/benchmarks.md).
Values are JSON documents. A backend failure reads as a miss and a skipped write,
so a broken cache slows the service down but never fails a request. Entries are
kept `cache_stale_s` past their TTL: a lookup with `stale_ok` (FallbackMode.useCache,
when engines fail) still finds them.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Awaitable, Callable, Protocol

import cachetools

from serve import metrics
from serve.logging import get_logger
from serve.settings import Settings

_ENTRY_OVERHEAD = 64  # bytes a stored entry costs beyond its value, roughly


class CacheBackend(Protocol):
    name: str

    async def get(self, key: str) -> bytes | None: ...
    async def set(self, key: str, value: bytes, ttl_s: int) -> None: ...
    async def clear(self) -> int: ...
    async def size(self) -> dict: ...
    async def ping(self) -> bool: ...


class MemoryBackend:
    """LRU or LFU, bounded by entry count and by bytes, with a TTL per entry."""

    name = "memory"

    def __init__(self, max_entries: int, max_bytes: int, eviction: str):
        kind = cachetools.LFUCache if eviction == "lfu" else cachetools.LRUCache
        self._entries = kind(maxsize=max_bytes, getsizeof=lambda item: len(item[1]) + _ENTRY_OVERHEAD)
        self._max_entries = max_entries

    async def get(self, key: str) -> bytes | None:
        item = self._entries.get(key)
        if item is None:
            return None
        expires_at, value = item
        if expires_at < time.monotonic():
            del self._entries[key]
            return None
        return value

    async def set(self, key: str, value: bytes, ttl_s: int) -> None:
        if len(value) + _ENTRY_OVERHEAD > self._entries.maxsize:
            return  # larger than the whole cache: not worth evicting everything for
        self._entries[key] = (time.monotonic() + ttl_s, value)  # evicts by bytes
        while len(self._entries) > self._max_entries:
            self._entries.popitem()  # evicts by count, with the same policy

    async def clear(self) -> int:
        count = len(self._entries)
        self._entries.clear()
        return count

    async def size(self) -> dict:
        return {"entries": len(self._entries), "bytes": int(self._entries.currsize)}

    async def ping(self) -> bool:
        return True


class RedisBackend:
    """Shared by every ingress replica; size and eviction are the Redis server's
    maxmemory / maxmemory-policy (cluster/ sets them to the guide's 2gb and allkeys-lru)."""

    name = "redis"
    prefix = "writing:cache:"

    def __init__(self, url: str):
        import redis.asyncio as redis

        self._redis = redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)

    async def get(self, key: str) -> bytes | None:
        return await self._redis.get(self.prefix + key)

    async def set(self, key: str, value: bytes, ttl_s: int) -> None:
        await self._redis.set(self.prefix + key, value, ex=ttl_s)

    async def clear(self) -> int:
        removed, batch = 0, []
        async for key in self._redis.scan_iter(match=self.prefix + "*", count=500):
            batch.append(key)
            if len(batch) == 500:
                removed += await self._redis.unlink(*batch)
                batch = []
        return removed + (await self._redis.unlink(*batch) if batch else 0)

    async def size(self) -> dict:
        """Cheap enough for every readiness probe: no key scan (keys counts the whole database)."""
        memory = await self._redis.info("memory")
        return {
            "entries": await self._redis.dbsize(),
            "bytes": int(memory.get("used_memory", 0)),
            "max_bytes": int(memory.get("maxmemory", 0)),
            "policy": memory.get("maxmemory_policy"),
        }

    async def ping(self) -> bool:
        return bool(await self._redis.ping())


def make_backend(settings: Settings) -> CacheBackend:
    if settings.redis_url:
        return RedisBackend(settings.redis_url)
    return MemoryBackend(settings.cache_max_entries, settings.cache_max_memory, settings.cache_eviction)


def cache_key(kind: str, parts: list) -> str:
    """Kind and the request's parts (engine, engine version, normalised request; text kept exact: offsets index it)."""
    return hashlib.sha256(json.dumps([kind, *parts], separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


class ResponseCache:
    def __init__(self, settings: Settings, backend: CacheBackend | None = None):
        self._settings = settings
        self._backend = backend or make_backend(settings)
        self._log = get_logger(settings)
        self.hits = 0
        self.misses = 0
        self.errors = 0

    async def get_or_compute(
        self, kind: str, parts: list, compute: Callable[[], Awaitable[dict]], stored_parts: Callable[[dict], list] | None = None
    ) -> tuple[dict, bool]:
        """The cached answer for `parts`, else `compute()`'s, stored under `stored_parts(answer)`
        (by default `parts`: a fallback engine's answer is stored under the engine that gave it)."""
        key = cache_key(kind, parts)
        hit = await self.get(kind, parts, key=key)
        if hit is not None:
            return hit, True
        answer = await compute()
        stored = stored_parts(answer) if stored_parts else parts
        await self.set(kind, stored, answer, key=key if stored == parts else None)
        return answer, False

    async def get(self, kind: str, parts: list, stale_ok: bool = False, key: str | None = None) -> dict | None:
        """The fresh answer (a hit or a miss counted), or with `stale_ok` one past its TTL too."""
        try:
            raw = await self._backend.get(key or cache_key(kind, parts))
        except Exception as exc:  # a cache outage is a miss, never a failed request
            self._failed("get", exc)
            raw = None
        entry = json.loads(raw) if raw is not None else None
        if stale_ok:
            return entry and entry["value"]
        hit = entry is not None and entry["fresh_until"] >= time.time()
        self.hits += hit
        self.misses += not hit
        metrics.cache_lookup(kind, hit, self.hits, self.misses)
        return entry["value"] if hit else None

    async def set(self, kind: str, parts: list, value: dict, key: str | None = None) -> None:
        try:
            ttl = self._settings.cache_ttl(kind)
            raw = json.dumps({"fresh_until": time.time() + ttl, "value": value}, separators=(",", ":")).encode()
            await self._backend.set(key or cache_key(kind, parts), raw, ttl + self._settings.cache_stale_s)
        except Exception as exc:
            self._failed("set", exc)

    async def clear(self) -> int:
        return await self._backend.clear()

    async def stats(self) -> dict:
        lookups = self.hits + self.misses
        try:
            size, reachable = await self._backend.size(), await self._backend.ping()
        except Exception as exc:
            self._failed("stats", exc)
            size, reachable = {}, False
        return {
            "backend": self._backend.name,
            "reachable": reachable,
            "hits": self.hits,
            "misses": self.misses,
            "errors": self.errors,
            "hit_rate": self.hits / lookups if lookups else None,
            **size,
        }

    def _failed(self, operation: str, exc: Exception) -> None:
        self.errors += 1
        metrics.cache_error(operation)
        self._log.warning("cache %s failed on %s: %s", operation, self._backend.name, exc)
