"""The product's metrics, defined once, and the cluster-wide summary read back from them.

Each is a `ray.util.metrics` instrument, so it leaves through Ray's metrics export port
on every node next to Ray Serve's own `ray_serve_*` (which this module does not repeat:
replicas, queue lengths and handle latencies are Serve's). Ray exports every name with a
`ray_` prefix; alert rules, dashboards and `summary()` use the exported names.

Callers record through the functions below; instruments are made on first use in each
process (a replica, a test), so importing this module costs nothing.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Iterator

EXPORT_PREFIX = "ray_"
REQUEST_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10]
ENGINE_BUCKETS_S = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30]
BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64]


@dataclass(frozen=True)
class _Instruments:
    request_seconds: object
    requests: object
    cache_hits: object
    cache_misses: object
    cache_hit_ratio: object
    cache_errors: object
    ai_seconds: object
    engine_failures: object
    fallback: object
    t5_batch: object
    t5_queue: object
    rate_limited: object
    analytics_dropped: object


class _HeldGauges:
    """Ray forgets a gauge value that is not sent again within two report intervals (so a
    dead worker's values vanish). These gauges are states that hold until changed, so a
    thread sends each process's last values again every few seconds."""

    def __init__(self, every_s: float = 4.0):
        self._values: dict[tuple, float] = {}
        self._lock = threading.Lock()
        self._every_s = every_s
        self._thread: threading.Thread | None = None

    def set(self, gauge, value: float, tags: dict[str, str] | None = None) -> None:
        gauge.set(value, tags=tags)
        with self._lock:
            self._values[(gauge, tuple(sorted((tags or {}).items())))] = value
            if self._thread is None:
                self._thread = threading.Thread(target=self._send_again, name="held-gauges", daemon=True)
                self._thread.start()

    def _send_again(self) -> None:
        while True:
            time.sleep(self._every_s)
            with self._lock:
                values = list(self._values.items())
            for (gauge, tags), value in values:
                gauge.set(value, tags=dict(tags) or None)


_held = _HeldGauges()


@cache
def _instruments() -> _Instruments:
    from ray.util.metrics import Counter, Gauge, Histogram

    request_tags = ("route", "method", "status")
    return _Instruments(
        request_seconds=Histogram(
            "http_request_duration_seconds", "Time from request to response at the ingress.", REQUEST_BUCKETS_S, request_tags
        ),
        requests=Counter("http_requests_total", "Requests answered by the ingress.", request_tags),
        cache_hits=Counter("cache_hits_total", "Response cache lookups that found an answer.", ("kind",)),
        cache_misses=Counter("cache_misses_total", "Response cache lookups that found none.", ("kind",)),
        cache_hit_ratio=Gauge("cache_hit_ratio", "Hits over lookups in this replica since it started."),
        cache_errors=Counter("cache_errors_total", "Cache backend operations that failed (read as a miss).", ("operation",)),
        ai_seconds=Histogram("ai_latency_seconds", "Time an engine took to answer.", ENGINE_BUCKETS_S, ("engine",)),
        engine_failures=Counter("engine_failures_total", "Engine calls that failed or timed out.", ("engine", "reason")),
        fallback=Gauge("fallback_mode_active", "1 while a FallbackMode switch is on (auto: an engine's circuit is open).", ("switch",)),
        t5_batch=Histogram("t5_batch_size", "Prompts in each T5 model call.", BATCH_BUCKETS),
        t5_queue=Gauge("t5_queue_length", "Prompts waiting for the T5 model in this replica."),
        rate_limited=Counter("rate_limited_requests_total", "Requests refused with 429.", ("scope",)),
        analytics_dropped=Counter("analytics_events_dropped_total", "Usage events that could not be stored.", ("reason",)),
    )


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    tags = {"route": route, "method": method, "status": str(status)}
    _instruments().request_seconds.observe(seconds, tags=tags)
    _instruments().requests.inc(tags=tags)


def cache_lookup(kind: str, hit: bool, hits: int, misses: int) -> None:
    """One lookup of `kind`; `hits` and `misses` are the replica's totals after it."""
    (_instruments().cache_hits if hit else _instruments().cache_misses).inc(tags={"kind": kind})
    _held.set(_instruments().cache_hit_ratio, hits / (hits + misses))


def cache_error(operation: str) -> None:
    _instruments().cache_errors.inc(tags={"operation": operation})


def ai_latency(engine: str, seconds: float) -> None:
    _instruments().ai_seconds.observe(seconds, tags={"engine": engine})


@contextmanager
def engine_call(engine: str) -> Iterator[None]:
    """Records `ai_latency_seconds` for the block, whether it answers or raises."""
    started = time.perf_counter()
    try:
        yield
    finally:
        ai_latency(engine, time.perf_counter() - started)


def engine_failure(engine: str, reason: str) -> None:
    _instruments().engine_failures.inc(tags={"engine": engine, "reason": reason})


def fallback_active(switch: str, on: bool) -> None:
    _held.set(_instruments().fallback, 1.0 if on else 0.0, {"switch": switch})


def t5_batch(size: int, waiting: int) -> None:
    """A model call of `size` prompts starts; `waiting` prompts stay queued behind it."""
    _instruments().t5_batch.observe(size)
    _held.set(_instruments().t5_queue, waiting)


def rate_limited(scope: str) -> None:
    _instruments().rate_limited.inc(tags={"scope": scope})


def analytics_dropped(reason: str, count: int = 1) -> None:
    _instruments().analytics_dropped.inc(count, tags={"reason": reason})


# Reading back: every node's metrics export endpoint, summed across replicas.

Samples = dict[str, list[tuple[dict[str, str], float]]]


def metrics_targets() -> list[str]:
    """host:port of each live Ray node's metrics export endpoint (what Ray's file SD lists)."""
    import ray

    targets = []
    for node in ray.nodes():
        if node["Alive"] and node.get("MetricsExportPort"):
            host = node["NodeManagerAddress"]
            targets.append(f"[{host}]:{node['MetricsExportPort']}" if ":" in host else f"{host}:{node['MetricsExportPort']}")
    return targets


def parse(text: str, into: Samples | None = None, only: tuple[str, ...] = ()) -> Samples:
    """Prometheus text exposition -> {sample name: [(labels, value)]}, of the names that
    start with one of `only` when given (a node exports thousands of Ray's own series)."""
    from prometheus_client.parser import text_string_to_metric_families

    if only:
        text = "\n".join(line for line in text.splitlines() if line.startswith(only))
    samples: Samples = into if into is not None else defaultdict(list)
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[sample.name].append((sample.labels, sample.value))
    return samples


async def scrape(targets: list[str], only: tuple[str, ...] = (), timeout_s: float = 10.0) -> tuple[Samples, int]:
    """Every target's samples (of the names `only` starts) merged, parsed off the event loop,
    and how many targets answered."""
    import httpx

    async with httpx.AsyncClient(timeout=timeout_s) as client:
        answers = await asyncio.gather(*(client.get(f"http://{t}/metrics") for t in targets), return_exceptions=True)
    texts = [a.text for a in answers if not isinstance(a, Exception) and a.status_code == 200]

    def merged() -> Samples:
        samples: Samples = defaultdict(list)
        for text in texts:
            parse(text, samples, only)
        return samples

    return await asyncio.to_thread(merged), len(texts)


def total(samples: Samples, name: str, **match: str) -> float:
    """The sum of `name` (exported name) over every series whose labels include `match`."""
    return sum(value for labels, value in samples.get(name, ()) if all(labels.get(k) == v for k, v in match.items()))


def quantile(q: float, samples: Samples, histogram: str, **match: str) -> float | None:
    """PromQL's histogram_quantile over all series of `histogram`: linear within the bucket."""
    buckets: dict[float, float] = defaultdict(float)
    for labels, value in samples.get(f"{histogram}_bucket", ()):
        if all(labels.get(k) == v for k, v in match.items()):
            buckets[float(labels["le"])] += value
    bounds = sorted(buckets)
    if not bounds or buckets[bounds[-1]] == 0:
        return None
    rank, lower, below = q * buckets[bounds[-1]], 0.0, 0.0
    for bound in bounds:
        if buckets[bound] >= rank:
            if bound == float("inf"):
                return lower  # past the largest finite bucket: its bound is all that is known
            return lower + (bound - lower) * (rank - below) / max(buckets[bound] - below, 1e-12)
        lower, below = bound, buckets[bound]
    return lower


def mean(samples: Samples, histogram: str, **match: str) -> float | None:
    count = total(samples, f"{histogram}_count", **match)
    return total(samples, f"{histogram}_sum", **match) / count if count else None


SUMMARY_NAMES = tuple(
    f"{EXPORT_PREFIX}{name}"
    for name in ("http_request_duration_seconds_bucket", "http_requests_total", "cache_hits_total", "cache_misses_total",
                 "ai_latency_seconds_sum", "ai_latency_seconds_count", "node_mem_used", "node_mem_total")
)


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


def summarize(samples: Samples) -> dict:
    """The guide's PerformanceMetrics from merged samples: times in milliseconds, memory in bytes."""
    request = f"{EXPORT_PREFIX}http_request_duration_seconds"
    engine = f"{EXPORT_PREFIX}ai_latency_seconds"
    hits = total(samples, f"{EXPORT_PREFIX}cache_hits_total")
    lookups = hits + total(samples, f"{EXPORT_PREFIX}cache_misses_total")
    used, available = total(samples, f"{EXPORT_PREFIX}node_mem_used"), total(samples, f"{EXPORT_PREFIX}node_mem_total")
    return {
        "responseTime": {f"p{round(q * 100)}": _ms(quantile(q, samples, request)) for q in (0.5, 0.95, 0.99)},
        "memory": {"used": int(used), "total": int(available), "percentage": round(100 * used / available, 1) if available else None},
        "aiLatency": {name: _ms(mean(samples, engine, engine=name)) for name in ("gemini", "t5", "basic")},
        "cacheHitRate": round(hits / lookups, 4) if lookups else None,
        "requests": int(total(samples, f"{EXPORT_PREFIX}http_requests_total")),
    }


async def summary() -> dict:
    """PerformanceMetrics across every replica on every node, read from Ray's metrics export."""
    targets = await asyncio.to_thread(metrics_targets)
    samples, answered = await scrape(targets, SUMMARY_NAMES)
    return {**summarize(samples), "nodes": {"scraped": answered, "total": len(targets)}}
