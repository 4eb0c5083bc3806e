"""The serve command's supervisor (`python -m serve run`): one process that owns the rest.

It checks the ports it needs (a taken one is reported in one line naming what holds
it), starts the embedded MongoDB-wire server when MONGODB_URI is not set, starts Ray
and Serve with serve_config.yaml's options, and waits. On SIGTERM or SIGINT it drains:
replicas answer new requests 503 with Retry-After while those already in are answered,
then the listener closes (HAProxy first), Ray stops with Serve's proxy and replicas, the
MongoDB server stops, and the exit code is 0. No request sees a 404 on the way out.
When the signal reached Ray's own processes too (sent to the whole process group), there is
nothing left to drain: it says so and stops what is left, HAProxy included.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import threading
import time

import psutil

from serve.local import serve_runtime_env
from serve.settings import Settings


def port_holder(port: int) -> str:
    """Who listens on `port`, in words an operator can act on."""
    try:
        listeners = [c for c in psutil.net_connections(kind="inet") if c.laddr and c.laddr.port == port and c.status == "LISTEN"]
    except psutil.AccessDenied:
        listeners = []
    for conn in listeners:
        if conn.pid:
            try:
                process = psutil.Process(conn.pid)
                return f"{process.name()} (pid {conn.pid}: {' '.join(process.cmdline())[:120]}); stop it with `kill {conn.pid}`"
            except psutil.Error:
                return f"pid {conn.pid}; stop it with `kill {conn.pid}`"
    return "another process (not visible to this user; `ss -ltnp` as root shows it)"


def taken_ports(ports: dict[str, int]) -> list[str]:
    """One line per port that cannot be bound on every interface (as HAProxy binds them)."""
    lines = []
    for what, port in ports.items():
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("0.0.0.0", port))
            except OSError:
                lines.append(f"cannot start: port {port} ({what}) is taken by {port_holder(port)}, or choose another port")
    return lines


def needed_ports(settings: Settings, env: dict[str, str]) -> dict[str, int]:
    ports = {"PORT, the HTTP API": settings.port}
    if env.get("RAY_SERVE_ENABLE_HA_PROXY") == "1":
        ports["RAY_SERVE_HAPROXY_STATS_PORT"] = int(env.get("RAY_SERVE_HAPROXY_STATS_PORT", "8404"))
        ports["RAY_SERVE_HAPROXY_METRICS_PORT"] = int(env.get("RAY_SERVE_HAPROXY_METRICS_PORT", "9101"))
    return ports


def set_draining(settings: Settings, app_name: str | None, draining: bool) -> None:
    """Tell every replica (through the shared FallbackMode state) whether the service drains."""
    from deployments.fallback import DEFAULT_STATE, SharedState
    from serve.local import call_deployment

    if settings.redis_url or app_name is None:
        asyncio.run(SharedState(settings, None).update(draining=draining))
        return
    state = call_deployment(app_name, "Fallback", "get") or dict(DEFAULT_STATE)
    call_deployment(app_name, "Fallback", "put", {**state, "draining": draining})


def deploy(config: dict) -> list[str]:
    """Serve started with the config's HTTP and logging options, and each application deployed as
    `serve run` would (settings from the environment, the application's `args` over them); their names."""
    from ray import serve

    from serve.graph import build_graph

    serve.start(
        proxy_location=config.get("proxy_location"), http_options=config.get("http_options"), logging_config=config.get("logging_config")
    )
    names = []
    for app in config["applications"]:
        options = {d["name"]: {k: v for k, v in d.items() if k != "name"} for d in app.get("deployments", [])}
        serve.run(build_graph(Settings(**(app.get("args") or {})), options), name=app["name"], route_prefix=app.get("route_prefix", "/"))
        names.append(app["name"])
    return names


def busy_replicas(app_name: str) -> int:
    """Requests in flight on the application's engine-side replicas (all but the ingress and the
    FallbackMode holder, which every ingress polls): what a request admitted before the drain may still wait for."""
    import ray

    total = 0
    for actor in ray.util.list_named_actors(all_namespaces=True):
        name = actor["name"]
        if actor["namespace"] != "serve" or not name.startswith(f"SERVE_REPLICA::{app_name}#"):
            continue
        if name.split("#")[1] in ("Ingress", "Fallback"):
            continue
        try:
            total += ray.get(ray.get_actor(name, namespace="serve").get_num_ongoing_requests.remote(), timeout=5)
        except Exception:  # a replica stopping or restarting holds nothing we can wait for
            continue
    return total


def drain(names: list[str], settings: Settings) -> None:
    """New requests answered 503 with Retry-After, those already admitted answered; the applications
    stay deployed (still refusing) until the listener is closed, so nobody sees a 404 on the way out."""
    for name in names:
        set_draining(settings, name, True)
    time.sleep(2 * settings.status_interval_s + 2.0)  # every replica has read it, even a busy one
    deadline = time.monotonic() + settings.engine_timeout_s + 5.0
    quiet = 0
    while quiet < 2 and time.monotonic() < deadline:
        quiet = quiet + 1 if sum(busy_replicas(name) for name in names) == 0 else 0
        time.sleep(0.25)
    time.sleep(settings.mongodb_timeout_s)  # a document write admitted just before the drain finishes in the ingress itself


class Started:
    """Every process this command has started, directly or not, as last seen, and Ray's GCS address.
    HAProxy is started by a Ray actor: should that actor die first, HAProxy is no longer anyone's
    child here but is still known, and stopped."""

    def __init__(self, leave_out: tuple[int, ...] = ()):
        self._leave_out = set(leave_out)
        self.processes: dict[int, psutil.Process] = {}
        self.gcs: str | None = None  # host:port, once Ray has started

    def look(self) -> list[psutil.Process]:
        """The processes started and still running (those that ended are forgotten)."""
        for process in psutil.Process().children(recursive=True):
            if process.pid not in self._leave_out:
                self.processes.setdefault(process.pid, process)
        self.processes = {pid: p for pid, p in self.processes.items() if p.is_running()}
        return list(self.processes.values())

    def ray_alive(self, watch_s: float = 0.5) -> bool:
        """Whether Ray's GCS still takes connections, watched for `watch_s`. A signal to the whole
        process group (`timeout`, `kill -TERM -PGID`, systemd's default KillMode) reaches Ray's own
        processes with this command; the GCS then stops listening at once (its process lingers for
        seconds), and with it gone nothing can drain."""
        if self.gcs is None:
            return False
        host, port = self.gcs.rsplit(":", 1)
        deadline = time.monotonic() + watch_s
        while True:
            try:
                socket.create_connection((host, int(port)), timeout=0.2).close()
            except OSError:
                return False
            if time.monotonic() >= deadline:
                return True
            time.sleep(0.1)

    def stop_the_rest(self) -> None:
        """HAProxy soft-stopped first, then every other process still running."""
        close_listener([p for p in self.look() if named(p, "haproxy")])
        stop_processes(self.look())


RAY_GONE = "Ray was stopped from outside (a signal to the whole process group?): no drain; stopping what is left"


def watch(started: Started, stopping: threading.Event, on_exit) -> None:
    """In a thread from Ray's start: note the processes started, every second; should Ray's GCS go
    while the command is not stopping it (during start-up too, when the main thread may be waiting
    on Ray and cannot act), stop the rest and exit, rather than leave HAProxy holding the port."""
    while not stopping.wait(1.0):
        started.look()
        if not started.ray_alive(0) and not stopping.is_set():
            print(RAY_GONE, flush=True)
            started.stop_the_rest()
            on_exit()
            os._exit(1)


def stop_all(names: list[str], settings: Settings, started: Started) -> None:
    """Drain, close the listener (HAProxy, when it fronts Serve), then stop Ray (its proxy and replicas with
    it), then whatever else they started that is still running. When Ray was stopped from outside, only
    the last steps: no drain can run without it, and HAProxy must not be left holding the port."""
    import ray

    started.look()  # what runs now, before Ray stops its own
    alive = started.ray_alive()
    if names and alive:
        print("draining: new requests get 503 with Retry-After; requests in flight are answered", flush=True)
        drain(names, settings)
    elif names:
        print(RAY_GONE, flush=True)
    close_listener([p for p in started.look() if named(p, "haproxy")])
    if ray.is_initialized() and alive:
        ray.shutdown()  # everything admitted has been answered: no graceful Serve shutdown, whose route removal answers 404
    stop_processes(started.look())


def named(process: psutil.Process, name: str) -> bool:
    try:
        return process.is_running() and process.name() == name
    except psutil.Error:
        return False


def close_listener(haproxies: list[psutil.Process]) -> None:
    """HAProxy's soft stop: it stops accepting at once, answers what is on its connections, closes them, exits."""
    for process in haproxies:
        try:
            process.send_signal(signal.SIGUSR1)
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(haproxies, timeout=5)
    stop_processes(alive)


def stop_processes(processes: list[psutil.Process]) -> None:
    for process in processes:
        try:
            process.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(processes, timeout=10)
    for process in alive:
        process.kill()


def supervise(config: dict) -> int:
    from serve.security import SecurityConfigError, server_secret

    env = serve_runtime_env()
    os.environ.update(env)
    settings = Settings()
    try:
        server_secret(settings)  # NODE_ENV=production without WRITING_API_KEY_SECRET stops here, before anything starts
    except SecurityConfigError as exc:
        print(f"cannot start: {exc}", flush=True)
        return 1
    if settings.internal_host == "127.0.0.1":  # one node whose own ports (GCS, dashboard, metrics export) stay on loopback
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # read when Ray is imported, just below
    import ray
    problems = taken_ports(needed_ports(settings, dict(os.environ)))
    if problems:
        print("\n".join(problems), flush=True)
        return 1
    stop = threading.Event()
    embedded = None
    if not settings.mongodb_uri:
        from serve.store_cli import start_embedded

        embedded = start_embedded(settings)  # sets MONGODB_URI
        settings = Settings()
    names: list[str] = []
    started, stopping = Started(leave_out=(embedded.proc.pid,) if embedded is not None else ()), threading.Event()
    try:
        ray.init(configure_logging=False, log_to_driver=True, include_dashboard=settings.ray_dashboard)
        started.gcs = ray.get_runtime_context().gcs_address
        threading.Thread(target=watch, args=(started, stopping, embedded.stop if embedded else lambda: None), daemon=True).start()
        for signum in (signal.SIGTERM, signal.SIGINT):  # after ray.init, which installs its own
            signal.signal(signum, lambda *_: stop.set())
        if settings.redis_url:
            set_draining(settings, None, False)  # a drain cut short by a hard kill leaves it set in Redis
        names = deploy(config)
        print(f"serving on http://127.0.0.1:{settings.port}  (SIGTERM or Ctrl-C drains and stops)", flush=True)
        while not stop.wait(1.0):
            pass
    finally:
        stopping.set()
        stop_all(names, settings, started)
        if embedded is not None:
            embedded.stop()
    print("stopped", flush=True)
    return 0
