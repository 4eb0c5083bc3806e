"""What slows the model beside other work: the in-process batch time alone, with Python work in
another thread of the same process (it holds the GIL about a third of the time, as a replica's
event loop does under load), and with a process on another core copying memory a third of the
time; then the same model in a process of its own (`pipelines/t5_process.py`, as a T5 replica
runs transformers), alone and with the same Python work in the calling process. Each condition
runs in turn, `--repeats` times, and each reads its median.

    .venv/bin/python -m pipelines.bench.contention --out docs/benchmarks/contention.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time

from pipelines.bench.cli import DEFAULT_MODEL
from pipelines.bench.workloads import fresh, sentence

ON_S, OFF_S = 0.003, 0.007  # the other work's duty cycle: busy 30 % of the time
_COPY = """import numpy as np, time
a = np.ones(16_000_000, dtype=np.float32)  # 64 MB, twice the last-level cache
while True:
    t = time.perf_counter()
    while time.perf_counter() - t < {on}:
        b = a.copy()
    time.sleep({off})
"""


def _python_work(stop: threading.Event) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        while time.perf_counter() - started < ON_S:
            sum(range(200))
        time.sleep(OFF_S)


def batch_ms(model, prompts: list[str], batch: int, calls: int) -> float:
    started = time.perf_counter()
    for k in range(calls):
        model.generate(prompts[k * batch % len(prompts) :][:batch], 16, 16)
    return (time.perf_counter() - started) / calls * 1000


def measure(backend: str, model_path: str, batch: int = 16, calls: int = 6, repeats: int = 3) -> dict:
    from pipelines.t5_model import load
    from pipelines.t5_process import ModelProcess

    model, own = load(model_path, backend, "cpu", "auto", 1), ModelProcess(model_path, backend, "cpu", "auto", 1)
    prompts = [f"grammar: {sentence(fresh(i))}" for i in range(4 * batch)]
    batch_ms(model, prompts, batch, 2)  # warm-up
    batch_ms(own, prompts, batch, 2)
    times: dict[str, list[float]] = {"alone": [], "python thread": [], "memory process": [],
                                     "own process": [], "own process, python thread": []}
    for _ in range(repeats):
        for condition in times:
            stop, thread, proc = threading.Event(), None, None
            if condition.endswith("python thread"):
                thread = threading.Thread(target=_python_work, args=(stop,), daemon=True)
                thread.start()
            elif condition == "memory process":
                proc = subprocess.Popen([sys.executable, "-c", _COPY.format(on=ON_S * 10, off=OFF_S * 10)])
                time.sleep(1.0)  # its array allocated
            try:
                times[condition].append(round(batch_ms(own if condition.startswith("own") else model, prompts, batch, calls), 1))
            finally:
                stop.set()
                if thread:
                    thread.join()
                if proc:
                    proc.kill()
                    proc.wait()
    own.close()
    alone = statistics.median(times["alone"])
    return {
        "backend": backend, "compute_type": model.compute_type, "batch": batch, "ms_per_call": times,
        "median_ms": {c: statistics.median(v) for c, v in times.items()},
        "slowdown": {c: round(statistics.median(v) / alone, 2) for c, v in times.items() if c != "alone"},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.bench.contention", description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=str(DEFAULT_MODEL))
    parser.add_argument("--backends", nargs="+", default=["ctranslate2", "transformers"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", help="write the figures as JSON here")
    args = parser.parse_args(argv)
    results = [measure(b, args.model, repeats=args.repeats) for b in args.backends]
    for r in results:
        print(f"{r['backend']:13} batch {r['batch']}: " + ", ".join(f"{c} {ms:.1f} ms" for c, ms in r["median_ms"].items())
              + "  slowdown " + ", ".join(f"{c} {x:.2f}x" for c, x in r["slowdown"].items()), flush=True)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump({"command": "python -m pipelines.bench.contention " + " ".join(argv or sys.argv[1:]), "results": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
