"""`python -m serve bench --quick` runs end to end and writes its figures.

A smoke run with a tiny model: it proves the command, the load generator, the peer
app and the report work. It asserts no timings; docs/benchmarks.md has the figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_bench_writes_a_table_json_and_chart(tmp_path):
    sections = ["ceiling", "peer", "rules", "batching", "cache"]
    proc = subprocess.run(
        [sys.executable, "-m", "serve", "bench", "--quick", "--only", *sections, "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]

    results = json.loads((tmp_path / "results.json").read_text())
    rows = results["rows"]
    assert {row["section"] for row in rows} == {"peer", "batching", "cache"}
    assert all(row["ok"] > 0 and row["errors"] == 0 for row in rows), rows
    batched = next(r for r in rows if r["case"].startswith("graph, @serve.batch") and r["concurrency"] == 32)
    unbatched = next(r for r in rows if r["case"].startswith("graph, max_batch_size=1") and r["concurrency"] == 32)
    assert batched["mean_batch"] > 1 and unbatched["mean_batch"] == 1  # the switch really changed batching
    assert results["rules"]["check"]["words_per_s"] > 0 and results["ceiling"]["batch_16"]["items_per_s"] > 0
    assert {t["target"] for t in results["targets"] if t["met"] is None} == set()  # every target was measured

    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| target | want | measured | met |" in proc.stdout
