"""Analytics events, written off the request path.

A writing request only appends its event to a bounded in-memory buffer (no I/O, no
await); a background task writes the buffer to the store in batches. When the database
is down the batch stays and is retried, new events beyond the bound are dropped and
counted: losing the database never slows or fails a writing request.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from dataclasses import dataclass

from bson import ObjectId

from serve import metrics
from serve.logging import get_logger
from serve.store import Store, now

_BACKOFF_MAX_S = 30.0


@dataclass
class EventCounts:
    recorded: int = 0
    written: int = 0
    dropped: int = 0
    failed_flushes: int = 0


class EventBuffer:
    def __init__(self, store: Store, capacity: int, batch: int, flush_s: float):
        self._store, self._capacity, self._batch, self._flush_s = store, capacity, batch, flush_s
        self._pending: deque[dict] = deque()
        self._writer: asyncio.Task | None = None
        self._flushing: asyncio.Lock | None = None
        self.counts = EventCounts()
        self._log = get_logger()

    def record(self, user: str, endpoint: str, engine: str | None, latency_ms: float, cached: bool) -> None:
        """Queue one event; never blocks, never raises for the store's sake."""
        if not self._store.configured:
            return
        if len(self._pending) >= self._capacity:
            self.counts.dropped += 1
            metrics.analytics_dropped("buffer_full")
            return
        self._pending.append({"_id": ObjectId(), "user": user, "endpoint": endpoint, "engine": engine,
                              "latency_ms": round(latency_ms, 2), "cached": cached, "created_at": now()})
        self.counts.recorded += 1
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_forever())

    def stats(self) -> dict:
        return {**self.counts.__dict__, "pending": len(self._pending)}

    async def flush(self) -> None:
        """Write everything pending now (raises when the store is unreachable)."""
        self._flushing = self._flushing or asyncio.Lock()
        async with self._flushing:
            while self._pending:
                batch = list(itertools.islice(self._pending, self._batch))
                await self._store.insert_events(batch)
                for _ in batch:  # only a flush removes, one at a time: the first len(batch) are this batch
                    self._pending.popleft()
                self.counts.written += len(batch)

    async def _write_forever(self) -> None:
        delay = self._flush_s
        while True:
            await asyncio.sleep(delay)
            try:
                await self.flush()
                delay = self._flush_s
            except Exception as exc:
                self.counts.failed_flushes += 1
                delay = min(delay * 2, _BACKOFF_MAX_S)
                self._log.warning("analytics events not written (%d pending, retry in %.1fs): %s", len(self._pending), delay, exc)
