"""What the bench sends and how it records: texts, the plan of a run, result rows."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

SENTENCES = [
    "The report number {i} were sent to they manager yesterday.",
    "She dont know wich of the {i} options is better for the team.",
    "It was decided by the committee that {i} members would attend the meeting.",
    "Their going to finish the draft before the {i} deadline, weather or not it rains.",
    "Due to the fact that the {i} servers was slow, we could of missed the update.",
    "This is a clear sentence about item {i} with nothing wrong in it.",
]

_fresh = itertools.count(1_000_000)


def sentence(i: int) -> str:
    """A unique sentence per index (so no two requests share a cache key)."""
    return SENTENCES[i % len(SENTENCES)].format(i=f"#{i}")


def fresh(i: int) -> int:
    """An index never used before in this run: loads that must miss the cache use it."""
    return next(_fresh)


def document(words: int, salt: int = 0) -> str:
    """About `words` words of prose in paragraphs of five sentences, unique per salt."""
    out, count, i = [], 0, salt * 100_000
    while count < words:
        s = sentence(i)
        out.append(s + ("\n\n" if i % 5 == 4 else " "))
        count += len(s.split())
        i += 1
    return "".join(out).strip()


def t5_body(i: int) -> dict:
    """One sentence for T5's corrections (a cache miss every time)."""
    return {"text": sentence(fresh(i)), "engine": "t5", "tasks": ["grammar", "spelling"]}


@dataclass
class Plan:
    """One run: the model, each backend to measure, the shipped T5 knobs, and the results."""

    quick: bool
    model: str
    device: str
    threads: int
    backends: tuple[tuple[str, str], ...]  # (backend, compute_type)
    t5_config: dict  # serve_config.yaml's T5 user_config with the bench's overrides
    prompt: str  # the correction prompt template, as the deployment formats it
    concurrencies: tuple[int, ...] = (1, 8, 32)
    results: dict = field(default_factory=dict)

    @property
    def batch(self) -> int:
        return self.t5_config["max_batch_size"]

    @property
    def new_tokens(self) -> int:
        return self.t5_config["max_new_tokens"]

    @property
    def sizes(self) -> tuple[int, ...]:
        return (100, 1_000) if self.quick else (100, 1_000, 10_000)

    def requests(self, concurrency: int) -> int:
        return max(8, 2 * concurrency) if self.quick else max(48, 8 * concurrency)

    @property
    def rounds(self) -> int:
        """Rounds of graph, queue peer and ceiling side by side (see serve_sections.bench_graph)."""
        return 1 if self.quick else 3

    @property
    def alone_turns(self) -> int:
        """Timed one-caller turns per round: a sentence in-process, to T5, to the Router, through HTTP (serve_sections._alone)."""
        return 4 if self.quick else 40

    @property
    def time_limit_s(self) -> float:
        return 10.0 if self.quick else 40.0

    @property
    def cache_requests(self) -> int:
        return 20 if self.quick else 300

    def row(self, section: str, case: str, summary: dict, **extra) -> dict:
        row = {"section": section, "case": case, **summary, **extra}
        self.results.setdefault("rows", []).append(row)
        label = f"{case} [{extra['backend']}]" if "backend" in extra else case
        print(f"  {section:8} {label:42} c={summary['concurrency']:<3} n={summary['ok']:<4} err={summary['errors']:<3} "
              f"{summary['rps']:8.2f} req/s  p50 {summary['p50_ms']:8.1f} ms  p99 {summary['p99_ms']:8.1f} ms", flush=True)
        if summary["errors"]:
            print(f"    first error: {summary['first_error']}", flush=True)
        return row
