"""The request path without a model: the graph against a plain app on the same rule engine.

    python -m pipelines.bench.request_path [--quick] [--out docs/benchmarks/request_path.json]

Three servers in turn, each on a free loopback port, the same texts, the same load; the plain
app runs before, between and after the two others, and each is compared with the mean of the
plain runs either side of it (this VM's speed drifts within minutes by more than the gaps):
- `plain`: pipelines/bench/plain_rules.py under uvicorn (one process, no cache, no Ray);
- `serve-run`: `serve run serve_config.yaml` as a Ray user runs it, nothing exported;
- `serve-run-fast`: the same with Serve's fast data path exported first (what `make serve`
  and `python -m serve run` do: RAY_SERVE_THROUGHPUT_OPTIMIZED=1, RAY_SERVE_ENABLE_HA_PROXY=1).
For each: the CPU each process uses idle (10 s, no requests), a first burst (64 callers' first
requests at once, each on a new connection), 1 caller cache miss and hit (p50), 64 callers
cache miss on open connections (req/s, p99), and the CPU each process used under that load. Serve's settings come from `serve.local.serve_runtime_env` unless the environment sets
them (e.g. `RAY_SERVE_CONTROL_LOOP_INTERVAL_S=0.1` for Serve's default controller loop).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

from pipelines.bench.load import CpuShare, load
from pipelines.bench.machine import machine
from pipelines.bench.workloads import fresh, sentence
from serve.local import free_port, serve_runtime_env, wait_until

ROOT = Path(__file__).resolve().parents[2]
FAST_PATH_VARS = ("RAY_SERVE_THROUGHPUT_OPTIMIZED", "RAY_SERVE_ENABLE_HA_PROXY")


def miss(i: int) -> dict:
    return {"text": sentence(fresh(i)), "engine": "basic"}


def hit(i: int) -> dict:
    return {"text": sentence(7), "engine": "basic"}


def bench_config(port: int, workdir: Path) -> Path:
    """serve_config.yaml as shipped, on a loopback port, with no T5 model (the rule engine answers)
    and a rate limit the load cannot reach (the limiter still runs on every request)."""
    config = yaml.safe_load((ROOT / "serve_config.yaml").read_text())
    config["http_options"] = {"host": "127.0.0.1", "port": port}
    config["applications"][0]["args"] = {"t5_model_path": str(workdir / "no-model"), "rate_limit_max": 10**9}
    path = workdir / "serve_config.bench.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def start(name: str, workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in FAST_PATH_VARS}
    if name == "plain":
        cmd = [sys.executable, "-m", "uvicorn", "pipelines.bench.plain_rules:app", "--port", str(port), "--log-level", "warning"]
    else:
        if name == "serve-run-fast":
            env.update(serve_runtime_env(isolated=True))
        cmd = [str(Path(sys.executable).with_name("serve")), "run", str(bench_config(port, workdir))]
    log = open(workdir / f"{name}.log", "w")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    ready = "/healthz" if name == "plain" else "/readyz"
    wait_until(lambda: httpx.get(url + ready, timeout=5).status_code == 200, 240, f"{name} ready")
    return proc, url


def stop(proc: subprocess.Popen) -> None:
    """SIGINT: `serve run` then shuts its app and its Ray cluster down (HAProxy included)."""
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(90)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def measure(url: str, quick: bool) -> dict:
    target = url + "/v1/suggestions"
    n1, n64 = (100, 640) if quick else (400, 3200)
    with CpuShare() as idle:  # what the server burns with nothing to do
        time.sleep(3 if quick else 10)
    out = {
        "cpu_idle": idle.top(10),
        "burst_64": load(target, miss, 64, 64, 60),
        "miss_1": load(target, miss, 1, n1, 60, warmup=20),
        "hit_1": load(target, hit, 1, n1, 60, warmup=5),
    }
    with CpuShare() as cpu:
        out["miss_64"] = load(target, miss, 64, n64, 120, warmup=64)
    out["cpu_64"] = cpu.top(10)
    return out


ORDER = ("plain", "serve-run-fast", "plain", "serve-run", "plain")
KEYS = ("miss_1", "hit_1", "miss_64")


def beside(results: dict, name: str) -> dict:
    """The plain app's figures around `name`'s run: the mean of the plain runs before and after it."""
    k = ORDER.index(name)
    runs = [results["plain"][ORDER[:j].count("plain")] for j in (k - 1, k + 1)]
    return {key: {f: round(sum(r[key][f] for r in runs) / len(runs), 2) for f in ("p50_ms", "p99_ms", "rps")} for key in KEYS}


def targets(results: dict) -> list[dict]:
    rows = []
    for name in ("serve-run-fast", "serve-run"):
        graph, plain = results[name], beside(results, name)
        clean = all(graph[k]["errors"] == 0 for k in KEYS)
        rows += [
            {"server": name, "target": "miss p50 <= plain + 5 ms", "measured_ms": round(graph["miss_1"]["p50_ms"] - plain["miss_1"]["p50_ms"], 2),
             "met": clean and graph["miss_1"]["p50_ms"] <= plain["miss_1"]["p50_ms"] + 5},
            {"server": name, "target": "hit p50 <= plain + 2 ms", "measured_ms": round(graph["hit_1"]["p50_ms"] - plain["hit_1"]["p50_ms"], 2),
             "met": clean and graph["hit_1"]["p50_ms"] <= plain["hit_1"]["p50_ms"] + 2},
            {"server": name, "target": "64 callers req/s >= 0.7x plain", "ratio": round(graph["miss_64"]["rps"] / plain["miss_64"]["rps"], 2),
             "met": clean and graph["miss_64"]["rps"] >= 0.7 * plain["miss_64"]["rps"]},
            {"server": name, "target": "64 callers p99 <= 1.5x plain", "ratio": round(graph["miss_64"]["p99_ms"] / plain["miss_64"]["p99_ms"], 2),
             "met": clean and graph["miss_64"]["p99_ms"] <= 1.5 * plain["miss_64"]["p99_ms"]},
            {"server": name, "target": "zero errors", "errors": sum(graph[k]["errors"] for k in (*KEYS, "burst_64")),
             "met": clean and graph["burst_64"]["errors"] == 0},
        ]
    return rows


def table(results: dict) -> str:
    lines = ["| server | 1 caller miss p50 ms | 1 caller hit p50 ms | 64 callers miss req/s | p99 ms | first burst of 64: p50 / max ms | errors |",
             "|---|---|---|---|---|---|---|"]
    runs = [(f"plain ({ORDER[:j].count('plain') + 1})" if name == "plain" else name,
             results["plain"][ORDER[:j].count("plain")] if name == "plain" else results[name]) for j, name in enumerate(ORDER)]
    for label, r in runs:
        errors = sum(r[k]["errors"] for k in (*KEYS, "burst_64"))
        lines.append(f"| {label} | {r['miss_1']['p50_ms']} | {r['hit_1']['p50_ms']} | {r['miss_64']['rps']} | {r['miss_64']['p99_ms']} | "
                     f"{r['burst_64']['p50_ms']} / {r['burst_64']['max_ms']} | {errors} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.bench.request_path", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests (a smoke run)")
    parser.add_argument("--out", default=str(ROOT / "bench-results" / "request_path.json"))
    args = parser.parse_args(argv)
    results: dict = {"machine": machine(), "quick": args.quick}
    with tempfile.TemporaryDirectory(prefix="request-path-") as tmp:
        for name in ORDER:
            proc, url = start(name, Path(tmp))
            try:
                figures = measure(url, args.quick)
            finally:
                stop(proc)
            if name == "plain":
                results.setdefault("plain", []).append(figures)
            else:
                results[name] = figures
            print(f"{name}: {json.dumps({k: v for k, v in figures.items() if not k.startswith('cpu_')})}", flush=True)
    results["targets"] = targets(results)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(table(results))
    for name in ("serve-run-fast", "serve-run"):
        print(f"idle CPU, {name}: " + ", ".join(f"{proc} {pct}%" for proc, pct in results[name]["cpu_idle"]))
    for row in results["targets"]:
        print(("MET  " if row["met"] else "MISS ") + json.dumps(row))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
