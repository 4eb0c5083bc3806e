"""Whether the model's thread gets a core: the graph's T5 replica against the queue peer, 32 callers.

    python -m pipelines.bench.run_queue [--rounds 4] [--niceness 0]

Deploys the graph as `python -m serve bench` does (one replica each, the bench's random
t5-small on CTranslate2 int8, one model thread) and starts the queue peer beside it. Each round
loads the graph, then the peer, with 32 callers, and reads the kernel's per-thread scheduler
counters (`/proc/<pid>/task/<tid>/schedstat`) over 6 s of each load: for the busiest thread of
the model's process (the model's own), the share of wall time it ran and the share it was
runnable but waiting for a CPU, and its context switches. Ray starts every worker at nice 15
(Ray's `worker_niceness`); with `--niceness N` the odd rounds give the T5 deployment
`niceness: N` (its user_config, applied by the replica's `reconfigure` as Serve would) and the
even rounds its shipped `null`, to see what the model gains when the rest of the graph yields
to it (below 15 needs root or CAP_SYS_NICE; each round reports the niceness the replica has).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import threading
import time


def threads(pid: int) -> dict[int, tuple[str, int, int, int]]:
    """Each thread of `pid`: (name, ns on a CPU, ns runnable but waiting, times scheduled in)."""
    out = {}
    for task in glob.glob(f"/proc/{pid}/task/*"):
        try:
            with open(f"{task}/schedstat") as stat, open(f"{task}/comm") as comm:
                ran, waited, slices = map(int, stat.read().split())
                out[int(task.rsplit("/", 1)[1])] = (comm.read().strip(), ran, waited, slices)
        except (OSError, ValueError):  # a thread that ended meanwhile
            pass
    return out


def busiest(before: dict, after: dict, seconds: float) -> dict:
    """The thread that ran most between two `threads` readings, as shares of the wall time."""
    tid = max((t for t in after if t in before), key=lambda t: after[t][1] - before[t][1])
    name, ran, waited, slices = after[tid]
    return {"thread": name, "tid": tid, "ran_share": round((ran - before[tid][1]) / 1e9 / seconds, 3),
            "waited_share": round((waited - before[tid][2]) / 1e9 / seconds, 3), "switches": slices - before[tid][3]}


def _measured(pid: int, run) -> dict:
    loader = threading.Thread(target=run)
    loader.start()
    time.sleep(2.5)  # past the warm-up burst
    before, started = threads(pid), time.perf_counter()
    time.sleep(6.0)
    after, seconds = threads(pid), time.perf_counter() - started
    loader.join()
    return busiest(before, after, seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.bench.run_queue", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--niceness", type=int, help="the T5 deployment's niceness in the odd rounds (the even ones keep null)")
    parser.add_argument("--out", help="write the figures as JSON here")
    args = parser.parse_args(argv)

    from serve.local import serve_runtime_env

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ.update(serve_runtime_env(isolated=True))
    import ray
    from ray import serve

    from pipelines.bench import serve_sections
    from pipelines.bench.load import load
    from pipelines.bench.machine import machine
    from pipelines.bench.model_sections import start_peer, stop_peer
    from pipelines.bench.replica_profile import graph_plan, pid_of
    from pipelines.bench.workloads import fresh, sentence, t5_body
    from serve.local import call_deployment

    plan = graph_plan("ctranslate2", "int8", 1, 32)
    result: dict = {"command": "python -m pipelines.bench.run_queue " + " ".join(argv or sys.argv[1:]), "machine": machine(), "rounds": []}
    port = serve_sections.start_serve()
    peer = None
    try:
        url = serve_sections.deploy_bench(plan, port, "ctranslate2", "int8") + "/v1/suggestions"
        load(url, t5_body, 32, 64, 60, warmup=32)  # warm: batches, connections
        t5_pid = pid_of("ServeReplica:bench:T5")
        peer_port, peer = start_peer(plan, "ctranslate2", "int8", "queue")
        peer_url = f"http://127.0.0.1:{peer_port}/fix"
        t5_config = serve_sections.deployment_options(plan, "ctranslate2", "int8")["T5"]["user_config"]  # as deployed
        for n in range(args.rounds):
            if args.niceness is not None:
                call_deployment("bench", "T5", "reconfigure", t5_config | {"niceness": args.niceness if n % 2 else None})
            entry = {"round": n, "t5_niceness": serve_sections.t5_stats()["niceness"]}
            for name, pid, target, body in (("graph", t5_pid, url, t5_body), ("queue peer", peer.pid, peer_url,
                                                                               lambda i: {"text": sentence(fresh(i))})):
                loaded: dict = {}
                entry[name] = _measured(pid, lambda: loaded.update(load(target, body, 32, 480, 14, warmup=32)))
                entry[name].update({k: loaded[k] for k in ("rps", "p50_ms", "p99_ms", "errors")})
                print(f"round {n} {name:10} nice {os.getpriority(os.PRIO_PROCESS, pid):>3}: {loaded['rps']:6.2f} req/s, "
                      f"p99 {loaded['p99_ms']:.0f} ms; model thread "
                      f"ran {entry[name]['ran_share']:.1%}, waited for a CPU {entry[name]['waited_share']:.1%} of the time, "
                      f"{entry[name]['switches']} switches", flush=True)
            result["rounds"].append(entry)
    finally:
        if peer is not None:
            stop_peer(peer)
        serve.shutdown()
        ray.shutdown()
    if args.out:
        with open(args.out, "w") as f:
            f.write(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
