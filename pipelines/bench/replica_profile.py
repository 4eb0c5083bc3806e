"""Where each replica's CPU goes under load: the service's own code or Ray Serve's request path.

    python -m pipelines.bench.replica_profile [--backend ctranslate2] [--callers 32] [--seconds 15]
                                              [--out docs/benchmarks/replica_profile.json]

Deploys the graph as `python -m serve bench` does (one replica each, the bench's random
t5-small), loads `/v1/suggestions` with T5 corrections from `--callers` callers, and samples
the Ingress, Router and T5 replicas with py-spy (`pip install '.[bench]'`) at 200 Hz for
`--seconds`. Each sample is put down to whoever runs at its innermost frame that is either the
service's (deployments/, serve/, pipelines/) or Ray's (ray/, grpc/); frames of other libraries
(asyncio, FastAPI, json) count for whichever of the two called them. Samples whose stack is
Ray's alone (its event loop and core worker threads, native code below them) are Ray's too.
py-spy sees Python threads: the model's own native threads (CTranslate2's, torch's) are not
sampled, so T5's figures are its Python side (tokenising, batching, Serve). The sampling
itself takes CPU, so the load's req/s here is lower than the bench's.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

REPLICAS = ("Ingress", "Router", "T5")
_FILE = re.compile(r"\((?P<file>[^:()]+)(:\d+)?\)$")
SERVICE = ("deployments/", "serve/", "pipelines/")


def _file(frame: str) -> str:
    match = _FILE.search(frame)
    return match["file"] if match else ""


def owner(frames: list[str]) -> str:
    """'service' or 'ray' for one sampled stack (outermost frame first), by its innermost frame of either."""
    for frame in reversed(frames):
        path = _file(frame)
        if path.startswith(SERVICE):
            return "service"
        if path.startswith(("ray/", "grpc/")):
            return "ray"
    return "ray"  # a thread with no frame of either: Ray's workers and its native event loop


def summarise(raw: str) -> dict:
    """Shares of samples by owner, and the service functions that took the most (inclusive)."""
    shares, functions, total = collections.Counter(), collections.Counter(), 0
    for line in raw.splitlines():
        if not line.strip():
            continue
        stack, count = line.rsplit(" ", 1)
        frames, count = stack.split(";"), int(count)
        total += count
        shares[owner(frames)] += count
        for name in {re.sub(r":\d+\)$", ")", f) for f in frames if _file(f).startswith(SERVICE)}:
            functions[name] += count
    return {
        "samples": total,
        "service_share": round(shares["service"] / total, 3) if total else None,
        "ray_share": round(shares["ray"] / total, 3) if total else None,
        "top_service_functions": [[name, round(n / total, 3)] for name, n in functions.most_common(8)],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.bench.replica_profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["transformers", "ctranslate2"], default="ctranslate2")
    parser.add_argument("--callers", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--out", help="write the figures as JSON here")
    args = parser.parse_args(argv)
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        parser.error("py-spy is not installed: pip install '.[bench]'")

    from serve.local import serve_runtime_env

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ.update(serve_runtime_env(isolated=True))
    from ray import serve
    import ray

    from pipelines.bench import serve_sections
    from pipelines.bench.load import CpuShare, load
    from pipelines.bench.machine import machine
    from pipelines.bench.workloads import t5_body

    compute_type = "int8" if args.backend == "ctranslate2" else "float32"
    plan = graph_plan(args.backend, compute_type, os.cpu_count() or 1, args.callers)
    port = serve_sections.start_serve()
    result: dict = {"command": "python -m pipelines.bench.replica_profile " + " ".join(argv or sys.argv[1:]),
                    "machine": machine(), "backend": args.backend, "callers": args.callers}
    try:
        url = serve_sections.deploy_bench(plan, port, args.backend, compute_type) + "/v1/suggestions"
        load(url, t5_body, args.callers, 2 * args.callers, 60, warmup=args.callers)  # warm: batches, connections
        pids = {name: pid_of(f"ServeReplica:bench:{name}") for name in REPLICAS}
        outputs = {name: Path(f"/tmp/replica-profile-{os.getpid()}-{name}.txt") for name in REPLICAS}
        loaded: dict = {}
        loader = threading.Thread(target=lambda: loaded.update(
            load(url, t5_body, args.callers, 100_000, args.seconds + 6, warmup=args.callers)))
        with CpuShare() as cpu:
            loader.start()
            time.sleep(2)
            spies = [subprocess.Popen([spy, "record", "-p", str(pids[n]), "-d", str(int(args.seconds)), "-r", "200", "-f", "raw",
                                       "--nonblocking", "-o", str(outputs[n])], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                     for n in REPLICAS]
            for process in spies:
                process.wait()
            loader.join()
        result["load"] = {k: loaded.get(k) for k in ("rps", "p50_ms", "p99_ms", "errors")}
        result["cpu_percent"] = cpu.top()
        result["replicas"] = {n: summarise(outputs[n].read_text()) for n in REPLICAS if outputs[n].exists()}
        for path in outputs.values():
            path.unlink(missing_ok=True)
    finally:
        serve.shutdown()
        ray.shutdown()
    print(json.dumps(result, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    return 0


def graph_plan(backend: str, compute_type: str, threads: int, callers: int):
    """The bench's plan for one backend on its random t5-small (built if missing), 16 tokens a request."""
    from pipelines.bench.cli import DEFAULT_MODEL, ensure_model
    from pipelines.bench.workloads import Plan
    from serve.local import shipped_deployments
    from serve.settings import Settings

    t5 = shipped_deployments()["T5"]["user_config"] | {"max_new_tokens": 16, "min_new_tokens": 16, "threads": threads, "device": "cpu"}
    return Plan(quick=False, model=ensure_model(DEFAULT_MODEL, "t5-small"), device="cpu", threads=threads, backends=((backend, compute_type),),
                t5_config=t5, prompt=Settings().t5_prompts["grammar"], concurrencies=(callers,))


def pid_of(pattern: str) -> int:
    found = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
    if not found:
        raise RuntimeError(f"no process matches {pattern!r}")
    return int(found[0])


if __name__ == "__main__":
    raise SystemExit(main())
