"""A real multi-node Ray cluster on one host, made of `ray start` processes.

Each node is one `ray start --block` process and the process group it leads
(raylet, agents, workers, the node's HAProxy). Every port is picked free, all
state lives under one temp dir of ours, and the address file Ray writes goes
there too, so a plain `ray.init()` elsewhere on the machine never finds this
cluster and nothing here touches another cluster. Killing a node SIGKILLs its
whole process group: a machine lost, not a polite shutdown.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from serve.local import free_port, serve_runtime_env, wait_until

RAY = str(Path(sys.executable).with_name("ray"))


@dataclass
class Node:
    name: str
    proc: subprocess.Popen
    node_id: str  # chosen here (Ray's RAY_OVERRIDE_NODE_ID_FOR_TESTING), so known before the node is up
    labels: dict[str, str] = field(default_factory=dict)
    http_port: int | None = None  # where this node's Serve proxy listens

    def processes(self) -> list[psutil.Process]:
        """The node's live processes: its process group and anything it spawned."""
        found = {}
        for proc in psutil.process_iter(["pid"]):
            try:
                if os.getpgid(proc.pid) == self.proc.pid:
                    found[proc.pid] = proc
            except (ProcessLookupError, psutil.Error):
                continue
        try:
            for child in psutil.Process(self.proc.pid).children(recursive=True):
                found[child.pid] = child
        except psutil.NoSuchProcess:
            pass
        return list(found.values())


class LocalRayCluster:
    """Head plus worker nodes on loopback; the head serves the dashboard (for `serve deploy`)."""

    def __init__(self, temp_dir: Path, serve_http_port: int):
        self.temp_dir = Path(temp_dir)
        self.temp_dir.mkdir(parents=True, exist_ok=True)
        self.serve_http_port = serve_http_port
        self.gcs_port = free_port()
        self.dashboard_port = free_port()
        self.nodes: list[Node] = []

    @property
    def dashboard_url(self) -> str:
        return f"http://127.0.0.1:{self.dashboard_port}"

    def _env(self, name: str, extra: dict[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RAY_SERVE_", "RAY_ADDRESS"))}
        env.update(serve_runtime_env(isolated=True))  # fresh HAProxy stats/metrics ports per node
        haproxy_dir = self.temp_dir / "hp"  # Serve adds a node-id folder; HAProxy takes socket paths up to 97 chars
        env.update(
            RAY_USAGE_STATS_ENABLED="0",
            RAY_AUTH_MODE="disabled",  # loopback only; a token in ~/.ray would otherwise switch it on
            RAY_SERVE_HAPROXY_CONFIG_FILE_LOC=str(haproxy_dir / "haproxy.cfg"),
            RAY_SERVE_HAPROXY_SOCKET_PATH=str(haproxy_dir / "admin.sock"),
            RAY_SERVE_HAPROXY_SERVER_STATE_BASE=str(haproxy_dir),
            RAY_SERVE_HAPROXY_SERVER_STATE_FILE=str(haproxy_dir / "server-state"),
            RAY_SERVE_HAPROXY_METRICS_SOCKET_PATH=str(haproxy_dir / "metrics.sock"),
        )
        env.update(extra)
        return env

    def _start(self, name: str, args: list[str], num_cpus: float, labels: dict[str, str], env: dict[str, str]) -> Node:
        ports = {
            "--node-manager-port": free_port(),
            "--object-manager-port": free_port(),
            "--dashboard-agent-listen-port": free_port(),
            "--dashboard-agent-grpc-port": free_port(),
            "--runtime-env-agent-port": free_port(),
            "--metrics-export-port": free_port(),
        }
        cmd = [RAY, "start", "--block", "--disable-usage-stats", "--node-ip-address", "127.0.0.1",
               "--num-cpus", str(num_cpus), "--num-gpus", "0", "--object-store-memory", str(100 * 1024**2),
               *args, *(f"{k}={v}" for k, v in ports.items())]
        if labels:
            cmd.append("--labels=" + ",".join(f"{k}={v}" for k, v in labels.items()))
        node_id = os.urandom(28).hex()
        (self.temp_dir / "session_latest").unlink(missing_ok=True)  # so the new node's session is the one found
        with open(self.temp_dir / f"{name}.log", "ab") as log:
            proc = subprocess.Popen(cmd, env=self._env(name, {**env, "RAY_OVERRIDE_NODE_ID_FOR_TESTING": node_id}),
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=self.temp_dir)
        node = Node(name, proc, node_id, labels)
        self.nodes.append(node)
        self._report_agent_ports(proc, node_id, ports)
        return node

    def _report_agent_ports(self, proc: subprocess.Popen, node_id: str, ports: dict[str, int]) -> None:
        """Write the port files a raylet waits for, with the ports given on the command line.

        The node's dashboard agent writes them once it has loaded, and its raylet gives up
        after about 15 s: on a busy 2-core machine the agent can take longer than that. The
        ports are fixed here, so the files can be written before the agent is up.
        """
        latest = self.temp_dir / "session_latest"
        deadline = time.monotonic() + 60
        while not latest.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                return
            time.sleep(0.1)
        session = latest.resolve()
        files = {"dashboard_agent_listen_port": "--dashboard-agent-listen-port",
                 "metrics_agent_port": "--dashboard-agent-grpc-port", "metrics_export_port": "--metrics-export-port"}
        for prefix, flag in files.items():
            (session / f"{prefix}_{node_id}").write_text(str(ports[flag]))

    def start_head(self, num_cpus: float, labels: dict[str, str] | None = None) -> Node:
        args = ["--head", f"--port={self.gcs_port}", f"--temp-dir={self.temp_dir}", "--include-dashboard=true",
                "--dashboard-host=127.0.0.1", f"--dashboard-port={self.dashboard_port}",
                f"--ray-client-server-port={free_port()}"]
        return self._start_joined("head", args, num_cpus, labels or {}, {}, self.serve_http_port)

    def add_worker(self, name: str, num_cpus: float, labels: dict[str, str] | None = None) -> Node:
        # Proxies of several nodes on one host cannot share a port: the worker's gets its own.
        http_port = free_port()
        return self._start_joined(name, [f"--address=127.0.0.1:{self.gcs_port}"], num_cpus, labels or {},
                                  {"RAY_SERVE_WORKER_PROXY_HTTP_PORT": str(http_port)}, http_port)

    def _start_joined(self, name, args, num_cpus, labels, env, http_port, attempts: int = 4) -> Node:
        """Start a node and wait until the cluster lists it. `ray start` gives a raylet 30 s
        to register, which a busy 2-core machine can miss: then the node is killed and
        started again."""
        for attempt in range(1, attempts + 1):
            node = self._start(name, args, num_cpus, labels, env)
            node.http_port = http_port
            try:
                self._wait_alive(node, 120)
                break
            except RuntimeError:
                self.kill(node)
                if attempt == attempts:
                    raise
        return node

    def alive_nodes(self) -> list[dict]:
        answer = httpx.get(f"{self.dashboard_url}/api/v0/nodes", params={"limit": 100}, timeout=10).json()
        return [n for n in answer["data"]["result"]["result"] if n["state"] == "ALIVE"]

    def _wait_alive(self, node: Node, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while not _quietly(lambda: node.node_id in {n["node_id"] for n in self.alive_nodes()}):
            if node.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"node {node.name} did not join; see {self.temp_dir / node.name}.log")
            time.sleep(0.5)

    def kill(self, node: Node) -> None:
        """SIGKILL every process of the node at once."""
        victims = node.processes()
        for proc in victims:
            try:
                proc.send_signal(signal.SIGKILL)
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(victims, timeout=10)
        node.proc.wait(10)
        self.nodes.remove(node)

    def wait_node_dead(self, node_id: str, timeout_s: float = 90) -> None:
        wait_until(lambda: node_id not in {n["node_id"] for n in self.alive_nodes()}, timeout_s, "node marked dead")

    def shutdown(self) -> None:
        """Kill every node, workers first, then anything still holding our temp dir."""
        for node in reversed(list(self.nodes)):
            self.kill(node)
        leftovers = []
        for proc in psutil.process_iter(["pid", "cmdline"]):
            if str(self.temp_dir) in " ".join(proc.info["cmdline"] or []):
                leftovers.append(proc)
        for proc in leftovers:
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(leftovers, timeout=10)


def _quietly(check) -> bool:
    try:
        return bool(check())
    except (httpx.HTTPError, KeyError, ValueError):
        return False
