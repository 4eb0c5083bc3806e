"""A real Prometheus (Debian's `prometheus` package) on a free loopback port, run with the
project's cluster/prometheus/prometheus.yml and alerts.yml; only its discovery file and
intervals are rewritten, to this test session's Ray node(s) and to a few seconds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
import yaml

from serve.local import free_port, wait_until
from serve.metrics import metrics_targets

PROMETHEUS_DIR = Path(__file__).resolve().parents[2] / "cluster" / "prometheus"


class Prometheus:
    SCRAPE_S = 5  # Ray's export answers in well under a second, but not on a loaded 2-core machine

    def __init__(self, workdir: Path, targets: list[str]):
        binary = shutil.which("prometheus")
        assert binary, "prometheus is missing: apt-get install prometheus (make system-deps)"
        self.workdir, self.port = workdir, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        discovery = workdir / "prom_metrics_service_discovery.json"
        discovery.write_text(json.dumps([{"labels": {"job": "ray"}, "targets": targets}]))  # the shape Ray writes
        config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
        config["global"].update(scrape_interval=f"{self.SCRAPE_S}s", scrape_timeout=f"{self.SCRAPE_S}s", evaluation_interval="1s")
        haproxy_port = os.environ.get("RAY_SERVE_HAPROXY_METRICS_PORT")
        for job in list(config["scrape_configs"]):
            job["file_sd_configs"] = [{"files": [str(discovery)], "refresh_interval": "5s"}]
            for rule in job.get("relabel_configs", ()):
                if rule.get("target_label") == "__address__":
                    rule["replacement"] = f"${{1}}:{haproxy_port}"
            if job["job_name"] == "haproxy" and not haproxy_port:
                config["scrape_configs"].remove(job)
        (workdir / "prometheus.yml").write_text(yaml.safe_dump(config))
        shutil.copy(PROMETHEUS_DIR / "alerts.yml", workdir / "alerts.yml")
        self.log = (workdir / "prometheus.log").open("w")
        self.proc = subprocess.Popen(
            [binary, f"--config.file={workdir / 'prometheus.yml'}", f"--storage.tsdb.path={workdir / 'data'}",
             f"--web.listen-address=127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        wait_until(lambda: httpx.get(f"{self.url}/-/ready", timeout=2).status_code == 200, 30, "prometheus ready")

    def query(self, expr: str) -> list[dict]:
        answer = httpx.get(f"{self.url}/api/v1/query", params={"query": expr}, timeout=10).json()
        assert answer["status"] == "success", answer
        return answer["data"]["result"]

    def get(self, path: str) -> dict:
        return httpx.get(f"{self.url}/api/v1/{path}", timeout=10).json()["data"]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(15)
        self.log.close()


@pytest.fixture(scope="module")
def prometheus(serve_port, tmp_path_factory):
    server = Prometheus(tmp_path_factory.mktemp("prometheus"), metrics_targets())
    yield server
    server.stop()
