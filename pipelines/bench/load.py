"""A bounded async HTTP load generator: a fixed number of requests, a time limit,
a fixed number of callers; latencies and errors recorded per request."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    concurrency: int
    sent: int = 0
    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    in_first_burst: list[bool] = field(default_factory=list)  # per latency: one of the first `concurrency` requests
    first_error: str | None = None
    warmup_seconds: float = 0.0

    def summary(self) -> dict:
        lat = sorted(self.latencies_ms)
        after = sorted(ms for ms, burst in zip(self.latencies_ms, self.in_first_burst) if not burst)
        slowest = sorted(zip(self.latencies_ms, self.in_first_burst))[-max(1, -(-len(lat) // 100)):]  # 1 %, at least one
        return {
            "concurrency": self.concurrency,
            "requests": self.sent,
            "ok": self.ok,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "warmup_seconds": round(self.warmup_seconds, 3),
            "rps": round(self.ok / self.seconds, 2) if self.seconds else 0.0,
            "p50_ms": round(percentile(lat, 50), 2),
            "p95_ms": round(percentile(lat, 95), 2),
            "p99_ms": round(percentile(lat, 99), 2),
            "mean_ms": round(statistics.fmean(lat), 2) if lat else 0.0,
            "max_ms": round(lat[-1], 2) if lat else 0.0,
            # Where the tail comes from: the callers' first requests all start at once
            # (a burst), the rest each as its caller's previous answer arrives.
            "p99_after_first_burst_ms": round(percentile(after, 99), 2),
            "slowest_1pct_from_first_burst": f"{sum(burst for _, burst in slowest)} of {len(slowest)}",
            "first_error": self.first_error,
        }


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list (0.0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), round(q / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


async def run_load(
    url: str, body: Callable[[int], dict], concurrency: int, requests: int, time_limit_s: float, warmup: int = 0
) -> LoadResult:
    """POST `body(i)` to `url` from `concurrency` callers until `requests` were sent or
    `time_limit_s` passed (requests in flight then still finish and count)."""
    import aiohttp

    result = LoadResult(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    timeout = aiohttp.ClientTimeout(total=max(120.0, time_limit_s * 2))
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        async def warm(first: int) -> None:  # untimed, different inputs from the measured ones
            for i in range(first, warmup, concurrency):
                async with session.post(url, json=body(-1 - i)) as response:
                    await response.read()

        # Up to `concurrency` callers at once, so the timed run starts on open connections
        # (as a client's pool would be) rather than opening them all in its first burst.
        warm_started = time.perf_counter()
        await asyncio.gather(*(warm(k) for k in range(min(concurrency, warmup))))
        result.warmup_seconds = time.perf_counter() - warm_started

        next_index = 0
        deadline = time.perf_counter() + time_limit_s

        async def caller() -> None:
            nonlocal next_index
            while next_index < requests and time.perf_counter() < deadline:
                i, next_index = next_index, next_index + 1
                result.sent += 1
                started = time.perf_counter()
                try:
                    async with session.post(url, json=body(i)) as response:
                        payload = await response.read()
                        status = response.status
                except Exception as exc:  # a refused or dropped connection is an error, not a crash
                    status, payload = 0, f"{type(exc).__name__}: {exc}".encode()
                elapsed_ms = (time.perf_counter() - started) * 1000
                if 200 <= status < 300:
                    result.ok += 1
                    result.latencies_ms.append(elapsed_ms)
                    result.in_first_burst.append(i < concurrency)
                else:
                    result.errors += 1
                    result.first_error = result.first_error or f"{status} {payload[:200].decode(errors='replace')}"

        started = time.perf_counter()
        await asyncio.gather(*(caller() for _ in range(concurrency)))
        result.seconds = time.perf_counter() - started
    return result


def load(url: str, body: Callable[[int], dict], concurrency: int, requests: int, time_limit_s: float, warmup: int = 0) -> dict:
    return asyncio.run(run_load(url, body, concurrency, requests, time_limit_s, warmup)).summary()


class CpuShare:
    """CPU used by each process on the machine while a block runs, in % of one core.

        with CpuShare() as cpu:
            load(...)
        cpu.top(8)  # [("ray::ServeReplica:bench:T5", 168.0), ...]
    """

    def __enter__(self) -> "CpuShare":
        import psutil

        self._procs = {}
        for proc in psutil.process_iter(["name", "cmdline"]):
            try:
                self._procs[proc.pid] = (proc, sum(proc.cpu_times()[:2]))
            except psutil.Error:
                pass
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        import psutil

        seconds = time.perf_counter() - self._started
        self.shares = {}
        for proc, before in self._procs.values():
            try:
                used = sum(proc.cpu_times()[:2]) - before
            except psutil.Error:
                continue
            cmd = proc.info["cmdline"] or [proc.info["name"] or "?"]
            if cmd[0].startswith("ray::"):
                name = cmd[0]
            else:  # "gcs_server", "python -m serve", "redis-server"
                name = cmd[0].rsplit("/", 1)[-1] + (f" -m {cmd[2]}" if cmd[1:2] == ["-m"] and len(cmd) > 2 else "")
            self.shares[name] = self.shares.get(name, 0.0) + used / seconds * 100

    def top(self, n: int = 8) -> list[tuple[str, float]]:
        ranked = sorted(self.shares.items(), key=lambda kv: -kv[1])
        return [(name, round(pct, 1)) for name, pct in ranked[:n] if pct >= 0.5]
