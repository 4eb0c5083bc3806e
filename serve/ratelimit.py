"""Rate limits: a moving window, per key or per client address.

With REDIS_URL every replica counts in the same Redis: one Lua script per request
(`_MOVING_WINDOW`) drops the caller's requests older than the window from a sorted set,
counts the rest, adds this one if it fits and returns the count and the oldest time, all
atomically and on the server's clock (Redis 5 or later), so the limit is exact across replicas and a hit is
one round trip. Without it each replica counts in memory, in `MemoryWindows` (the same
window: a deque of request times per caller, no background task). If Redis stops
answering, the replica counts in memory until it answers again: limits loosen to per
replica rather than refuse every caller.
"""

from __future__ import annotations

import ipaddress
import itertools
import math
import time
import uuid
from collections import deque
from dataclasses import dataclass

from serve.logging import get_logger

# KEYS[1]: the caller's window; ARGV: window (ms), limit, a unique member for this request.
# Returns {allowed (0/1), requests in the window, ms until the oldest leaves it}.
_MOVING_WINDOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  count = count + 1
  allowed = 1
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local reset = window
if oldest[2] then reset = tonumber(oldest[2]) + window - now end
redis.call('PEXPIRE', KEYS[1], window)
return {allowed, count, reset}
"""


@dataclass(frozen=True)
class Window:
    """One caller's standing after a request: what the RateLimit-* headers say."""

    limit: int
    remaining: int
    reset_s: int  # seconds until the oldest counted request leaves the window
    allowed: bool

    def headers(self) -> dict[str, str]:
        return {"RateLimit-Limit": str(self.limit), "RateLimit-Remaining": str(self.remaining), "RateLimit-Reset": str(self.reset_s)}


class RateLimiter:
    def __init__(self, settings):
        self.window_s, self.default_max, self.role_max = settings.rate_limit_window_s, settings.rate_limit_max, settings.rate_limit_roles
        self._memory = MemoryWindows(self.window_s)
        self._tag, self._seq = uuid.uuid4().hex[:12], itertools.count()  # members unique across replicas
        self._shared = None
        if settings.redis_url:
            import redis.asyncio as redis

            client = redis.from_url(settings.redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)
            self._shared = client.register_script(_MOVING_WINDOW)
        self._trusted = [ipaddress.ip_network(proxy, strict=False) for proxy in settings.trusted_proxies]

    def limit_for(self, roles) -> int:
        """A key's limit: its most generous role's own limit, else the default."""
        return max((self.role_max[role] for role in roles if role in self.role_max), default=self.default_max)

    async def hit(self, identity: str, roles) -> Window:
        limit = self.limit_for(roles)
        if self._shared is not None:
            from redis.exceptions import RedisError

            try:
                return await self._hit(identity, limit)
            except (RedisError, OSError) as exc:
                get_logger().warning("rate limit store unreachable, counting in this replica (%s)", type(exc).__name__)
        return self._memory.hit(identity, limit)

    async def _hit(self, identity: str, limit: int) -> Window:
        key = f"ratelimit:{self.window_s}:{limit}:{identity}"
        member = f"{self._tag}-{next(self._seq)}"
        allowed, count, reset_ms = await self._shared(keys=[key], args=[self.window_s * 1000, limit, member])
        return Window(limit, max(0, limit - int(count)), max(1, math.ceil(int(reset_ms) / 1000)), bool(allowed))

    def client_address(self, peer: str | None, forwarded_for: str | None) -> str:
        """The caller's address: the peer, unless the peer is a trusted proxy; then the
        rightmost X-Forwarded-For entry that is not itself a trusted proxy."""
        address = peer or "unknown"
        hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
        while self._is_trusted(address) and hops:
            address = hops.pop()
        return address

    def _is_trusted(self, address: str) -> bool:
        if not self._trusted:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._trusted)


class MemoryWindows:
    """Moving windows in this process: each caller's request times in a deque, the oldest
    dropped as they leave the window. A hit costs a few deque operations (the `limits`
    library's memory storage starts a task and a thread hop per hit to expire entries).
    Callers idle for a whole window are forgotten every `SWEEP_EVERY` hits."""

    SWEEP_EVERY = 4096

    def __init__(self, window_s: int):
        self.window_s = window_s
        self._times: dict[str, deque[float]] = {}
        self._hits = 0

    def hit(self, identity: str, limit: int) -> Window:
        now = time.monotonic()
        times = self._times.get(identity)
        if times is None:
            times = self._times[identity] = deque()
        while times and times[0] <= now - self.window_s:
            times.popleft()
        allowed = len(times) < limit
        if allowed:
            times.append(now)
        self._hits += 1
        if self._hits % self.SWEEP_EVERY == 0:
            self._sweep(now)
        reset_s = max(1, math.ceil(times[0] + self.window_s - now)) if times else self.window_s
        return Window(limit, max(0, limit - len(times)), reset_s, allowed)

    def _sweep(self, now: float) -> None:
        for identity in [i for i, times in self._times.items() if not times or times[-1] <= now - self.window_s]:
            del self._times[identity]
