"""schemathesis with every check against the live /openapi.json, with an admin key: every
operation, positive and negative cases, stateful links; bounded, and seeded so a failure
replays. It must find nothing at all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CONFIG = Path(__file__).with_name("schemathesis.toml")
EXAMPLES = 10  # per operation and phase: a few hundred cases in all


def test_schemathesis_with_all_checks_finds_no_failures(secure_url, admin_key, tmp_path):
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(CONFIG), "run", f"{secure_url}/openapi.json",
        "--url", secure_url, "--checks", "all", "--header", f"Authorization: Bearer {admin_key}",
        "--max-examples", str(EXAMPLES), "--seed", "1", "--request-timeout", "30", "--no-color",
        "--report", "junit", "--report-dir", str(tmp_path),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path)  # its cache stays out of the tree
    summary = run.stdout[-6000:]
    assert run.returncode == 0, summary
    cases = next(line for line in run.stdout.splitlines() if "generated" in line)
    assert int(cases.split()[0]) >= 200, cases  # "N generated, ..."
    print(cases)  # `pytest -s` shows how many cases ran
    assert "failures" not in summary.splitlines()[-1], summary
