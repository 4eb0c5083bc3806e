"""The bench's report: the targets checked against the figures, a text table, a chart."""

from __future__ import annotations

from pathlib import Path


def _find(results: dict, section: str, case_start: str, concurrency: int | None = None) -> dict | None:
    for row in results.get("rows", []):
        if row["section"] == section and row["case"].startswith(case_start) and concurrency in (None, row["concurrency"]):
            return row
    return None


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def targets(results: dict) -> list[dict]:
    """Each target with its measured value (None when that section did not run)."""
    settings = results.get("settings", {})
    c = 32
    batched = _find(results, "batching", "graph, @serve.batch", c)
    single = _find(results, "batching", "graph, max_batch_size=1", c)
    peer = _find(results, "peer", "FastAPI", c)
    ceiling = results.get("ceiling", {}).get(f"batch_{settings.get('max_batch_size')}")
    rps = lambda row: row["rps"] if row else None  # noqa: E731
    out = [
        {"target": f"batching gain at concurrency {c}", "want": ">= 4x",
         "measured": _ratio(rps(batched), rps(single)), "ok": lambda v: v >= 4},
        {"target": "serving efficiency (HTTP graph / in-process batched generate)", "want": ">= 0.8",
         "measured": _ratio(rps(batched), ceiling and ceiling["items_per_s"]), "ok": lambda v: v >= 0.8},
        {"target": f"throughput vs FastAPI+uvicorn peer at concurrency {c}", "want": ">= 3x",
         "measured": _ratio(rps(batched), rps(peer)), "ok": lambda v: v >= 3},
        {"target": f"p99 vs peer at concurrency {c}", "want": "lower",
         "measured": _ratio(batched and batched["p99_ms"], peer and peer["p99_ms"]), "ok": lambda v: v < 1},
    ]
    for backend in ("in-replica", "redis"):
        hit = _find(results, "cache", f"{backend}: hit")
        out.append({"target": f"cache hit p50 ({backend}), ms", "want": "< 5", "measured": hit and hit["p50_ms"],
                    "ok": lambda v: v < 5})
    rows = results.get("rows", [])
    out.append({"target": "errors, all runs", "want": "0", "measured": sum(r["errors"] for r in rows) if rows else None,
                "ok": lambda v: v == 0})
    for t in out:
        check = t.pop("ok")
        t["met"] = None if t["measured"] is None else bool(check(t["measured"]))
    return out


def table(results: dict) -> str:
    head = f"| {'section':9} | {'case':38} | {'conc':>4} | {'ok':>4} | {'err':>3} | {'req/s':>8} | {'p50 ms':>8} | {'p95 ms':>8} | {'p99 ms':>8} |"
    lines = [head, "|" + "|".join("-" * (len(cell)) for cell in head.split("|")[1:-1]) + "|"]
    for r in results.get("rows", []):
        case = r["case"] + (f" (mean batch {r['mean_batch']})" if r.get("mean_batch") else "")
        lines.append(f"| {r['section']:9} | {case:38} | {r['concurrency']:>4} | {r['ok']:>4} | {r['errors']:>3} | "
                     f"{r['rps']:>8.2f} | {r['p50_ms']:>8.1f} | {r['p95_ms']:>8.1f} | {r['p99_ms']:>8.1f} |")
    for size, c in results.get("ceiling", {}).items():
        lines.append(f"| {'ceiling':9} | {'in-process generate, ' + size.replace('_', ' '):38} | {'':>4} | {c['calls']:>4} | {'':>3} | "
                     f"{c['items_per_s']:>8.2f} | {c['ms_per_call']:>8.1f} | {'':>8} | {'':>8} |")
    rules = results.get("rules")
    if rules:
        lines.append("")
        lines.append(f"rule engine on {rules['words']:,} words: check {rules['check']['words_per_s']:,} words/s, "
                     f"analyze {rules['analyze']['words_per_s']:,} words/s")
    if results.get("growth"):
        lines += ["", "| words | rules in-process ms | rules peak MiB | basic HTTP ms | analysis HTTP ms | t5 HTTP ms |",
                  "|---|---|---|---|---|---|"]
        for g in results["growth"]:
            lines.append(f"| {g['words']:,} | {g['rules_in_process_ms']} | {g['rules_peak_mib']} | {g.get('basic_ms', '-')} | "
                         f"{g.get('analysis_ms', '-')} | {g.get('t5_ms', '-')} |")
    busiest = _find(results, "batching", "graph, @serve.batch", c := max((r["concurrency"] for r in results.get("rows", [])), default=0))
    if busiest and busiest.get("cpu_percent"):
        lines += ["", f"CPU during the batched run at concurrency {c} (% of one core): "
                  + ", ".join(f"{name} {pct}" for name, pct in busiest["cpu_percent"])]
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
    fig, axes = plt.subplots(2, 2, figsize=(12, 8.5))
    title = f"{results.get('machine', {}).get('cpu', '')} x{results.get('machine', {}).get('cores', '')}"
    fig.suptitle(f"python -m serve bench  ({title})", fontsize=10)

    ax = axes[0][0]
    for case, style in (("graph, @serve.batch", "o-"), ("graph, max_batch_size=1", "s--"), ("FastAPI", "^:")):
        pts = [(r["concurrency"], r["rps"]) for r in rows if r["case"].startswith(case) and r["section"] in ("batching", "peer")]
        if pts:
            ax.plot(*zip(*sorted(pts)), style, label=case)
    ceiling = results.get("ceiling", {}).get(f"batch_{results.get('settings', {}).get('max_batch_size')}")
    if ceiling:
        ax.axhline(ceiling["items_per_s"], color="grey", linestyle="-.", label="in-process batched generate")
    ax.set(title="T5 throughput", xlabel="concurrency", ylabel="req/s", xscale="log")
    ax.legend(fontsize=8)

    ax = axes[0][1]
    for case, style in (("graph, @serve.batch", "o-"), ("graph, max_batch_size=1", "s--"), ("FastAPI", "^:")):
        pts = [(r["concurrency"], r["p99_ms"]) for r in rows if r["case"].startswith(case) and r["section"] in ("batching", "peer")]
        if pts:
            ax.plot(*zip(*sorted(pts)), style, label=f"{case} p99")
    ax.set(title="T5 p99 latency", xlabel="concurrency", ylabel="ms", xscale="log", yscale="log")
    ax.legend(fontsize=8)

    ax = axes[1][0]
    cache = [r for r in rows if r["section"] == "cache"]
    if cache:
        ax.bar([r["case"].replace(": ", "\n") for r in cache], [r["p50_ms"] for r in cache], color="tab:blue")
        ax.axhline(5, color="red", linestyle=":", label="5 ms")
        ax.legend(fontsize=8)
    ax.set(title="cache through HTTP, p50", ylabel="ms")
    ax.tick_params(axis="x", labelsize=8)

    ax = axes[1][1]
    growth = results.get("growth", [])
    for key, style in (("basic_ms", "o-"), ("analysis_ms", "s-"), ("t5_ms", "^-"), ("rules_in_process_ms", "x:")):
        pts = [(g["words"], g[key]) for g in growth if g.get(key)]
        if pts:
            ax.plot(*zip(*pts), style, label=key.removesuffix("_ms"))
    ax.set(title="latency as text grows", xlabel="words", ylabel="ms", xscale="log", yscale="log")
    if growth:
        ax.legend(fontsize=8)

    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
