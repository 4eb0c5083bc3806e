"""The PerformanceMetrics summary from Ray's exposition text: sums across replicas,
quantiles as PromQL's histogram_quantile computes them."""

from __future__ import annotations

import pytest

from serve.metrics import SUMMARY_NAMES, parse, quantile, summarize


def replica(worker: str, fast: int, slow: int, hits: int, misses: int) -> str:
    """One ingress replica's export: `fast` answers under 0.1 s, `slow` between 1 and 2 s."""
    tags = f'WorkerId="{worker}",route="/v1/suggestions",method="POST",status="200"'
    buckets = {"0.1": fast, "1.0": fast, "2.0": fast + slow, "+Inf": fast + slow}
    return "\n".join(
        [
            "# TYPE ray_http_request_duration_seconds histogram",
            *(f'ray_http_request_duration_seconds_bucket{{{tags},le="{le}"}} {n}' for le, n in buckets.items()),
            f"ray_http_request_duration_seconds_count{{{tags}}} {fast + slow}",
            f"ray_http_request_duration_seconds_sum{{{tags}}} {fast * 0.05 + slow * 1.5}",
            "# TYPE ray_http_requests_total counter",
            f"ray_http_requests_total{{{tags}}} {fast + slow}",
            "# TYPE ray_cache_hits_total counter",
            f'ray_cache_hits_total{{WorkerId="{worker}",kind="suggestions"}} {hits}',
            "# TYPE ray_cache_misses_total counter",
            f'ray_cache_misses_total{{WorkerId="{worker}",kind="suggestions"}} {misses}',
            "# TYPE ray_ai_latency_seconds histogram",
            f'ray_ai_latency_seconds_count{{WorkerId="{worker}",engine="t5"}} 2',
            f'ray_ai_latency_seconds_sum{{WorkerId="{worker}",engine="t5"}} 0.5',
            "",
        ]
    )


NODE = "\n".join(
    ["# TYPE ray_node_mem_used gauge", 'ray_node_mem_used{ip="10.0.0.1"} 3e9', "# TYPE ray_node_mem_total gauge", 'ray_node_mem_total{ip="10.0.0.1"} 8e9', ""]
)


def test_the_summary_adds_every_replica_up():
    samples = parse(replica("a", fast=90, slow=0, hits=9, misses=1))
    parse(replica("b", fast=0, slow=10, hits=1, misses=9), samples)
    parse(NODE, samples)
    summary = summarize(samples)
    assert summary["requests"] == 100
    assert summary["cacheHitRate"] == pytest.approx(0.5)  # 10 hits in 20 lookups: neither replica's own rate
    assert summary["responseTime"]["p50"] == pytest.approx(100 * 0.5 / 0.9, abs=0.01)  # inside the first bucket
    assert summary["responseTime"]["p95"] == pytest.approx(1500.0)  # half-way through the 1-2 s bucket
    assert summary["aiLatency"] == {"gemini": None, "t5": 250.0, "basic": None}
    assert summary["memory"] == {"used": 3_000_000_000, "total": 8_000_000_000, "percentage": 37.5}


def test_before_any_traffic_the_figures_are_null_not_zero():
    summary = summarize(parse(NODE))
    assert summary["responseTime"] == {"p50": None, "p95": None, "p99": None}
    assert summary["cacheHitRate"] is None and summary["requests"] == 0


def test_a_quantile_past_the_last_finite_bucket_is_that_bucket_bound():
    samples = parse(replica("a", fast=0, slow=0, hits=0, misses=0).replace('le="+Inf"} 0', 'le="+Inf"} 5'))
    assert quantile(0.99, samples, "ray_http_request_duration_seconds") == 2.0


def test_reading_only_the_summarys_names_changes_nothing():
    text = replica("a", fast=90, slow=10, hits=9, misses=1) + NODE + "# TYPE ray_grpc_x counter\nray_grpc_x_total 7\n"
    assert summarize(parse(text, only=SUMMARY_NAMES)) == summarize(parse(text))
