"""Precision and recall of the rule engine on a hand-labelled set, or GLEU on JFLEG.

    python -m pipelines.evaluate_rules [PATH] [--language en] [-v]
    python -m pipelines.evaluate_rules --jfleg ../shared/data/jfleg-dev [-v]
    python -m pipelines.evaluate_rules --speed
    python -m pipelines.evaluate_rules --docstrings [-v]

`--docstrings` counts grammar matches (default level, en-US) on edited English nobody here
wrote: the prose paragraphs of the docstrings of Python's standard library as installed
(modules, and the classes and functions they export; paragraphs of 9 to 119 words that
start with a capital, end with a full stop and hold no code: no brackets, quotes of code,
colons, underscores, slashes or URLs). Spelling is left out: docstrings name identifiers.
The figure depends on the Python version (3.11 here).

`--speed` checks a 10,000-word document (the labelled set's texts, repeated) five times
and reports words per CPU second of the fastest run (CPU time, so machines shared with
other work still measure the engine, not the neighbours).

The labelled sets mix British and American spelling, so they are checked as plain `en`
unless `--language` says otherwise. `--jfleg DIR` runs `pipelines.jfleg` (see there).

PATH is a JSON-lines file (default ``tests/data/rules_labelled.jsonl``); lines starting
with ``#`` are comments; every other line is
``{"text": ..., "errors": [{"start", "end", "replacement", "category"}]}``. Only
grammar and spelling are labelled and scored (style hints are not errors).

Matching rule. A predicted edit is a true positive when
  1. its span overlaps the span of a labelled error not matched yet, and
  2. applying the predicted edit alone gives the same text as applying the labelled
     error alone, compared case-insensitively with whitespace runs collapsed
     (so "could of" -> "could have" and "of" -> "have" agree, as do "the the" -> "the"
     and " the" -> ""); a hint without a replacement only needs the overlap.
Every other prediction is a false positive (a wrong fix at the right place counts as
both a false positive and, for its label, a false negative); every unmatched label is
a false negative. Overall figures ignore categories; per-category precision groups
predictions by their category, per-category recall groups labels by theirs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from pipelines import jfleg
from pipelines.rules import LANGUAGES, check

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "tests" / "data" / "rules_labelled.jsonl"
SCORED = ("grammar", "spelling")


def _result(text: str, start: int, end: int, replacement: str) -> str:
    return " ".join((text[:start] + replacement + text[end:]).split()).casefold()


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 1.0


def _figures(tp_pred: int, n_pred: int, tp_label: int, n_label: int) -> dict:
    p, r = _ratio(tp_pred, n_pred), _ratio(tp_label, n_label)
    return {
        "predicted": n_pred,
        "labelled": n_label,
        "true_positives": tp_label,
        "false_positives": n_pred - tp_pred,
        "false_negatives": n_label - tp_label,
        "precision": p,
        "recall": r,
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
    }


def evaluate(path: str | Path = DEFAULT_PATH, language: str = "en") -> dict:
    """Score `check(text, tasks={"grammar", "spelling"}, language)` on a labelled JSON-lines file."""
    pred_cat: dict[str, list[int]] = {c: [0, 0] for c in SCORED}  # [true positives, predictions]
    label_cat: dict[str, list[int]] = {c: [0, 0] for c in SCORED}  # [matched, labels]
    false_pos: list[dict] = []
    false_neg: list[dict] = []
    lines = 0
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue  # blank lines and comments (a set's header)
        lines += 1
        item = json.loads(raw)
        text, labels = item["text"], item["errors"]
        matched = [False] * len(labels)
        for label in labels:
            label_cat.setdefault(label["category"], [0, 0])[1] += 1
        for edit in check(text, SCORED, language):
            s, e = edit.offset, edit.offset + edit.length
            hit = None
            for k, label in enumerate(labels):
                if matched[k] or not (s < label["end"] and label["start"] < e):
                    continue
                if edit.replacement is None or _result(text, s, e, edit.replacement) == _result(
                    text, label["start"], label["end"], label["replacement"]
                ):
                    hit = k
                    break
            counts = pred_cat.setdefault(edit.category, [0, 0])
            counts[1] += 1
            if hit is None:
                false_pos.append({"text": text, "original": edit.original, "replacement": edit.replacement, "rule": edit.rule, "offset": edit.offset})
            else:
                matched[hit] = True
                counts[0] += 1
                label_cat[labels[hit]["category"]][0] += 1
        for k, label in enumerate(labels):
            if not matched[k]:
                false_neg.append({"text": text, "original": text[label["start"] : label["end"]], "replacement": label["replacement"], "category": label["category"]})
    tp = sum(v[0] for v in pred_cat.values())
    n_pred = sum(v[1] for v in pred_cat.values())
    tp_l = sum(v[0] for v in label_cat.values())
    n_label = sum(v[1] for v in label_cat.values())
    return {
        "path": str(path),
        "texts": lines,
        "overall": _figures(tp, n_pred, tp_l, n_label),
        "per_category": {
            c: _figures(pred_cat.get(c, [0, 0])[0], pred_cat.get(c, [0, 0])[1], label_cat.get(c, [0, 0])[0], label_cat.get(c, [0, 0])[1])
            for c in sorted(set(pred_cat) | set(label_cat))
        },
        "false_positives": false_pos,
        "false_negatives": false_neg,
    }


def speed(words: int = 10_000, runs: int = 5) -> dict:
    """Words per CPU second of the rule engine (all tasks) on a `words`-word document."""
    texts = [json.loads(raw)["text"] for raw in DEFAULT_PATH.read_text(encoding="utf-8").splitlines() if raw.strip()]
    doc: list[str] = []
    while sum(len(t.split()) for t in doc) < words:
        doc.extend(texts)
    text = " ".join(" ".join(doc).split()[:words])
    check(text)  # warm the dictionary and the suggestion cache as a running service has them
    best = min(_cpu_seconds(text) for _ in range(runs))
    return {"words": len(text.split()), "seconds": round(best, 4), "words_per_second": round(len(text.split()) / best)}


def _cpu_seconds(text: str) -> float:
    start = time.process_time()
    check(text)
    return time.process_time() - start


def _print_labelled(report: dict, verbose: bool) -> None:
    def row(name: str, f: dict) -> str:
        return (
            f"{name:<10} precision {f['precision']:.3f}  recall {f['recall']:.3f}  f1 {f['f1']:.3f}  "
            f"(tp {f['true_positives']}, fp {f['false_positives']}, fn {f['false_negatives']})"
        )

    print(f"{report['texts']} texts from {report['path']}")
    print(row("overall", report["overall"]))
    for cat, figures in report["per_category"].items():
        print(row(cat, figures))
    if verbose:
        print("\nfalse positives:")
        for fp in report["false_positives"]:
            print(f"  [{fp['rule']}] {fp['original']!r} -> {fp['replacement']!r} in: {fp['text']}")
        print("\nfalse negatives:")
        for fn in report["false_negatives"]:
            print(f"  [{fn['category']}] {fn['original']!r} -> {fn['replacement']!r} in: {fn['text']}")


_CODE_MARKS = set("`_=()[]{}<>|*#@\\/:")
_NOT_IMPORTED = {"antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo", "test", "lib2to3", "ensurepip", "venv", "pydoc_data"}


def docstring_paragraphs() -> list[str]:
    """The standard library's docstring prose, as `--docstrings` reads it (sorted, no repeats)."""
    import contextlib
    import importlib
    import inspect
    import io
    import re

    texts = set()
    for name in sorted(sys.stdlib_module_names - _NOT_IMPORTED):
        if name.startswith("_"):
            continue
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                module = importlib.import_module(name)
        except Exception:  # a module this platform lacks
            continue
        for obj in [module] + [getattr(module, attr, None) for attr in sorted(dir(module)) if not attr.startswith("_")]:
            if not (inspect.ismodule(obj) or inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            for paragraph in (inspect.getdoc(obj) or "").split("\n\n"):
                text = " ".join(paragraph.split())
                if 8 < len(text.split()) < 120 and re.match(r"^[A-Z][a-z]", text) and text.endswith(".") \
                        and not (_CODE_MARKS & set(text)) and ".." not in text and "http" not in text:
                    texts.add(text)
    return sorted(texts)


def docstrings() -> dict:
    texts = docstring_paragraphs()
    flagged = [(text, [(text[e.offset:e.offset + e.length], e.replacement, e.rule) for e in edits])
               for text in texts if (edits := check(text, ("grammar",), "en-US"))]
    return {"paragraphs": len(texts), "flagged": flagged, "python": sys.version.split()[0]}


def _print_docstrings(report: dict, verbose: bool) -> None:
    n, flagged = report["paragraphs"], report["flagged"]
    print(f"Python {report['python']} standard-library docstrings: {n} prose paragraphs; {len(flagged)} get a grammar match "
          f"({100 * len(flagged) / max(1, n):.1f} %)")
    if verbose:
        for text, edits in flagged:
            print(f"  {edits} in: {text[:160]}")


def _print_jfleg(report: dict, verbose: bool) -> None:
    raw, source, engine = report["gleu_raw_source"], report["gleu_source"], report["gleu_engine"]
    print(f"{report['sentences']} sentences; GLEU over 500 random reference choices (mean +- sd)")
    print(f"source as published (PTB tokens)  {raw[0]:.2f} +- {raw[1]:.2f}")
    print(f"source, detokenised and back      {source[0]:.2f} +- {source[1]:.2f}")
    if report.get("gleu_spellchecked") is not None:
        checked = report["gleu_spellchecked"]
        print(f"spell checker (enchant) baseline  {checked[0]:.2f} +- {checked[1]:.2f}  ({checked[0] - source[0]:+.2f})")
    print(f"rule engine (en-US, default level) {engine[0]:.2f} +- {engine[1]:.2f}  ({engine[0] - source[0]:+.2f}; {report['changed']} sentences changed)")
    share = report["false_alarm_share"]
    print(f"false alarms on ref0: {len(report['false_alarms'])} of {report['sentences']} sentences ({100 * share:.1f} %)")
    print(f"  of which every change is one another reference made to the same sentence: {report['false_alarms_another_reference_made']}")
    print("most common remaining misses (source -> ref0 differences left as they were), by family:")
    for name, count in report["misses"]:
        before, after = report["miss_examples"][name]
        print(f"  {count:4d}  {name:<30} e.g. {before!r} -> {after!r}")
    if verbose:
        print("\nfalse alarms:")
        for text, edits in report["false_alarms"]:
            shown = [(original, replacement, rule) + (() if made else ("no other reference makes it",)) for original, replacement, rule, made in edits]
            print(f"  {shown} in: {text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.evaluate_rules", description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH), help="labelled JSON-lines file")
    parser.add_argument("--jfleg", metavar="DIR", help="score GLEU on the JFLEG set in DIR (dev.src, dev.ref0..3)")
    parser.add_argument("--speed", action="store_true", help="words per second on a 10,000-word document")
    parser.add_argument("--docstrings", action="store_true", help="grammar matches on the standard library's docstring prose")
    parser.add_argument("--language", default="en", choices=LANGUAGES, help="spelling variant for a labelled set")
    parser.add_argument("-v", "--verbose", action="store_true", help="list false positives and false negatives (or alarms)")
    args = parser.parse_args(argv)
    if args.speed:
        print(speed())
    elif args.jfleg:
        _print_jfleg(jfleg.evaluate(args.jfleg), args.verbose)
    elif args.docstrings:
        _print_docstrings(docstrings(), args.verbose)
    else:
        _print_labelled(evaluate(args.path, args.language), args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
