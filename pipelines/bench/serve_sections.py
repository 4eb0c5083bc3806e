"""Sections that run the graph under Ray Serve and load it through HTTP."""

from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path

from pipelines.bench.load import CpuShare, load, percentile
from pipelines.bench.model_sections import ceiling, ceiling_prompts, load_peer, model_use, start_peer, stop_peer
from pipelines.bench.workloads import Plan, document, fresh, t5_body
from serve.local import RedisServer, call_deployment, deploy, free_port, shipped_deployments


def start_serve() -> int:
    import ray
    from ray import serve

    port = free_port()
    # Logical CPUs above the core count so every deployment fits; a cluster of its
    # own ("local"), never one a test session or user already runs.
    for attempt in range(3):  # a busy machine can miss Ray's 30 s start-up window
        try:
            ray.init(address="local", num_cpus=max(8, os.cpu_count() or 1), include_dashboard=False,
                     log_to_driver=False, configure_logging=False)
            break
        except Exception:
            ray.shutdown()
            if attempt == 2:
                raise
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    return port


def deployment_options(plan: Plan, backend: str, compute_type: str) -> dict[str, dict]:
    """serve_config.yaml's options, one replica each (on a small machine a second replica
    only competes for the same cores), T5 on `backend` with the bench's generation length."""
    options = {}
    for name, shipped in shipped_deployments().items():
        options[name] = {k: v for k, v in shipped.items() if k != "autoscaling_config"} | {"num_replicas": 1}
    options["T5"]["user_config"] = plan.t5_config | {"backend": backend, "compute_type": compute_type}
    options["T5"]["ray_actor_options"] = options["T5"]["ray_actor_options"] | {"num_gpus": 1 if plan.device == "cuda" else 0}
    return options


def deploy_bench(plan: Plan, port: int, backend: str, compute_type: str) -> str:
    """The graph with the bench's model on one backend; returns its URL once serving."""
    settings = {"t5_model_path": plan.model, "max_text_chars": 200_000}
    return deploy(port, "bench", "/", settings, deployment_options(plan, backend, compute_type))


def t5_stats() -> dict:
    return call_deployment("bench", "T5", "stats")


def bench_graph(plan: Plan, port: int) -> None:
    """T5 corrections through HTTP and the whole graph, each backend, 1 to 32 callers.

    Each round also times the queue peer and the in-process ceiling right beside the graph
    (in alternating order), so the ratios the targets read compare figures taken within a
    minute or two: this VM's speed drifts by a quarter over an hour, more than the gaps
    being measured. The sections before Ray started keep their own figures."""
    from pipelines.t5_model import load as load_model

    prompts = ceiling_prompts(plan)
    for backend, compute_type in plan.backends:
        url = deploy_bench(plan, port, backend, compute_type) + "/v1/suggestions"
        model = load_model(plan.model, backend, plan.device, compute_type, plan.threads)
        model.generate(prompts[:2], plan.new_tokens, plan.new_tokens)  # warm-up
        peer_port, peer = start_peer(plan, backend, compute_type, "queue")
        rounds = plan.results.setdefault("rounds", {}).setdefault(backend, [])
        try:
            for n in range(plan.rounds):
                steps = [lambda: rounds.append({"round": n, "ceiling": ceiling(model, plan, prompts)}),
                         lambda: _graph_rows(plan, url, backend, n),
                         lambda: _alone(plan, url, model, backend, n),
                         lambda: plan.row("paired", "peer: queue", load_peer(plan, peer_port, max(plan.concurrencies)),
                                          backend=backend, peer="queue", round=n)]
                for step in steps if n % 2 == 0 else steps[::-1]:
                    step()
        finally:
            stop_peer(peer)
        del model
    _delete("bench")  # idle replicas still cost CPU: later sections run without them


def _graph_rows(plan: Plan, url: str, backend: str, n: int) -> None:
    for c in plan.concurrencies:
        load(url, t5_body, 1, 2, plan.time_limit_s)  # warm-up, outside the batch counts
        before = t5_stats()
        with CpuShare() as cpu:  # the warm-up opens every caller's connection (and is in the model's counts)
            summary = load(url, t5_body, c, plan.requests(c), plan.time_limit_s, warmup=c)
        after = t5_stats()
        plan.row("graph", "graph", summary | model_use(before, after, summary), backend=backend, compute_type=after["compute_type"],
                 round=n, cpu_percent=cpu.top(), t5_niceness=after["niceness"])


def _alone(plan: Plan, url: str, model, backend: str, n: int) -> None:
    """One caller: the same sentence in-process at batch 1, to the T5 deployment, to the Router
    and through HTTP, one after another, in an order that turns each time.

    What a lone request pays for the graph is a few milliseconds on a call of 100 ms and more,
    and this VM's speed drifts by more than that between figures taken a minute apart; taken in
    turn, every path sees the same machine. The T5 and Router calls come from this process's
    DeploymentHandle, so the steps between them say what each hop adds."""
    import httpx

    times: dict[str, list[float]] = {path: [] for path in ("in_process", "t5", "router", "graph")}
    errors, first_error = 0, None
    with httpx.Client(timeout=60) as client:
        for i in range(-3, plan.alone_turns):  # three untimed turns first
            body = t5_body(i)
            text, tasks = body["text"], body["tasks"]

            def via_graph() -> None:
                answer = client.post(url, json=body)
                if answer.status_code != 200:
                    raise RuntimeError(f"{answer.status_code} {answer.text[:200]}")

            calls = {
                "in_process": lambda: model.generate([plan.prompt.format(text=text)], plan.new_tokens, plan.new_tokens),
                "t5": lambda: call_deployment("bench", "T5", "suggest", text, tasks, "en-US"),
                "router": lambda: call_deployment("bench", "Router", "suggest", text, tasks, "en-US", "t5"),
                "graph": via_graph,
            }
            timed = {}
            try:
                for path in list(calls)[i % 4:] + list(calls)[:i % 4]:
                    started = time.perf_counter()
                    calls[path]()
                    timed[path] = (time.perf_counter() - started) * 1000
            except Exception as exc:  # a failed call spoils its turn: counted, not timed
                errors, first_error = errors + 1, first_error or f"{type(exc).__name__}: {exc}"
                continue
            if i >= 0:
                for path, ms in timed.items():
                    times[path].append(ms)
    p50 = {path: round(percentile(sorted(values), 50), 2) for path, values in times.items()}
    graph = sorted(times["graph"])
    summary = {"concurrency": 1, "requests": len(graph) + errors, "ok": len(graph), "errors": errors, "first_error": first_error,
               "rps": round(len(graph) / (sum(graph) / 1000), 2) if graph else 0.0,
               "p50_ms": p50["graph"], "p99_ms": round(percentile(graph, 99), 2),
               "in_process_p50_ms": p50["in_process"], "t5_call_p50_ms": p50["t5"], "router_call_p50_ms": p50["router"],
               "gap_p50_ms": round(p50["graph"] - p50["in_process"], 2)}
    plan.row("alone", "graph / in-process batch 1, in turn", summary, backend=backend, round=n)
    print(f"    p50 in-process {p50['in_process']:.1f} ms, T5 deployment {p50['t5']:.1f}, Router {p50['router']:.1f}, "
          f"through HTTP {p50['graph']:.1f}: the graph adds {summary['gap_p50_ms']:.1f} ms", flush=True)


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
            plan.row("cache", f"{backend}: hit", load(url, lambda i: same, 1, n, plan.time_limit_s, warmup=3), cache=backend)
            plan.row("cache", f"{backend}: miss (rules)",
                     load(url, lambda i: {"text": document(20, salt=fresh(i)), "engine": "basic"}, 1, n, plan.time_limit_s, warmup=3),
                     cache=backend)
            _delete(f"cache-{backend}")
    finally:
        if redis:
            redis.stop()


def bench_growth(plan: Plan, port: int) -> None:
    """Latency and memory as the text grows, T5 on the shipped backend."""
    from pipelines.analysis import analyze
    from pipelines.rules import check

    shipped = next(b for b in plan.backends if b[0] == plan.t5_config["backend"])
    url = deploy_bench(plan, port, *shipped)
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
                 "rules_peak_mib": round(peak / 2**20, 2), "t5_backend": shipped[0]}
        for case, path, body in (
            ("basic", "/v1/suggestions", lambda i: {"text": document(words, salt=fresh(i)), "engine": "basic"}),
            ("analysis", "/v1/analysis", lambda i: {"text": document(words, salt=fresh(i))}),
            ("t5", "/v1/suggestions", lambda i: {"text": document(words, salt=fresh(i)), "engine": "t5", "tasks": ["grammar"]}),
        ):
            reps = 1 if (case == "t5" and words > 1_000) else 3
            summary = load(url + path, body, 1, reps, plan.time_limit_s * 4, warmup=1)
            plan.row("growth", f"{case}, {words} words", summary, words=words)
            entry[f"{case}_ms"] = summary["p50_ms"]
        out.append(entry)
    plan.results["growth"] = out


def _delete(app: str) -> None:
    from ray import serve

    serve.delete(app)
