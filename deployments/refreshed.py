"""A value a replica asks another deployment for, kept fresh in the background.

The ingress keeps the router's engine status this way, and the router each engine's. A
request never waits for a refresh and concurrent requests never start two: a stale value
starts one refresh in the background and the request goes on with the value it has. It
waits only before the first value has come, or when the one it has is so old
(`old_after` intervals: the replica was idle) that it may name an engine long gone or miss
one that came back; then for at most `wait_s`, else the old value serves.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Refreshed(Generic[T]):
    def __init__(self, fetch: Callable[[], Awaitable[T]], interval_s: float, old_after: int = 10, wait_s: float = 1.0):
        self._fetch, self._interval_s, self._old_after, self._wait_s = fetch, interval_s, old_after, wait_s
        self.value: T | None = None
        self._at = float("-inf")
        self._refreshing: asyncio.Task | None = None

    async def get(self) -> T:
        age = time.monotonic() - self._at
        if age > self._interval_s and (self._refreshing is None or self._refreshing.done()):
            self._refreshing = asyncio.ensure_future(self.refresh())
        if self.value is None:
            await asyncio.shield(self._refreshing)  # the first value: its failure is the caller's
        elif age > self._old_after * self._interval_s:
            await asyncio.wait([self._refreshing], timeout=self._wait_s)
        return self.value

    async def refresh(self) -> None:
        """Ask now. A failure keeps the last value; with none yet, it is raised."""
        try:
            self.value = await self._fetch()
            self._at = time.monotonic()
        except Exception:
            if self.value is None:
                raise
