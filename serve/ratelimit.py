"""Rate limits: a moving window, per key or per client address.

With REDIS_URL every replica counts in the same Redis through the `limits` library's
moving window (its Lua scripts make each hit atomic, so the limit is exact across
replicas); without it each replica counts in memory, in `MemoryWindows` (the same
window: a deque of request times per caller, no background task). If Redis stops
answering, the replica counts in memory until it answers again: limits loosen to per
replica rather than refuse every caller.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections import deque
from dataclasses import dataclass

from limits import RateLimitItemPerSecond
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string

from serve.logging import get_logger


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
        self._shared = None
        if settings.redis_url:
            storage = storage_from_string(f"async+{settings.redis_url}", implementation="redispy", wrap_exceptions=True)
            self._shared = MovingWindowRateLimiter(storage)
        self._trusted = [ipaddress.ip_network(proxy, strict=False) for proxy in settings.trusted_proxies]

    def limit_for(self, roles) -> int:
        """A key's limit: its most generous role's own limit, else the default."""
        return max((self.role_max[role] for role in roles if role in self.role_max), default=self.default_max)

    async def hit(self, identity: str, roles) -> Window:
        item = RateLimitItemPerSecond(self.limit_for(roles), self.window_s)
        try:
            if self._shared is not None:
                return await self._hit(self._shared, item, identity)
        except StorageError as exc:
            get_logger().warning("rate limit store unreachable, counting in this replica (%s)", type(exc.storage_error).__name__)
        return self._memory.hit(identity, item.amount)

    @staticmethod
    async def _hit(limiter: MovingWindowRateLimiter, item, identity: str) -> Window:
        allowed = await limiter.hit(item, identity)
        stats = await limiter.get_window_stats(item, identity)
        reset_s = max(1, math.ceil(stats.reset_time - time.time()))
        return Window(item.amount, max(0, stats.remaining), reset_s, allowed)

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
