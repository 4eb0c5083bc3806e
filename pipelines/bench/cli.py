"""`python -m serve bench`: measure the service and its fair peers side by side on loopback.

Sections, in the order they run (the first four before Ray starts, so nothing else
competes for the CPU):

  ceiling   each backend's batched `generate` called in-process (the upper bound)
  parity    CTranslate2 float32 and int8 against transformers float32, token for token
  peers     FastAPI apps without Ray: naive (a thread per request), serial (one worker
            thread), queue (an asyncio queue batching on one worker thread); each backend
  rules     the rule engine's words per second on a long document
  graph     T5 corrections through HTTP and the whole graph, each backend, 1/8/32 callers,
            in rounds that also time the queue peer and the ceiling beside the graph (the
            targets read each round's own ratios: this VM's speed drifts within the hour)
  cache     cache hit versus miss through HTTP, in-replica versus Redis
  growth    latency and memory as the text grows (100, 1,000, 10,000 words)

It prints a table and writes results.json and chart.png under --out.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ("ceiling", "parity", "peers", "rules", "graph", "cache", "growth")
SERVE_SECTIONS = {"graph", "cache", "growth"}
DEFAULT_MODEL = ROOT / "var" / "models" / "t5-small-random"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description, parser.formatter_class = __doc__, argparse.RawDescriptionHelpFormatter
    parser.add_argument("--quick", action="store_true", help="a seconds-long smoke run with a tiny model")
    parser.add_argument("--out", help="directory for results.json and chart.png (default bench-results/<time>)")
    parser.add_argument("--model", help=f"T5 checkpoint directory (default: a random t5-small at {DEFAULT_MODEL})")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    parser.add_argument("--new-tokens", type=int, help="tokens generated per request (default 16; quick 4)")
    parser.add_argument("--callers", type=int, nargs="+", default=[1, 8, 32], help="concurrent callers for the graph runs")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="model threads (default: all cores)")
    parser.add_argument("--t5-niceness", type=int, help="the T5 deployment's niceness option (default: serve_config.yaml's, null)")
    parser.add_argument("--plain-serve", action="store_true",
                        help="Serve's default data path (no RAY_SERVE_THROUGHPUT_OPTIMIZED, no HAProxy), for comparison")


def backends(device: str) -> tuple[tuple[str, str], ...]:
    """Each backend at its best precision for the device: half precision on a GPU."""
    if device == "cuda":
        return ("transformers", "float16"), ("ctranslate2", "float16")
    return ("transformers", "float32"), ("ctranslate2", "int8")


def run_bench(args: argparse.Namespace) -> int:
    from pipelines.bench import model_sections, serve_sections
    from pipelines.bench.machine import machine
    from pipelines.bench.report import chart, table, targets
    from pipelines.bench.workloads import Plan
    from pipelines.t5_model import pick_device
    from serve.local import serve_runtime_env, shipped_deployments
    from serve.settings import Settings

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    serve_env = {} if args.plain_serve else serve_runtime_env(isolated=True)
    os.environ.update(serve_env)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = Path(args.out or ROOT / "bench-results" / stamp)
    out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-", dir=out))
    device = pick_device("auto")
    new_tokens = args.new_tokens or (4 if args.quick else 16)
    t5_config = shipped_deployments()["T5"]["user_config"] | {"max_new_tokens": new_tokens, "min_new_tokens": new_tokens,
                                                              "threads": args.threads, "device": device}
    if args.t5_niceness is not None:
        t5_config["niceness"] = args.t5_niceness
    plan = Plan(quick=args.quick, model=args.model or _model(args.quick, workdir), device=device, threads=args.threads,
                backends=backends(device), t5_config=t5_config, prompt=Settings().t5_prompts["grammar"],
                concurrencies=tuple(args.callers))
    sections = args.only or SECTIONS
    if {"ceiling", "parity", "peers"} & set(sections):
        plan.backends = model_sections.usable_backends(plan)
    plan.results.update(started=stamp, command="python -m serve " + " ".join(sys.argv[1:]), machine=machine(),
                        model=plan.model, quick=plan.quick, serve_env=serve_env, t5_config=t5_config,
                        backends=[list(b) for b in plan.backends])
    print(f"bench: model {plan.model}, {new_tokens} new tokens, {device}, {plan.threads} threads -> {out}", flush=True)
    timings = plan.results.setdefault("section_seconds", {})
    load_average = plan.results.setdefault("load_average", {})  # others' work on a shared machine shows here

    def run(name: str, fn, *fn_args) -> None:
        if name in sections:
            started = time.perf_counter()
            fn(plan, *fn_args)
            timings[name] = round(time.perf_counter() - started, 1)
            load_average[name] = round(os.getloadavg()[1], 2)  # the last 5 minutes
            (out / "results.json").write_text(json.dumps(plan.results, indent=2))  # what ran survives a later failure

    run("ceiling", model_sections.bench_ceiling)
    run("parity", model_sections.bench_parity)
    run("peers", model_sections.bench_peers)
    run("rules", model_sections.bench_rules)
    if SERVE_SECTIONS & set(sections):
        import ray
        from ray import serve

        port = serve_sections.start_serve()
        try:
            run("graph", serve_sections.bench_graph, port)
            run("cache", serve_sections.bench_cache, port, workdir)
            run("growth", serve_sections.bench_growth, port)
        finally:
            serve.shutdown()
            ray.shutdown()

    plan.results["targets"] = targets(plan.results)
    (out / "results.json").write_text(json.dumps(plan.results, indent=2))
    chart(plan.results, out / "chart.png")
    print("\n" + table(plan.results) + f"\n\nwrote {out / 'results.json'} and {out / 'chart.png'}")
    return 1 if any(row["errors"] for row in plan.results.get("rows", [])) else 0


def _model(quick: bool, workdir: Path) -> str:
    return ensure_model(workdir / "t5-tiny", "tiny") if quick else ensure_model(DEFAULT_MODEL, "t5-small")


def ensure_model(path: Path, shape: str) -> str:
    """A random T5 of `shape` at `path` with its CTranslate2 conversion, each built if missing."""
    from pipelines.models import CTRANSLATE2_DIR, build_random, convert

    if not (path / "config.json").is_file():
        print(f"building a random {shape} T5 at {path}", flush=True)
        build_random(path, shape=shape)
    if not (path / CTRANSLATE2_DIR / "model.bin").is_file():
        convert(path, path / CTRANSLATE2_DIR)
    return str(path)
