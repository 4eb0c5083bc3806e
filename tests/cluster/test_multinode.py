"""The graph on a real two-node Ray cluster: placement, T5 autoscaling, a lost node.

Two `ray start` nodes on this host (tests/cluster/ray_nodes.py), `serve deploy` of
serve_config.yaml with test-sized autoscaling, and bounded HTTP load. The worker
carries the label that GPU nodes carry in the cluster manifests, so T5 prefers it
and falls back to the head when it is gone. Prints the figures; run it alone with

    .venv/bin/python -m pytest tests/cluster/test_multinode.py -m cluster -s
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
import yaml

from ray_nodes import LocalRayCluster
from serve.local import free_port, wait_until
from traffic import Load, failed

pytestmark = pytest.mark.cluster

ROOT = Path(__file__).resolve().parents[2]
SERVE = str(Path(sys.executable).with_name("serve"))
T5 = "T5"


def accelerator_label(config: dict) -> dict[str, str]:
    """The node label T5 prefers in serve_config.yaml (what GPU worker groups carry)."""
    (app,) = config["applications"]
    (t5,) = [d for d in app["deployments"] if d["name"] == T5]
    return t5["ray_actor_options"]["label_selector"]


def fast_config(base: dict, model_dir: Path, http_port: int) -> dict:
    """serve_config.yaml made to react in seconds on a small cluster.

    Light deployments run two replicas, at most one a node, so each node holds one and
    the second waits for a node to come back after a loss; one that keeps state in its
    replica (max_replicas 1) stays single. T5 scales 1..3 on one ongoing request each.
    """
    config = copy.deepcopy(base)
    config["http_options"] = {"host": "127.0.0.1", "port": http_port}
    (app,) = config["applications"]
    # All the load comes from one address: lift the per-client rate limit.
    app["args"] = {**(app.get("args") or {}), "t5_model_path": str(model_dir), "rate_limit_max": 10**9}
    fast = {"upscale_delay_s": 1, "downscale_delay_s": 20, "metrics_interval_s": 0.5, "look_back_period_s": 5}
    for deployment in app["deployments"]:
        scaling = deployment.get("autoscaling_config") or {}
        options = deployment.setdefault("ray_actor_options", {})
        if deployment["name"] == T5:
            scaling.update(min_replicas=1, max_replicas=3, target_ongoing_requests=1, **fast)
            options["num_cpus"] = 0.4
            deployment["user_config"] = {**deployment.get("user_config", {}), "max_new_tokens": 8}
            continue
        if scaling.get("max_replicas", 1) > 1:
            scaling.update(min_replicas=2, max_replicas=2, **fast)
            deployment["max_replicas_per_node"] = 1
        options["num_cpus"] = min(options.get("num_cpus", 1), 0.1)
    return config


def application(cluster: LocalRayCluster) -> dict:
    """The app as Serve's REST API (what `serve status` reads) describes it."""
    (app,) = httpx.get(f"{cluster.dashboard_url}/api/serve/applications/", timeout=10).json()["applications"].values()
    return app


def app_status(cluster: LocalRayCluster) -> str:
    return application(cluster)["status"]


def replicas_by_node(cluster: LocalRayCluster) -> dict[str, list[str]]:
    """Deployment name -> node ids of its RUNNING replicas."""
    deployments = application(cluster)["deployments"]
    return {name: [r["node_id"] for r in d["replicas"] if r["state"] == "RUNNING"] for name, d in deployments.items()}


def wait_for(check, timeout_s: float, what: str) -> float:
    """Seconds until `check()` holds."""
    start = time.monotonic()
    wait_until(check, timeout_s, what)
    return time.monotonic() - start


@pytest.fixture()
def cluster():
    temp_dir = Path(tempfile.mkdtemp(prefix="rayc-", dir="/tmp"))  # short: Ray's socket paths have a length limit
    cluster = LocalRayCluster(temp_dir, serve_http_port=free_port())
    try:
        yield cluster
    finally:
        cluster.shutdown()
        if not os.environ.get("KEEP_CLUSTER_LOGS"):
            shutil.rmtree(temp_dir, ignore_errors=True)


def test_two_nodes_place_scale_and_survive_losing_a_node(cluster, tiny_t5):
    base = yaml.safe_load((ROOT / "serve_config.yaml").read_text())
    label = accelerator_label(base)
    names = [d["name"] for d in base["applications"][0]["deployments"]]
    config = fast_config(base, Path(tiny_t5), cluster.serve_http_port)
    config_path = cluster.temp_dir / "serve_config.test.yaml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    figures = {}

    head = cluster.start_head(num_cpus=2)
    worker = cluster.add_worker("worker", num_cpus=2, labels=label)
    env = {**os.environ, "RAY_AUTH_MODE": "disabled"}
    subprocess.run([SERVE, "deploy", str(config_path), "--address", cluster.dashboard_url], check=True, env=env, timeout=120)
    url = f"http://127.0.0.1:{head.http_port}"
    figures["deploy_s"] = wait_for(
        lambda: app_status(cluster) == "RUNNING" and httpx.get(f"{url}/readyz", timeout=5).status_code == 200, 300, "the app ready",
    )

    # Placement: every deployment runs; replicas sit on both nodes; T5 on the labelled node.
    placed = replicas_by_node(cluster)
    assert set(placed) == set(names)
    assert {node for nodes in placed.values() for node in nodes} == {head.node_id, worker.node_id}
    assert placed[T5] == [worker.node_id]
    light = [d["name"] for d in config["applications"][0]["deployments"] if d.get("max_replicas_per_node") == 1]
    assert light, config
    for name in light:
        assert sorted(placed[name]) == sorted([head.node_id, worker.node_id]), (name, placed)
    assert httpx.get(f"http://127.0.0.1:{worker.http_port}/healthz", timeout=5).status_code == 200  # the worker's proxy

    # A random tiny T5 answers only when asked for by name; the rule engine takes the rest.
    t5_load, rules_load = Load(url, "t5", callers=6).start(), Load(url, "basic", callers=2).start()
    try:
        # T5 scales out under load.
        start = time.monotonic()
        figures["scale_up_s"] = wait_for(lambda: len(replicas_by_node(cluster)[T5]) >= 2, 240, "T5 to scale to 2")
        assert any(a.engine == "t5" for a in t5_load.between(start))

        # The worker is lost: the head keeps answering; T5 comes back on the head.
        killed_at = time.monotonic()
        cluster.kill(worker)
        wait_for(lambda: head.node_id in replicas_by_node(cluster)[T5], 240, "a T5 replica on the head")
        on_head_at = time.monotonic()
        wait_for(lambda: any(a.engine == "t5" for a in t5_load.between(on_head_at)), 60, "T5 answering from the head")
        figures["t5_back_s"] = time.monotonic() - killed_at
        cluster.wait_node_dead(worker.node_id)
        figures["node_marked_dead_s"] = time.monotonic() - killed_at

        # The node rejoins: the replicas that could not fit on the head go back to it.
        worker = cluster.add_worker("worker-2", num_cpus=2, labels=label)
        rejoined_at = time.monotonic()
        figures["replicas_back_s"] = wait_for(
            lambda: all(worker.node_id in replicas_by_node(cluster)[name] for name in light), 240, "replicas on the new node",
        )
        for load in (t5_load, rules_load):
            loss = load.between(killed_at, rejoined_at)
            figures[f"{load.engine}_requests_during_loss"] = len(loss)
            figures[f"{load.engine}_failed_during_loss"] = len(failed(loss))
        settled_at = time.monotonic()
    finally:
        t5_load.stop()
        rules_load.stop()

    # Load gone: T5 back down to its minimum.
    figures["t5_replicas_at_stop"] = len(replicas_by_node(cluster)[T5])
    figures["scale_down_s"] = wait_for(lambda: len(replicas_by_node(cluster)[T5]) == 1, 120, "T5 to scale down to 1")
    answers = t5_load.answers + rules_load.answers
    figures["requests"], figures["failed"] = len(answers), len(failed(answers))
    print("\ncluster figures:", " ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()))

    # The rule engine's answers never needed the lost node for long: in-flight requests on it
    # may fail, the rest are answered. T5's failures are its recovery, bounded by t5_back_s.
    assert figures["basic_requests_during_loss"] > 0 and figures["t5_requests_during_loss"] > 0
    assert figures["basic_failed_during_loss"] <= max(10, figures["basic_requests_during_loss"] // 10), figures
    assert failed(t5_load.between(settled_at)) == [] and failed(rules_load.between(settled_at)) == []
