"""The alert rules and the Prometheus config, checked and unit-tested by promtool
(Debian's `prometheus` package; `make system-deps` installs it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PROMETHEUS_DIR = Path(__file__).resolve().parents[2] / "cluster" / "prometheus"


@pytest.fixture(scope="module")
def promtool() -> str:
    path = shutil.which("promtool")
    assert path, "promtool is missing: apt-get install prometheus (make system-deps)"
    return path


def run(promtool: str, *args: str) -> str:
    done = subprocess.run([promtool, *args], cwd=PROMETHEUS_DIR, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_the_rules_and_the_config_are_valid(promtool):
    assert "SUCCESS: 5 rules found" in run(promtool, "check", "rules", "alerts.yml")
    run(promtool, "check", "config", "prometheus.yml")


def test_every_alert_fires_and_stays_quiet_when_it_should(promtool):
    run(promtool, "test", "rules", "alerts_test.yml")


def test_every_alert_has_a_unit_test_that_fires_it():
    import yaml

    rules = yaml.safe_load((PROMETHEUS_DIR / "alerts.yml").read_text())
    tests = yaml.safe_load((PROMETHEUS_DIR / "alerts_test.yml").read_text())
    alerts = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    fired = {case["alertname"] for test in tests["tests"] for case in test["alert_rule_test"] if case["exp_alerts"]}
    quiet = {case["alertname"] for test in tests["tests"] for case in test["alert_rule_test"] if not case["exp_alerts"]}
    assert alerts == fired == quiet
    assert {"HighResponseTime", "HighErrorRate", "LowCacheHitRate", "NoHealthyReplicas"} <= alerts
