"""Traffic through the live graph (Redis, fake Gemini behind the real SDK, tiny T5), read
back from Ray's metrics export, from /v1/metrics/summary, from a real Prometheus that
scrapes the graph with the project's config, and from the JSON log files."""

from __future__ import annotations

import asyncio
import json
import math
import os
import re
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from serve.metrics import metrics_targets, scrape, total
from support.logs import log_lines

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "cluster" / "grafana" / "dashboards" / "ai-writing.json"
ALERTS = ROOT / "cluster" / "prometheus" / "alerts.yml"
ROUTES = ("/v1/suggestions", "/v1/analysis")
SECRET = "Quarterly merger draft"


def exported() -> dict:
    return asyncio.run(scrape(metrics_targets()))[0]


def requests_by_status(samples) -> dict:
    """`ray_http_requests_total` per exported series (one per replica process and labels)."""
    return {
        tuple(sorted(labels.items())): value
        for labels, value in samples.get("ray_http_requests_total", ()) if labels.get("route") in ROUTES
    }


def delta(after: dict, before: dict) -> Counter:
    """What each (route, status) moved by, over the series exported both times: other apps'
    replicas share the labels, and Ray stops exporting a series that sits still and brings it
    back whole when it moves, so only a series seen before and after can be compared."""
    moved = Counter()
    for series, value in after.items():
        if series in before and value != before[series]:
            labels = dict(series)
            moved[(labels["route"], labels["status"])] += value - before[series]
    return moved


def send_traffic(http, url: str, gemini) -> list:
    """Cache misses and hits, each engine, a 422 and an engine's 503; returns the responses."""
    texts = [f"{SECRET} {uuid.uuid4().hex[:8]}: Thsi are a exampel sentense number {n}." for n in range(3)]
    post = lambda path, body: http.post(f"{url}{path}", json=body)  # noqa: E731
    answers = [post("/v1/suggestions", {"text": t, "engine": "basic"}) for t in texts]
    answers += [post("/v1/suggestions", {"text": t, "engine": "basic"}) for t in texts[:2]]
    gemini.mode = "error"
    try:
        answers.append(post("/v1/suggestions", {"text": texts[0], "engine": "gemini"}))
    finally:
        gemini.mode = "ok"
    deadline = time.monotonic() + 30  # retries may have opened Gemini's circuit: its cooldown is short here
    while http.get(f"{url}/readyz").json()["engines"]["gemini"]["circuit"] == "open" and time.monotonic() < deadline:
        time.sleep(0.5)
    answers.append(post("/v1/suggestions", {"text": texts[1], "engine": "gemini"}))  # a success resets the breaker
    answers.append(post("/v1/suggestions", {"text": texts[2], "engine": "t5"}))
    answers.append(post("/v1/analysis", {"text": texts[0]}))
    answers.append(post("/v1/suggestions", {"text": ""}))
    return answers


def moved(before: dict, after: dict, name: str, **match: str) -> float:
    return total(after, name, **match) - total(before, name, **match)


def settle(before: dict, answers: list, timeout_s: float = 90.0, strict: bool = True) -> dict:
    """Ray's export once it shows the traffic: each replica reports on its own every few seconds."""
    sent = Counter((a.request.url.path.removeprefix("/full"), str(a.status_code)) for a in answers)
    deadline = time.monotonic() + timeout_s
    while True:
        samples = exported()
        seen = delta(requests_by_status(samples), requests_by_status(before))
        engines = [moved(before, samples, "ray_ai_latency_seconds_count", engine=e) for e in ("gemini", "t5", "basic")]
        failures = moved(before, samples, "ray_engine_failures_total", engine="gemini")
        if (seen == sent and all(engines) and failures) or time.monotonic() > deadline:
            assert seen == sent or not strict, f"exported {dict(seen)}, sent {dict(sent)}"
            return samples
        time.sleep(1)


@pytest.fixture(scope="module")
def traffic(full_url, http, gemini, prometheus):
    """Two rounds, with Prometheus scraping: the first makes every series, the second moves
    them, so rates over them are real numbers."""
    rounds = []
    for strict in (False, True):  # the first round makes every series, the second is counted
        before = exported()
        answers = send_traffic(http, full_url, gemini)
        rounds.append((before, answers, settle(before, answers, 90.0 if strict else 20.0, strict)))
    time.sleep(2 * prometheus.SCRAPE_S + 1)  # two scrapes of the second round
    return rounds


def test_each_metric_counts_what_was_sent(traffic):
    before, answers, after = traffic[-1]
    statuses = Counter(a.status_code for a in answers)
    assert statuses[200] >= 7 and statuses[422] == 1 and statuses[503] == 1, statuses
    cached = sum(1 for a in answers if a.status_code == 200 and a.json()["cached"])
    looked_up = sum(1 for a in answers if a.status_code in (200, 503))
    change = lambda name, **match: moved(before, after, name, **match)  # noqa: E731
    assert change("ray_http_request_duration_seconds_count", route="/v1/suggestions") == len(answers) - 1
    assert change("ray_cache_hits_total") == cached == 2
    assert change("ray_cache_hits_total") + change("ray_cache_misses_total") == looked_up
    for engine in ("gemini", "t5", "basic"):
        assert change("ray_ai_latency_seconds_count", engine=engine) >= 1, engine
    assert change("ray_t5_batch_size_count") >= 1
    assert change("ray_engine_failures_total", engine="gemini") == 1
    assert {labels["switch"] for labels, _ in after["ray_fallback_mode_active"]} >= {"useCache", "basicMode", "skipAI"}
    assert 0 < total(after, "ray_cache_hit_ratio") <= len(after["ray_cache_hit_ratio"])


def test_the_summary_reads_every_replica_in_the_guides_shape(traffic, full_url, http):
    answer = http.get(f"{full_url}/v1/metrics/summary")
    assert answer.status_code == 200
    summary = answer.json()
    assert set(summary) >= {"responseTime", "memory", "aiLatency", "cacheHitRate"}
    times = summary["responseTime"]
    assert 0 < times["p50"] <= times["p95"] <= times["p99"]
    assert 0 < summary["memory"]["used"] < summary["memory"]["total"]
    assert 0 < summary["memory"]["percentage"] < 100
    assert summary["aiLatency"]["gemini"] > 0 and summary["aiLatency"]["t5"] > 0
    samples = traffic[-1][2]
    hits = total(samples, "ray_cache_hits_total")
    assert summary["cacheHitRate"] == pytest.approx(hits / (hits + total(samples, "ray_cache_misses_total")), abs=0.05)
    assert summary["requests"] >= sum(requests_by_status(samples).values())
    assert summary["nodes"]["scraped"] == summary["nodes"]["total"] >= 1


def panel_queries() -> list[tuple[str, str]]:
    dashboard = json.loads(DASHBOARD.read_text())
    return [(panel["title"], target["expr"]) for panel in dashboard["panels"] for target in panel.get("targets", ())]


def test_the_dashboard_has_the_guides_panels():
    titles = {title for title, _ in panel_queries()}
    assert {"API Response Time", "AI Model Performance", "Error Rate", "Cache Hit Rate", "Replicas per Deployment"} <= titles


def test_every_dashboard_and_alert_query_names_only_metrics_the_service_exports(traffic):
    names = set(traffic[-1][2])
    exprs = [expr for _, expr in panel_queries()]
    exprs += [rule["expr"] for group in __import__("yaml").safe_load(ALERTS.read_text())["groups"] for rule in group["rules"]]
    used = {name for expr in exprs for name in re.findall(r"\bray_[a-z0-9_]+", expr)}
    assert used and not used - names, f"not exported: {sorted(used - names)}"


def test_prometheus_scrapes_the_graph_and_every_panel_has_data(traffic, prometheus):
    targets = prometheus.get("targets")["activeTargets"]
    assert [t["health"] for t in targets if t["labels"]["job"] == "ray"] == ["up"], targets
    empty = []
    deadline = time.monotonic() + 60
    for title, expr in panel_queries():
        while True:
            values = [float(sample["value"][1]) for sample in prometheus.query(expr)]
            if any(not math.isnan(v) for v in values):
                break
            if time.monotonic() > deadline:
                empty.append(f"{title}: {expr}")
                break
            time.sleep(1)
    assert not empty, f"no data: {empty}"
    rules = [rule for group in prometheus.get("rules")["groups"] for rule in group["rules"]]
    assert {rule["name"] for rule in rules} == {"HighResponseTime", "HighErrorRate", "HighErrorRatio", "LowCacheHitRate", "NoHealthyReplicas"}
    assert all(rule["health"] == "ok" for rule in rules), rules


def test_access_lines_carry_the_request_and_never_the_text(traffic):
    log_dir = Path(os.environ["WRITING_LOG_DIR"])
    _, answers, _ = traffic[-1]
    wanted = {answer.headers["x-request-id"] for answer in answers}
    lines = log_lines(log_dir, until=lambda lines: wanted <= {line["context"].get("requestId") for line in lines})
    by_id = {line["context"].get("requestId"): line for line in lines if "status" in line["context"]}
    for answer in answers:
        context = by_id[answer.headers["x-request-id"]]["context"]
        assert (context["route"], context["status"]) == (answer.request.url.path.removeprefix("/full"), answer.status_code)
        assert context["latencyMs"] > 0 and context["method"] == "POST"
        if answer.status_code == 200:
            assert (context["engine"], context["cached"], context["userId"]) == (answer.json()["engine"], answer.json()["cached"], "local")
        else:
            assert answer.json()["error"]["request_id"] == answer.headers["x-request-id"]
    assert not any(SECRET in path.read_text() for path in log_dir.glob("*.log*"))


def test_filebeat_ships_the_files_the_service_writes(traffic):
    import fnmatch

    import yaml

    from serve.settings import Settings

    config = yaml.safe_load((ROOT / "cluster" / "filebeat" / "filebeat.yml").read_text())
    (source,) = config["filebeat.inputs"]
    assert source["parsers"] == [{"ndjson": {"target": "", "overwrite_keys": True, "add_error_key": True}}]
    default_dir = Settings.model_fields["log_dir"].default
    (pattern,) = source["paths"]
    written = [path.name for path in Path(os.environ["WRITING_LOG_DIR"]).glob("*")]
    assert written and Path(pattern).parent == Path(default_dir)
    assert {name for name in written if fnmatch.fnmatch(name, Path(pattern).name)} == {n for n in written if n.endswith(".log")}
