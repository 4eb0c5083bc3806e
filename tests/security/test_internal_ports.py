"""Only the HTTP port is public: HAProxy's stats page and Prometheus endpoint listen on
loopback (serve/haproxy_internal.sh), and still answer there."""

from __future__ import annotations

import os

import httpx
import psutil


def test_haproxy_stats_and_metrics_listen_on_loopback_only(secure_url):
    assert os.environ.get("RAY_SERVE_ENABLE_HA_PROXY") == "1", "the tests run Serve's HAProxy data path"
    stats, metrics = int(os.environ["RAY_SERVE_HAPROXY_STATS_PORT"]), int(os.environ["RAY_SERVE_HAPROXY_METRICS_PORT"])
    listening = [c for c in psutil.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN and c.laddr.port in (stats, metrics)]
    assert {c.laddr.port for c in listening} == {stats, metrics}
    assert {c.laddr.ip for c in listening} == {"127.0.0.1"}
    assert httpx.get(f"http://127.0.0.1:{stats}/stats", timeout=10).status_code == 200
    assert "haproxy_" in httpx.get(f"http://127.0.0.1:{metrics}/metrics", timeout=10).text
