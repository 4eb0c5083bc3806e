"""Sections that run before Ray starts, so nothing else competes for the CPU:
the model in-process (the ceiling), the two backends' parity, the peers, the rules."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

from pipelines.bench.load import load
from pipelines.bench.workloads import Plan, document, fresh, sentence
from serve.local import free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
PEERS = ("naive", "serial", "queue")


def _timed(fn, min_calls: int, min_seconds: float) -> tuple[int, float]:
    calls, started = 0, time.perf_counter()
    while calls < min_calls or time.perf_counter() - started < min_seconds:
        fn()
        calls += 1
    return calls, time.perf_counter() - started


def usable_backends(plan: Plan) -> tuple[tuple[str, str], ...]:
    """The backends that load and generate on this device; each other one is listed under `skipped`
    with its reason (e.g. a CTranslate2 wheel built for another CUDA than the machine has)."""
    from pipelines.t5_model import load as load_model

    usable = []
    for backend, compute_type in plan.backends:
        try:
            load_model(plan.model, backend, plan.device, compute_type, plan.threads).generate([plan.prompt.format(text="A test.")], 2, 2)
            usable.append((backend, compute_type))
        except Exception as exc:
            reason = f"{backend} {compute_type} on {plan.device}: {type(exc).__name__}: {exc}"
            plan.results.setdefault("skipped", []).append(reason)
            print(f"  skipped  {reason}", flush=True)
    return tuple(usable)


def ceiling_prompts(plan: Plan) -> list[str]:
    # The texts the graph sections send (fresh, so as long as theirs), taken in turn: a call's
    # time is then what a request of the graph's would cost, not one sentence's.
    return [plan.prompt.format(text=sentence(fresh(i))) for i in range(4 * plan.batch)]


def ceiling(model, plan: Plan, prompts: list[str]) -> dict[str, dict]:
    """`model.generate` in-process at batch 1 and at the served batch size."""
    out = {}
    for size in sorted({1, plan.batch}):
        turn = itertools.count()

        def call(size: int = size) -> None:
            start = next(turn) * size % len(prompts)
            model.generate((prompts + prompts)[start : start + size], plan.new_tokens, plan.new_tokens)

        calls, seconds = _timed(call, 3, 1.0 if plan.quick else 8.0)
        out[f"batch_{size}"] = {"batch": size, "calls": calls, "items_per_s": round(calls * size / seconds, 2),
                                "ms_per_call": round(seconds / calls * 1000, 1), "compute_type": model.compute_type}
    return out


def bench_ceiling(plan: Plan) -> None:
    """Each backend's `generate` in-process at batch 1 and at the served batch size."""
    from pipelines.t5_model import load as load_model

    prompts = ceiling_prompts(plan)
    out = plan.results.setdefault("ceiling", {})
    for backend, compute_type in plan.backends:
        model = load_model(plan.model, backend, plan.device, compute_type, plan.threads)
        model.generate(prompts[:2], plan.new_tokens, plan.new_tokens)  # warm-up
        out[backend] = ceiling(model, plan, prompts)
        for entry in out[backend].values():
            print(f"  ceiling  {backend:12} {model.compute_type:13} batch {entry['batch']:<3} {entry['items_per_s']:8.2f} items/s "
                  f"{entry['ms_per_call']:8.1f} ms per call", flush=True)


def bench_parity(plan: Plan) -> None:
    """The share of prompts on which each backend answers token for token as transformers float32."""
    from pipelines.t5_model import identical_share
    from pipelines.t5_model import load as load_model

    if "ctranslate2" not in dict(plan.backends):
        return
    prompts = [plan.prompt.format(text=sentence(i)) for i in range(12 if plan.quick else 48)]
    reference = load_model(plan.model, "transformers", plan.device, "float32", plan.threads)
    out = {}
    for compute_type in ("float32", "int8"):
        model = load_model(plan.model, "ctranslate2", plan.device, compute_type, plan.threads)
        out[f"ctranslate2_{compute_type}"] = {"prompts": len(prompts), "compute_type": model.compute_type,
                                              "identical_share": identical_share(reference, model, prompts, plan.new_tokens)}
        print(f"  parity   ctranslate2 {model.compute_type:13} vs transformers float32: "
              f"{out[f'ctranslate2_{compute_type}']['identical_share']:.2f} identical", flush=True)
    plan.results["parity"] = out


def bench_peers(plan: Plan) -> None:
    """Each peer app on each backend, at one caller and at the most."""
    for backend, compute_type in plan.backends:
        for kind in PEERS:
            port, proc = start_peer(plan, backend, compute_type, kind)
            try:
                for c in sorted({min(plan.concurrencies), max(plan.concurrencies)}):
                    plan.row("peer", f"peer: {kind}", load_peer(plan, port, c), backend=backend, peer=kind)
            finally:
                stop_peer(proc)


def load_peer(plan: Plan, port: int, concurrency: int) -> dict:
    """A timed run against the peer, with its model's batches and busy time as the graph rows have them."""
    import httpx

    before = httpx.get(f"http://127.0.0.1:{port}/stats", timeout=10).json()
    summary = load(f"http://127.0.0.1:{port}/fix", lambda i: {"text": sentence(fresh(i))}, concurrency, plan.requests(concurrency),
                   plan.time_limit_s, warmup=concurrency)  # every caller's connection opened before timing
    after = httpx.get(f"http://127.0.0.1:{port}/stats", timeout=10).json()
    return summary | model_use(before, after, summary)


def model_use(before: dict, after: dict, summary: dict) -> dict:
    """Mean batch, model milliseconds per batch, the model's busy share, each batch's size, in
    order, and the calls that gave way to a full batch (the graph's T5), of a timed run (warm-up
    included). A call that gave way counts as a batch: the model worked on it."""
    batches, items = after["batches"] - before["batches"], after["items"] - before["items"]
    busy, wall = after["busy_seconds"] - before["busy_seconds"], summary["seconds"] + summary["warmup_seconds"]
    return {"mean_batch": round(items / batches, 2) if batches else None,
            "model_ms_per_batch": round(busy / batches * 1000, 1) if batches else None,
            "model_busy_share": round(busy / wall, 2) if wall else None,
            "batch_sizes": after.get("sizes", [])[-batches:] if batches else [],
            "given_way": after.get("given_way", 0) - before.get("given_way", 0)}


def start_peer(plan: Plan, backend: str, compute_type: str, kind: str) -> tuple[int, subprocess.Popen]:
    """A peer under uvicorn on a free port, once it answers; another port if someone took that one."""
    import httpx

    env = dict(os.environ, PEER_KIND=kind, PEER_MODEL_PATH=plan.model, PEER_BACKEND=backend,
               PEER_COMPUTE_TYPE=compute_type, PEER_THREADS=str(plan.threads), PEER_BATCH=str(plan.batch),
               PEER_NEW_TOKENS=str(plan.new_tokens), PEER_PROMPT=plan.prompt)
    for _ in range(3):
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "pipelines.bench.peers:app", "--host", "127.0.0.1",
                                 "--port", str(port), "--log-level", "warning", "--no-access-log"], cwd=ROOT, env=env)
        wait_until(lambda: proc.poll() is not None or httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200,
                   300, "peer app")
        if proc.poll() is None:
            return port, proc
        stop_peer(proc)
    raise RuntimeError("the peer app would not start")


def stop_peer(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:  # a busy machine can keep uvicorn from a clean exit
        proc.kill()
        proc.wait()


def bench_rules(plan: Plan) -> None:
    from pipelines.analysis import analyze
    from pipelines.rules import check

    text = document(1_000 if plan.quick else 10_000, salt=7)
    words = len(text.split())
    out = {"words": words}
    for name, fn in (("check", check), ("analyze", analyze)):
        fn(text)
        runs, seconds = _timed(lambda: fn(text), 2, 0.5 if plan.quick else 5.0)
        out[name] = {"seconds": round(seconds / runs, 3), "words_per_s": round(words * runs / seconds)}
        print(f"  rules    {name:8} {words} words: {out[name]['words_per_s']:,} words/s", flush=True)
    plan.results["rules"] = out
