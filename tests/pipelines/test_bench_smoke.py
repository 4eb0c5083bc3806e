"""`python -m serve bench --quick` runs end to end and writes its figures.

A smoke run with a tiny model: it proves the command, both backends, the peers, the
load generator and the report work. It asserts no timings; docs/benchmarks.md has them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_bench_measures_both_backends_against_every_peer(tmp_path):
    sections = ["ceiling", "parity", "peers", "rules", "graph", "cache"]
    proc = subprocess.run(
        [sys.executable, "-m", "serve", "bench", "--quick", "--only", *sections, "--t5-niceness", "19", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]

    results = json.loads((tmp_path / "results.json").read_text())
    rows = results["rows"]
    assert all(row["ok"] > 0 and row["errors"] == 0 for row in rows), rows
    backends = {b for b, _ in results["backends"]}
    assert backends == {"transformers", "ctranslate2"}
    for backend in backends:
        cases = {(r["case"], r["concurrency"]) for r in rows if r.get("backend") == backend}
        assert {("graph", 1), ("graph", 32), ("peer: naive", 32), ("peer: serial", 32), ("peer: queue", 32)} <= cases
        busy = next(r for r in rows if r.get("backend") == backend and r["case"] == "graph" and r["concurrency"] == 32)
        assert busy["mean_batch"] > 1  # concurrent callers really shared batches
        assert 0 < busy["model_busy_share"] <= 1.05 and busy["model_ms_per_batch"] > 0  # time inside the model, from the replica
        assert busy["t5_niceness"] == 19  # the option reached the T5 replica (raising it needs no privilege)
        assert busy["slowest_1pct_from_first_burst"] in ("0 of 1", "1 of 1") and busy["p99_after_first_burst_ms"] > 0
        assert isinstance(busy["given_way"], int)  # the T5 replica's count of calls that gave way, over the run
        paired = results["rounds"][backend][0]  # the queue peer and the ceiling timed beside the graph
        assert paired["ceiling"]["batch_16"]["items_per_s"] > 0
        queue = next(r for r in rows if r.get("backend") == backend and r["case"] == "peer: queue" and r["concurrency"] == 32)
        assert queue["mean_batch"] > 1 and queue["model_ms_per_batch"] > 0  # the peer's own model time, as the replica's
        assert any(r["section"] == "paired" and r.get("backend") == backend for r in rows)
        alone = next(r for r in rows if r["section"] == "alone" and r.get("backend") == backend)  # one caller, each path in turn
        assert alone["ok"] == 4 and min(alone[f"{path}_p50_ms"] for path in ("in_process", "t5_call", "router_call")) > 0
        assert alone["gap_p50_ms"] == round(alone["p50_ms"] - alone["in_process_p50_ms"], 2)
        assert results["ceiling"][backend]["batch_16"]["items_per_s"] > 0
    assert results["parity"]["ctranslate2_float32"]["identical_share"] == 1.0
    assert {t["target"] for t in results["targets"] if t["met"] is None} == set()  # every target was measured

    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| target | want | measured | met |" in proc.stdout


def test_contention_times_the_model_alone_and_beside_other_work(tiny_t5, tmp_path):
    out = tmp_path / "contention.json"
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.bench.contention", "--model", tiny_t5, "--backends", "ctranslate2", "--repeats", "1", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    (result,) = json.loads(out.read_text())["results"]
    conditions = {"alone", "python thread", "memory process", "own process", "own process, python thread"}
    assert set(result["median_ms"]) == conditions and all(ms > 0 for ms in result["median_ms"].values())
    assert set(result["slowdown"]) == conditions - {"alone"}


def test_replica_profile_puts_each_sample_down_to_the_service_or_ray():
    from pipelines.bench.replica_profile import summarise

    raw = "\n".join([
        "Thread.run (threading.py:982);Router._route (deployments/router.py:140);json.dumps (json/__init__.py:231) 3",
        "Thread.run (threading.py:982);Router._route (deployments/router.py:140);Histogram.observe (ray/util/metrics.py:133) 2",
        "Thread.run (threading.py:982);Replica.handle_request (ray/serve/_private/replica.py:2572) 4",
        "Worker.main_loop (ray/_private/worker.py:1069) 1",
    ])
    figures = summarise(raw)
    assert figures["samples"] == 10
    assert (figures["service_share"], figures["ray_share"]) == (0.3, 0.7)  # json under the router is the service's
    assert figures["top_service_functions"] == [["Router._route (deployments/router.py)", 0.5]]


def test_runs_compared_side_by_side_recompute_each_runs_targets(tmp_path):
    from pipelines.bench.report import compare

    def run(graph_rps: float, queue_rps: float, gap_ms: float) -> dict:
        rows = [{"section": "graph", "case": "graph", "backend": "ctranslate2", "round": 0, "concurrency": 32, "rps": graph_rps,
                 "p99_ms": 900.0, "p99_after_first_burst_ms": 720.0, "slowest_1pct_from_first_burst": "3 of 3", "errors": 0},
                {"section": "paired", "case": "peer: queue", "backend": "ctranslate2", "round": 0, "concurrency": 32,
                 "rps": queue_rps, "p99_ms": 800.0, "p99_after_first_burst_ms": 800.0, "slowest_1pct_from_first_burst": "0 of 3",
                 "errors": 0},
                {"section": "alone", "case": "graph / in-process batch 1, in turn", "backend": "ctranslate2", "round": 0,
                 "concurrency": 1, "rps": 7.0, "gap_p50_ms": gap_ms, "errors": 0}]
        return {"backends": [["ctranslate2", "int8"]], "t5_config": {"max_batch_size": 16}, "rows": rows,
                "rounds": {"ctranslate2": [{"round": 0, "ceiling": {"batch_16": {"items_per_s": 50.0}}}]}}

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "results.json").write_text(json.dumps(run(45.0, 50.0, 9.5)))
    (tmp_path / "b.json").write_text(json.dumps(run(52.0, 50.0, 21.0)))
    table = compare([str(tmp_path / "a" / "results.json"), str(tmp_path / "b.json")])
    lines = {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines()}
    assert table.splitlines()[0] == "| target | want | a/results.json | b.json |"
    assert lines["[ctranslate2] graph / queue peer, 32 callers"].endswith("| 0.9 (no) | 1.04 |")
    assert lines["[ctranslate2] 1 caller: graph p50 - in-process batch-1 p50, taken in turn, ms"].endswith("| 9.5 | 21.0 (no) |")
    assert lines["[ctranslate2] graph / serial peer, 32 callers"].endswith("| - | - |")  # no serial peer in either run
    # where the p99 comes from: without the first burst the graph's tail is below the peer's
    assert lines["[ctranslate2] graph p99 / queue peer p99 after the first burst, 32 callers (reading)"].endswith("| 0.9 | 0.9 |")
    assert lines["[ctranslate2] slowest 1 % in the first burst, graph / queue peer, each round (reading)"].endswith(
        "| 3 of 3 / 0 of 3 | 3 of 3 / 0 of 3 |")


def test_run_queue_reads_which_thread_ran_and_how_long_it_waited():
    import threading
    import time

    from pipelines.bench.run_queue import busiest, threads

    go, read, spun = threading.Event(), threading.Event(), {}

    def spin() -> None:  # computes for 0.3 s, then stays alive until the second reading
        spun["tid"] = threading.get_native_id()
        go.wait()
        end = time.perf_counter() + 0.3
        while time.perf_counter() < end:
            pass
        read.wait()

    spinner = threading.Thread(target=spin)
    spinner.start()
    time.sleep(0.05)
    before, started = threads(os.getpid()), time.perf_counter()
    go.set()
    time.sleep(0.4)
    after, seconds = threads(os.getpid()), time.perf_counter() - started
    read.set()
    spinner.join()
    figures = busiest(before, after, seconds)
    assert figures["tid"] == spun["tid"]  # the thread that computed, not the ones that slept
    assert 0.5 <= (figures["ran_share"] + figures["waited_share"]) * seconds / 0.3 <= 1.3  # its 0.3 s, run or waiting
    assert figures["switches"] >= 1
