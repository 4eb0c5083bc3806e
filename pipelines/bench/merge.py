"""Merge several `python -m serve bench` results into one, for runs split by section.

    python -m pipelines.bench.merge OUT.json RUN1/results.json RUN2/results.json ...

Each row keeps the index of the run it came from (`run`), `runs` lists every run's command,
start and per-section load average, sections (ceiling, parity, ...) come from the run that
measured them, and the targets are recomputed over the merge. The table is printed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pipelines.bench.report import table, targets

SECTIONS = ("ceiling", "parity", "rules", "growth")


def merge(runs: list[dict]) -> dict:
    merged = {key: runs[0][key] for key in ("machine", "model", "quick", "serve_env", "t5_config", "backends") if key in runs[0]}
    merged["runs"], merged["rows"], merged["skipped"] = [], [], []
    for index, run in enumerate(runs):
        merged["runs"].append({"command": run["command"], "started": run["started"], "sections": list(run.get("section_seconds", {})),
                               "load_average": run.get("load_average", {})})
        merged["rows"] += [{**row, "run": index} for row in run.get("rows", [])]
        merged["skipped"] += run.get("skipped", [])
        for section in SECTIONS:
            if run.get(section):
                merged[section] = run[section]
    merged["targets"] = targets(merged)
    return merged


def main(argv: list[str]) -> int:
    out, *inputs = argv
    merged = merge([json.loads(Path(path).read_text()) for path in inputs])
    Path(out).write_text(json.dumps(merged, indent=2))
    print(table(merged) + f"\n\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
