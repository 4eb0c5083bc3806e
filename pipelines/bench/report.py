"""The bench's report: the targets checked against the figures, a text table, a chart.

    python -m pipelines.bench.report docs/benchmarks/results.json docs/benchmarks/runs/*.json

sets the targets of several runs side by side, each recomputed from its results JSON.
"""

from __future__ import annotations

import statistics
from pathlib import Path

MOST = 32  # callers at which throughput targets are read


def find(results: dict, section: str, case: str, concurrency: int | None = None, backend: str | None = None) -> dict | None:
    for row in results.get("rows", []):
        if (row["section"], row["case"]) == (section, case) and concurrency in (None, row["concurrency"]) \
                and backend in (None, row.get("backend")):
            return row
    return None


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def _get(row: dict | None, key: str) -> float | None:
    return row[key] if row else None


def _target(target: str, want: str, measured: float | None, ok) -> dict:
    return {"target": target, "want": want, "measured": measured, "met": None if measured is None else bool(ok(measured))}


def _paired(results: dict, backend: str) -> list[dict]:
    """Per round of the graph section: the graph rows by callers, the queue peer and the ceiling
    timed beside them."""
    out = []
    for entry in results.get("rounds", {}).get(backend, []):
        n = entry["round"]
        rows = [r for r in results.get("rows", []) if r.get("round") == n and r.get("backend") == backend]
        out.append({"ceiling": entry["ceiling"], "graph": {r["concurrency"]: r for r in rows if r["section"] == "graph"},
                    "queue": next((r for r in rows if r["section"] == "paired"), None),
                    "alone": next((r for r in rows if r["section"] == "alone"), None)})
    return out


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


def _graph_rps(results: dict, backend: str) -> float | None:
    return _median([p["graph"].get(MOST, {}).get("rps") for p in _paired(results, backend)])


def targets(results: dict) -> list[dict]:
    """Each target with its measured value (None when its section did not run). Ratios against the
    queue peer and the ceiling are the median over rounds of each round's own ratio."""
    names = [b for b, _ in results.get("backends", [])]
    batch = results.get("t5_config", {}).get("max_batch_size")
    out = []
    if "transformers" in names and "ctranslate2" in names:
        out.append(_target(f"ctranslate2 graph / transformers graph, {MOST} callers", ">= 2x",
                           _ratio(_graph_rps(results, "ctranslate2"), _graph_rps(results, "transformers")), lambda v: v >= 2))
    for b in names:
        serial, pairs = find(results, "peer", "peer: serial", MOST, b), _paired(results, b)

        def per_round(fn) -> float | None:
            values = []
            for p in pairs:
                try:
                    values.append(fn(p))
                except (KeyError, TypeError, ZeroDivisionError):
                    pass
            return _median(values)

        out += [
            _target(f"[{b}] graph / serial peer, {MOST} callers", ">= 3x", _ratio(_graph_rps(results, b), _get(serial, "rps")),
                    lambda v: v >= 3),
            _target(f"[{b}] graph / queue peer, {MOST} callers", ">= 1.0x",
                    per_round(lambda p: p["graph"][MOST]["rps"] / p["queue"]["rps"]), lambda v: v >= 1.0),
            _target(f"[{b}] graph p99 / queue peer p99, {MOST} callers", "<= 1.0",
                    per_round(lambda p: p["graph"][MOST]["p99_ms"] / p["queue"]["p99_ms"]), lambda v: v <= 1.0),
            _target(f"[{b}] 1 caller: graph p50 - in-process batch-1 p50, taken in turn, ms", "<= 15",
                    per_round(lambda p: p["alone"]["gap_p50_ms"]), lambda v: v <= 15),
            _target(f"[{b}] serving efficiency: graph / in-process batch {batch}", ">= 0.8",
                    per_round(lambda p: p["graph"][MOST]["rps"] / p["ceiling"][f"batch_{batch}"]["items_per_s"]), lambda v: v >= 0.8),
        ]
    for cache in ("in-replica", "redis"):
        out.append(_target(f"cache hit p50 ({cache}), ms", "< 5", _get(find(results, "cache", f"{cache}: hit"), "p50_ms"),
                           lambda v: v < 5))
    rows = results.get("rows", [])
    out.append(_target("errors, all runs", "0", sum(r["errors"] for r in rows) if rows else None, lambda v: v == 0))
    return out


def tails(results: dict) -> list[dict]:
    """Where each backend's 32-caller p99 comes from, per the graph section's rounds: the graph's
    p99 after the callers' first burst against the queue peer's, and how many of the graph's and
    the queue peer's slowest 1 % were in that burst (readings, not targets)."""
    out = []
    for b in [b for b, _ in results.get("backends", [])]:
        pairs = [p for p in _paired(results, b) if MOST in p["graph"] and p["queue"]]
        after = [p["graph"][MOST].get("p99_after_first_burst_ms", 0) / p["queue"].get("p99_after_first_burst_ms", 0)
                 for p in pairs if p["queue"].get("p99_after_first_burst_ms")]
        slowest = [f"{p['graph'][MOST]['slowest_1pct_from_first_burst']} / {p['queue']['slowest_1pct_from_first_burst']}"
                   for p in pairs if "slowest_1pct_from_first_burst" in p["queue"]]
        out += [{"target": f"[{b}] graph p99 / queue peer p99 after the first burst, {MOST} callers (reading)", "want": "-",
                 "measured": _median(after), "met": None},
                {"target": f"[{b}] slowest 1 % in the first burst, graph / queue peer, each round (reading)", "want": "-",
                 "measured": ", ".join(slowest) or None, "met": None}]
    return out


def table(results: dict) -> str:
    head = f"| {'section':8} | {'case':24} | {'backend':12} | {'conc':>4} | {'ok':>4} | {'err':>3} | {'req/s':>8} | {'p50 ms':>8} | {'p99 ms':>8} |"
    lines = [head, "|" + "|".join("-" * len(cell) for cell in head.split("|")[1:-1]) + "|"]
    for r in results.get("rows", []):
        case = r["case"] + (f" (batch {r['mean_batch']})" if r.get("mean_batch") else "") + (f" r{r['round'] + 1}" if "round" in r else "")
        lines.append(f"| {r['section']:8} | {case:24} | {r.get('backend', ''):12} | {r['concurrency']:>4} | {r['ok']:>4} | "
                     f"{r['errors']:>3} | {r['rps']:>8.2f} | {r['p50_ms']:>8.1f} | {r['p99_ms']:>8.1f} |")
    for backend, sizes in results.get("ceiling", {}).items():
        for size, c in sizes.items():
            lines.append(f"| {'ceiling':8} | {'in-process ' + size.replace('_', ' '):24} | {backend:12} | {'':>4} | {c['calls']:>4} | "
                         f"{'':>3} | {c['items_per_s']:>8.2f} | {c['ms_per_call']:>8.1f} | {'':>8} |")
    for name, p in results.get("parity", {}).items():
        lines.append(f"\nparity: {name} ({p['compute_type']}) answers as transformers float32 on "
                     f"{p['identical_share']:.0%} of {p['prompts']} prompts")
    if rules := results.get("rules"):
        lines.append(f"\nrule engine on {rules['words']:,} words: check {rules['check']['words_per_s']:,} words/s, "
                     f"analyze {rules['analyze']['words_per_s']:,} words/s")
    if results.get("growth"):
        lines += ["", "| words | rules in-process ms | rules peak MiB | basic HTTP ms | analysis HTTP ms | t5 HTTP ms |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {g['words']:,} | {g['rules_in_process_ms']} | {g['rules_peak_mib']} | {g.get('basic_ms', '-')} | "
                  f"{g.get('analysis_ms', '-')} | {g.get('t5_ms', '-')} |" for g in results["growth"]]
    if loads := results.get("load_average"):
        lines.append(f"\nload average (5 min, {results.get('machine', {}).get('cores')} cores) after each section: "
                     + ", ".join(f"{name} {value}" for name, value in loads.items()))
    if results.get("targets"):
        lines += ["", "| target | want | measured | met |", "|---|---|---|---|"]
        for t in results["targets"]:
            met = {True: "yes", False: "NO", None: "not run"}[t["met"]]
            lines.append(f"| {t['target']} | {t['want']} | {t['measured'] if t['measured'] is not None else '-'} | {met} |")
    return "\n".join(lines)


def chart(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = results.get("rows", [])
    backends = [b for b, _ in results.get("backends", [])]
    fig, axes = plt.subplots(1, max(1, len(backends)), figsize=(6 * max(1, len(backends)), 4.5), squeeze=False)
    fig.suptitle(f"python -m serve bench  ({results.get('machine', {}).get('cpu', '')} x{results.get('machine', {}).get('cores', '')})",
                 fontsize=10)
    for ax, backend in zip(axes[0], backends):
        for case, style in (("graph", "o-"), ("peer: queue", "^--"), ("peer: serial", "s:"), ("peer: naive", "x:")):
            pts = sorted((r["concurrency"], r["rps"]) for r in rows if r["case"] == case and r.get("backend") == backend
                         and r["section"] != "paired" and r.get("round", 0) == 0)  # one point per callers
            if pts:
                ax.plot(*zip(*pts), style, label=case)
        batch = results.get("t5_config", {}).get("max_batch_size")
        ceiling = results.get("ceiling", {}).get(backend, {}).get(f"batch_{batch}")
        if ceiling:
            ax.axhline(ceiling["items_per_s"], color="grey", linestyle="-.", label=f"in-process batch {batch}")
        ax.set(title=f"T5 throughput, {backend}", xlabel="callers", ylabel="req/s", xscale="log")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def compare(paths: list[str]) -> str:
    """The targets of several runs side by side, each recomputed from its results JSON."""
    import json

    runs = [targets(r) + tails(r) for r in (json.loads(Path(p).read_text()) for p in paths)]
    names = list(dict.fromkeys(t["target"] for run in runs for t in run))
    label = lambda p: f"{Path(p).parent.name}/results.json" if Path(p).name == "results.json" else Path(p).name  # noqa: E731
    lines = ["| target | want | " + " | ".join(label(p) for p in paths) + " |", "|---|---|" + "---|" * len(paths)]
    for name in names:
        cells = [next((t for t in run if t["target"] == name), None) for run in runs]
        want = next(t["want"] for t in cells if t)
        shown = ["-" if not t or t["measured"] is None else f"{t['measured']}{' (no)' if t['met'] is False else ''}" for t in cells]
        lines.append(f"| {name} | {want} | " + " | ".join(shown) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    if len(sys.argv) < 2:
        raise SystemExit("usage: python -m pipelines.bench.report RESULTS.json [RESULTS.json ...]  (the targets of each run side by side)")
    print(compare(sys.argv[1:]))
