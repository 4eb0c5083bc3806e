"""`python -m serve run` as an operator runs it: a taken port is named in one line at start;
SIGTERM under load answers what is in flight, refuses new work with 503 + Retry-After,
stops every process the command started and exits 0."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from fault_load import Load, report, seconds_until
from serve.local import serve_runtime_env
from serve.run import taken_ports
from support.services import free_port

ROOT = Path(__file__).resolve().parents[2]


def command_env(port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env.update(
        PORT=str(port),
        RAY_SERVE_HAPROXY_STATS_PORT=str(free_port()),
        RAY_SERVE_HAPROXY_METRICS_PORT=str(free_port()),
        T5_MODEL_PATH=str(ROOT / "var" / "no-model-here"),
        WRITING_RATE_LIMIT_MAX="1000000",
        WRITING_RAY_DASHBOARD="false",  # a lighter start on a busy test machine,
        RAY_agent_register_timeout_ms="120000",  # where Ray's agents and Serve's proxy can take long to come up
        RAY_SERVE_PROXY_READY_CHECK_TIMEOUT_S="60",
        RAY_SERVE_PROXY_HEALTH_CHECK_TIMEOUT_S="30",
    )
    return env | extra


def test_a_taken_port_is_named_in_one_line_at_start():
    port = free_port()
    with socket.socket() as holder:
        holder.bind(("0.0.0.0", port))
        holder.listen()
        result = subprocess.run(
            [sys.executable, "-m", "serve", "run"], cwd=ROOT, env=command_env(port), capture_output=True, text=True, timeout=120
        )
    assert result.returncode == 1
    (line,) = result.stdout.strip().splitlines()
    assert f"port {port}" in line and f"pid {os.getpid()}" in line and f"kill {os.getpid()}" in line


def test_a_taken_haproxy_port_set_in_the_environment_is_the_one_checked():
    if serve_runtime_env().get("RAY_SERVE_ENABLE_HA_PROXY") != "1":
        pytest.skip("HAProxy does not front Serve on this machine")
    port, stats = free_port(), free_port()
    with socket.socket() as holder:
        holder.bind(("0.0.0.0", stats))
        holder.listen()
        result = subprocess.run([sys.executable, "-m", "serve", "run"], cwd=ROOT,
                                env=command_env(port, RAY_SERVE_HAPROXY_STATS_PORT=str(stats)), capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    (line,) = result.stdout.strip().splitlines()
    assert f"port {stats} (RAY_SERVE_HAPROXY_STATS_PORT)" in line


def test_sigterm_under_load_drains_and_stops_everything(mongodb_uri, tmp_path):
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    command = subprocess.Popen(
        [sys.executable, "-m", "serve", "run"], cwd=ROOT, env=command_env(port, MONGODB_URI=mongodb_uri), stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        def started_up() -> bool:
            assert command.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            ready = httpx.get(f"{url}/readyz", timeout=5)  # HAProxy answers its own 503 page while Serve starts
            return ready.status_code == 200 and ready.json()["auto"] == "basic"

        seconds_until(started_up, 300, "the service to start")
        started = psutil.Process(command.pid).children(recursive=True)
        work = [("POST", "/v1/suggestions", {"text": "Their going to the libary {n}."}),
                ("POST", "/v1/analysis", {"text": "The report was written by the team {n}."})]
        load = Load(url, work, callers=4, limit=100_000).start()
        time.sleep(2.0)
        term = time.monotonic()
        command.send_signal(signal.SIGTERM)
        assert command.wait(180) == 0
        stopped = time.monotonic()
        load.stop()
    finally:
        if command.poll() is None:
            command.kill()
    before = [a for a in load.answers if a.at < term]
    during = load.between(term, stopped)
    assert before and all(a.status == 200 for a in before)  # what was in flight when the signal came was answered
    refused = [a for a in during if a.status == 503]
    assert refused and all(int(a.retry_after) > 0 for a in refused)
    assert all(a.status in (200, 503, "ConnectError", "RemoteProtocolError", "ReadError") for a in during)  # never a 404
    dropped = [a for a in load.answers if a.status in ("RemoteProtocolError", "ReadError")]  # a connection closed as the listener went
    assert all(a.at >= refused[0].at for a in dropped) and len(dropped) <= load.callers  # never one the service had still to answer
    closed = min((a.at for a in during if a.status == "ConnectError"), default=stopped)
    assert all(a.status != 200 for a in during if a.at >= closed)
    left = [p for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert left == [], [p.name() for p in left]
    seconds_until(lambda: not taken_ports({"PORT": port}), 15, "the port free for the next start")
    report("SIGTERM to the serve command", load, term, stopped, stopped - term)


def test_sigterm_to_the_whole_process_group_still_leaves_nothing_behind(mongodb_uri, tmp_path):
    """`timeout`, `kill -TERM -PGID` and systemd's default KillMode signal Ray's own processes too:
    nothing can drain then, but the command still exits and HAProxy does not keep the port."""
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    command = subprocess.Popen([sys.executable, "-m", "serve", "run"], cwd=ROOT, env=command_env(port, MONGODB_URI=mongodb_uri),
                               stdout=log, stderr=log, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        def started_up() -> bool:
            assert command.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            return httpx.get(f"{url}/readyz", timeout=5).status_code == 200

        seconds_until(started_up, 300, "the service to start")  # maybe before the command says it serves: start-up counts too
        time.sleep(2.0)  # the command has looked at what it started (HAProxy included) at least once
        started = psutil.Process(command.pid).children(recursive=True)
        assert any(p.name() == "haproxy" for p in started)
        os.killpg(command.pid, signal.SIGTERM)
        command.wait(120)
    finally:
        if command.poll() is None:
            command.kill()
    assert "no drain" in (tmp_path / "serve.log").read_text()
    seconds_until(lambda: not [p for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE], 30, "every process gone")
    seconds_until(lambda: not taken_ports({"PORT": port}), 15, "the port free for the next start")

