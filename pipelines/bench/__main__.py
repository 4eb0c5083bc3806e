"""`python -m serve bench`: measure the service side by side on loopback.

Sections, in the order they run (the first two before Ray starts, so nothing else
competes for the CPU):

  ceiling   the T5 model's batched `generate` called in-process (the upper bound)
  peer      a plain FastAPI + transformers app under uvicorn, one generate per request
  batching  T5 through HTTP and the whole graph, @serve.batch on versus max_batch_size=1
  cache     cache hit versus miss through HTTP, in-replica versus Redis
  growth    latency and memory as the text grows (100, 1,000, 10,000 words)
  rules     the rule engine's words per second on a long document
  replicas  throughput as T5 and Analyzer replicas go 1 -> 2

It prints a table and writes results.json and chart.png under --out.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipelines.bench.load import CpuShare, load
from pipelines.bench.report import chart, table, targets
from serve.local import RedisServer, call_deployment, deploy, free_port, serve_runtime_env, wait_until

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ("ceiling", "peer", "batching", "cache", "growth", "rules", "replicas")
DEFAULT_MODEL = ROOT / "var" / "models" / "t5-small-random"

SENTENCES = [
    "The report number {i} were sent to they manager yesterday.",
    "She dont know wich of the {i} options is better for the team.",
    "It was decided by the committee that {i} members would attend the meeting.",
    "Their going to finish the draft before the {i} deadline, weather or not it rains.",
    "Due to the fact that the {i} servers was slow, we could of missed the update.",
    "This is a clear sentence about item {i} with nothing wrong in it.",
]


_fresh = itertools.count(1_000_000)


def sentence(i: int) -> str:
    """A unique sentence per index (so no two requests share a cache key)."""
    return SENTENCES[i % len(SENTENCES)].format(i=f"#{i}")


def fresh(i: int) -> int:
    """An index never used before in this run: loads that must miss the cache use it."""
    return next(_fresh)


def document(words: int, salt: int = 0) -> str:
    """About `words` words of prose in paragraphs of five sentences, unique per salt."""
    out, count, i = [], 0, salt * 100_000
    while count < words:
        s = sentence(i)
        out.append(s + ("\n\n" if i % 5 == 4 else " "))
        count += len(s.split())
        i += 1
    return "".join(out).strip()


@dataclass
class Plan:
    quick: bool
    model: str
    threads: int
    device: str
    batch: int
    batch_wait_s: float
    new_tokens: int
    concurrencies: tuple[int, ...] = (1, 8, 32)
    results: dict = field(default_factory=dict)

    @property
    def sizes(self) -> tuple[int, ...]:
        return (100, 1_000) if self.quick else (100, 1_000, 10_000)

    def requests(self, concurrency: int) -> int:
        return max(8, 2 * concurrency) if self.quick else max(48, 8 * concurrency)

    @property
    def time_limit_s(self) -> float:
        return 10.0 if self.quick else 45.0

    @property
    def cache_requests(self) -> int:
        return 20 if self.quick else 300

    def row(self, section: str, case: str, summary: dict, **extra) -> dict:
        row = {"section": section, "case": case, **summary, **extra}
        self.results.setdefault("rows", []).append(row)
        print(f"  {section:9} {case:34} c={summary['concurrency']:<3} n={summary['ok']:<4} err={summary['errors']:<3} "
              f"{summary['rps']:8.2f} req/s  p50 {summary['p50_ms']:8.1f} ms  p99 {summary['p99_ms']:8.1f} ms", flush=True)
        if summary["errors"]:
            print(f"    first error: {summary['first_error']}", flush=True)
        return row


# ---------------------------------------------------------------- before Ray


def bench_ceiling(plan: Plan) -> None:
    """In-process generate at batch 1 and at the served batch size: the upper bound."""
    from deployments.t5 import T5Model
    from serve.settings import Settings

    model = T5Model(plan.model, plan.device, threads=plan.threads)
    template = Settings().t5_prompts["grammar"]
    prompts = [template.format(text=sentence(i)) for i in range(plan.batch)]
    model.generate(prompts[:2], plan.new_tokens, plan.new_tokens)  # warm-up
    out = {}
    for size in sorted({1, plan.batch}):
        calls, started = 0, time.perf_counter()
        while calls < 3 or time.perf_counter() - started < (1.0 if plan.quick else 8.0):
            model.generate(prompts[:size], plan.new_tokens, plan.new_tokens)
            calls += 1
        seconds = time.perf_counter() - started
        out[f"batch_{size}"] = {"batch": size, "calls": calls, "items_per_s": round(calls * size / seconds, 2),
                                "ms_per_call": round(seconds / calls * 1000, 1)}
        print(f"  ceiling   in-process generate, batch {size:<3}      {out[f'batch_{size}']['items_per_s']:8.2f} items/s  "
              f"{out[f'batch_{size}']['ms_per_call']:8.1f} ms per call", flush=True)
    plan.results["ceiling"] = out


def bench_peer(plan: Plan) -> None:
    port = free_port()
    env = dict(os.environ, PEER_MODEL_PATH=plan.model, PEER_MAX_NEW_TOKENS=str(plan.new_tokens),
               PEER_MIN_NEW_TOKENS=str(plan.new_tokens), PEER_THREADS=str(plan.threads))
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "pipelines.bench.peer:app", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning", "--no-access-log"],
        cwd=ROOT, env=env,
    )
    try:
        import httpx

        wait_until(lambda: httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200, 120, "peer app")
        url = f"http://127.0.0.1:{port}/fix"
        for c in (1, max(plan.concurrencies)):
            summary = load(url, lambda i: {"text": sentence(i)}, c, plan.requests(c), plan.time_limit_s, warmup=2)
            plan.row("peer", "FastAPI+uvicorn, generate per request", summary)
    finally:
        proc.terminate()
        proc.wait(30)


# ---------------------------------------------------------------- with Serve


def start_serve() -> int:
    import ray
    from ray import serve

    port = free_port()
    # Logical CPUs above the core count so the fractional deployments all fit; a
    # cluster of its own ("local"), never one a test session or user already runs.
    ray.init(address="local", num_cpus=max(8, os.cpu_count() or 1), include_dashboard=False,
             log_to_driver=False, configure_logging=False)
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    return port


def deploy_bench(plan: Plan, port: int, batch: int, t5_replicas: int = 1, threads: int | None = None,
                 analyzer_replicas: int = 1) -> str:
    """The graph with the bench's T5 model and batch settings; returns its URL once serving."""
    settings = {"t5_model_path": plan.model, "t5_max_new_tokens": plan.new_tokens, "t5_device": plan.device,
                "t5_threads": threads or plan.threads, "max_text_chars": 200_000}
    actor = {"num_cpus": 1, "num_gpus": 1 if plan.device == "cuda" else 0}
    options = {
        "T5": {"num_replicas": t5_replicas, "ray_actor_options": actor, "max_ongoing_requests": 256,
               "user_config": {"max_batch_size": batch, "batch_wait_timeout_s": plan.batch_wait_s,
                               "max_new_tokens": plan.new_tokens, "min_new_tokens": plan.new_tokens}},
        "Analyzer": {"num_replicas": analyzer_replicas, "ray_actor_options": {"num_cpus": 1}},
    }
    return deploy(port, "bench", "/", settings, options)


def t5_totals() -> tuple[int, float]:
    """(batches, items) the T5 replica has generated so far."""
    status = call_deployment("bench", "T5", "status")
    return status["batches"], status["batches"] * (status["mean_batch_size"] or 0)


def t5_body(i: int) -> dict:
    return {"text": sentence(fresh(i)), "engine": "t5", "tasks": ["grammar", "spelling"]}


def bench_batching(plan: Plan, port: int) -> None:
    for batch, case in ((plan.batch, f"graph, @serve.batch max {plan.batch}"), (1, "graph, max_batch_size=1")):
        url = deploy_bench(plan, port, batch) + "/v1/suggestions"
        for c in plan.concurrencies:
            before = t5_totals()
            with CpuShare() as cpu:
                summary = load(url, t5_body, c, plan.requests(c), plan.time_limit_s, warmup=2)
            batches, items = (a - b for a, b in zip(t5_totals(), before))
            plan.row("batching", case, summary, max_batch_size=batch,
                     mean_batch=round(items / batches, 2) if batches else None, cpu_percent=cpu.top())
    status = call_deployment("bench", "T5", "status")
    plan.results["t5_replica"] = {k: status[k] for k in ("device", "dtype", "threads", "version")}


def bench_cache(plan: Plan, port: int, workdir: Path) -> None:
    missing = workdir / "no-model"
    backends = {"in-replica": {"t5_model_path": str(missing)}}
    redis = None
    try:
        redis = RedisServer(workdir).start()
        backends["redis"] = {"t5_model_path": str(missing), "redis_url": redis.url}
    except RuntimeError as exc:
        plan.results.setdefault("skipped", []).append(f"cache/redis: {exc}")
    try:
        for backend, settings in backends.items():
            url = deploy(port, f"cache-{backend}", f"/{backend}", settings) + "/v1/suggestions"
            same = {"text": "This are a exampel sentence.", "engine": "basic"}
            n = plan.cache_requests
            plan.row("cache", f"{backend}: hit", load(url, lambda i: same, 1, n, plan.time_limit_s, warmup=3), backend=backend)
            plan.row("cache", f"{backend}: miss (rules)",
                     load(url, lambda i: {"text": sentence(fresh(i)), "engine": "basic"}, 1, n, plan.time_limit_s, warmup=3),
                     backend=backend)
    finally:
        if redis:
            redis.stop()


def bench_growth(plan: Plan, port: int) -> None:
    from pipelines.analysis import analyze
    from pipelines.rules import check

    url = deploy_bench(plan, port, plan.batch)

    out = []
    for words in plan.sizes:
        text = document(words, salt=words)
        check(text), analyze(text)  # warm (dictionaries load on first use)
        started = time.perf_counter()
        check(text), analyze(text)
        seconds = time.perf_counter() - started
        tracemalloc.start()  # separately: tracing slows Python down several times
        check(text), analyze(text)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        entry = {"words": len(text.split()), "chars": len(text), "rules_in_process_ms": round(seconds * 1000, 1),
                 "rules_peak_mib": round(peak / 2**20, 2)}
        for case, path, body in (
            ("basic", "/v1/suggestions", lambda i: {"text": document(words, salt=fresh(i)), "engine": "basic"}),
            ("analysis", "/v1/analysis", lambda i: {"text": document(words, salt=fresh(i))}),
            ("t5", "/v1/suggestions", lambda i: {"text": document(words, salt=fresh(i)), "engine": "t5", "tasks": ["grammar"]}),
        ):
            if case == "t5" and plan.quick and words > 1_000:
                continue
            reps = 1 if (case == "t5" and words > 1_000) else 3
            summary = load(url + path, body, 1, reps, plan.time_limit_s * 4, warmup=1)
            plan.row("growth", f"{case}, {words} words", summary, words=words)
            entry[f"{case}_ms"] = summary["p50_ms"]
            entry[f"{case}_errors"] = summary["errors"]
        out.append(entry)
        print(f"  growth    {words:>6} words: rules in-process {entry['rules_in_process_ms']} ms, "
              f"peak {entry['rules_peak_mib']} MiB", flush=True)
    plan.results["growth"] = out


def bench_rules(plan: Plan) -> None:
    from pipelines.analysis import analyze
    from pipelines.rules import check

    text = document(1_000 if plan.quick else 10_000, salt=7)
    words = len(text.split())
    out = {"words": words}
    for name, fn in (("check", check), ("analyze", analyze)):
        fn(text)
        runs, started = 0, time.perf_counter()
        while runs < 2 or time.perf_counter() - started < (0.5 if plan.quick else 5.0):
            fn(text)
            runs += 1
        seconds = (time.perf_counter() - started) / runs
        out[name] = {"seconds": round(seconds, 3), "words_per_s": round(words / seconds)}
        print(f"  rules     {name:8} {words} words: {out[name]['words_per_s']:,} words/s ({seconds * 1000:.0f} ms)", flush=True)
    plan.results["rules"] = out


def bench_replicas(plan: Plan, port: int) -> None:
    """Each deployment at 1 then 2 replicas, the rest of the graph unchanged."""
    c = max(plan.concurrencies)
    per_replica = max(1, plan.threads // 2)  # two T5 replicas share the cores, not oversubscribe them
    for replicas in (1, 2):
        url = deploy_bench(plan, port, plan.batch, t5_replicas=replicas, threads=per_replica) + "/v1/suggestions"
        summary = load(url, t5_body, c, plan.requests(c), plan.time_limit_s, warmup=2)
        plan.row("replicas", f"T5 x{replicas} ({per_replica} thread each)", summary, replicas=replicas, deployment="T5")
    for replicas in (1, 2):
        url = deploy_bench(plan, port, plan.batch, analyzer_replicas=replicas) + "/v1/suggestions"
        summary = load(url, lambda i: {"text": document(200, salt=fresh(i)), "engine": "basic"}, c, plan.requests(c), plan.time_limit_s, warmup=2)
        plan.row("replicas", f"Analyzer x{replicas}, 200 words", summary, replicas=replicas, deployment="Analyzer")


# ---------------------------------------------------------------- the run


def machine() -> dict:
    import ray
    import torch
    import transformers

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), None) if Path("/proc/meminfo").exists() else None
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem, "python": platform.python_version(),
        "torch": torch.__version__, "transformers": transformers.__version__, "ray": ray.__version__,
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
    }


def _shipped_t5_config() -> dict:
    """The T5 user_config that serve_config.yaml ships: the bench measures what users run."""
    import yaml

    config = yaml.safe_load((ROOT / "serve_config.yaml").read_text())
    (app,) = config["applications"]
    return next(d for d in app["deployments"] if d["name"] == "T5")["user_config"]


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m serve bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a seconds-long smoke run with a tiny model")
    parser.add_argument("--out", help="directory for results.json and chart.png (default bench-results/<time>)")
    parser.add_argument("--model", help=f"T5 checkpoint directory (default: a random t5-small at {DEFAULT_MODEL})")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    shipped = _shipped_t5_config()
    parser.add_argument("--batch", type=int, default=shipped["max_batch_size"],
                        help=f"max_batch_size for the batched runs (default: serve_config.yaml's, {shipped['max_batch_size']})")
    parser.add_argument("--batch-wait", type=float, default=shipped["batch_wait_timeout_s"],
                        help=f"batch_wait_timeout_s (default: serve_config.yaml's, {shipped['batch_wait_timeout_s']})")
    parser.add_argument("--new-tokens", type=int, help="tokens generated per request (default 16; quick 4)")
    parser.add_argument("--plain-serve", action="store_true",
                        help="Serve's default data path (no RAY_SERVE_THROUGHPUT_OPTIMIZED, no HAProxy), for comparison")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="torch threads for T5 (default: all cores)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    import torch

    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    serve_env = {} if args.plain_serve else serve_runtime_env(isolated=True)
    os.environ.update(serve_env)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = Path(args.out or ROOT / "bench-results" / stamp)
    out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-", dir=out))
    device = "cuda" if torch.cuda.is_available() else "cpu"
    plan = Plan(quick=args.quick, model=args.model or _model(args.quick, workdir), threads=args.threads,
                device=device, batch=args.batch, batch_wait_s=args.batch_wait,
                new_tokens=args.new_tokens or (4 if args.quick else 16))
    sections = args.only or SECTIONS
    plan.results.update(
        started=stamp, command="python -m serve bench " + " ".join(argv),
        machine=machine(), model=plan.model, quick=plan.quick, serve_env=serve_env,
        settings={"max_batch_size": plan.batch, "batch_wait_timeout_s": plan.batch_wait_s,
                  "new_tokens": plan.new_tokens, "threads": plan.threads, "device": device},
    )
    print(f"bench: model {plan.model}, {plan.new_tokens} new tokens, {device}, {plan.threads} threads -> {out}", flush=True)

    timings = plan.results.setdefault("section_seconds", {})

    def run(name: str, fn, *args) -> None:
        if name in sections:
            started = time.perf_counter()
            fn(plan, *args)
            timings[name] = round(time.perf_counter() - started, 1)

    run("ceiling", bench_ceiling)
    run("peer", bench_peer)
    run("rules", bench_rules)
    if {"batching", "cache", "growth", "replicas"} & set(sections):
        import ray
        from ray import serve

        started = time.perf_counter()
        port = start_serve()
        timings["start_serve"] = round(time.perf_counter() - started, 1)
        try:
            run("batching", bench_batching, port)
            run("cache", bench_cache, port, workdir)
            run("growth", bench_growth, port)
            run("replicas", bench_replicas, port)
        finally:
            serve.shutdown()
            ray.shutdown()

    plan.results["targets"] = targets(plan.results)
    (out / "results.json").write_text(json.dumps(plan.results, indent=2))
    chart(plan.results, out / "chart.png")
    print()
    print(table(plan.results))
    print(f"\nwrote {out / 'results.json'} and {out / 'chart.png'}")
    return 1 if any(row["errors"] for row in plan.results.get("rows", [])) else 0


def _model(quick: bool, workdir: Path) -> str:
    from pipelines.models import build_random

    if quick:
        return str(build_random(workdir / "t5-tiny", shape="tiny"))
    if not (DEFAULT_MODEL / "config.json").is_file():
        print(f"building a random t5-small at {DEFAULT_MODEL} (once)", flush=True)
        build_random(DEFAULT_MODEL, shape="t5-small")
    return str(DEFAULT_MODEL)


if __name__ == "__main__":
    sys.exit(main())
