"""A bounded load loop through the live HTTP endpoint, and the per-fault report.

Callers run in threads, each sending the next request of a cycle until `stop()` or
`limit` requests; every answer is recorded with its time, so a test can say what
happened during the fault and how long recovery took. Each report line is printed and
appended to var/resilience/faults.jsonl (`pytest tests/resilience -s` re-makes them).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPORT = Path(__file__).resolve().parents[2] / "var" / "resilience" / "faults.jsonl"
WRITING = ("/v1/suggestions", "/v1/rewrite", "/v1/analysis", "/v1/documents")


@dataclass
class Answer:
    at: float
    method: str
    path: str
    status: int | str  # an HTTP status, or the name of the transport error
    seconds: float
    retry_after: str | None
    body: dict | None


@dataclass
class Load:
    base: str
    cycle: list[tuple[str, str, dict]]  # (method, path, body); a body's "{n}" in text is the request number
    callers: int = 2
    limit: int = 400
    answers: list[Answer] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._numbers = itertools.count()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(self.callers)]

    def start(self) -> "Load":
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> "Load":
        self._stop.set()
        for thread in self._threads:
            thread.join(60)
        return self

    def _run(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self._stop.is_set():
                n = next(self._numbers)
                if n >= self.limit:
                    return
                method, path, body = self.cycle[n % len(self.cycle)]
                body = {k: v.replace("{n}", str(n)) if isinstance(v, str) else v for k, v in body.items()}
                started = time.monotonic()
                try:
                    response = client.request(method, self.base + path, json=body if method != "GET" else None)
                    status, retry_after = response.status_code, response.headers.get("retry-after")
                    payload = response.json() if "json" in response.headers.get("content-type", "") else None
                except httpx.HTTPError as exc:
                    status, retry_after, payload = type(exc).__name__, None, None
                    time.sleep(0.1)
                self.answers.append(Answer(started, method, path, status, time.monotonic() - started, retry_after, payload))

    def between(self, start: float, end: float) -> list[Answer]:
        return [a for a in self.answers if start <= a.at < end]

    def server_errors(self, allowed_503: tuple[str, ...] = ()) -> list[Answer]:
        """5xx (or a dropped connection) on the writing endpoints, except 503 with Retry-After where allowed."""
        bad = []
        for a in self.answers:
            if not a.path.startswith(WRITING):
                continue
            allowed = a.status == 503 and a.retry_after and a.path.startswith(allowed_503)
            if (isinstance(a.status, str) or a.status >= 500) and not allowed:
                bad.append(a)
        return bad


def p99(answers: list[Answer]) -> float | None:
    seconds = sorted(a.seconds for a in answers)
    return round(seconds[min(len(seconds) - 1, int(len(seconds) * 0.99))], 3) if seconds else None


def report(fault: str, load: Load, fault_start: float, fault_end: float, recovered_s: float) -> dict:
    line = {
        "fault": fault,
        "requests": len(load.answers),
        "statuses": dict(Counter(str(a.status) for a in load.answers)),
        "during_fault": len(load.between(fault_start, fault_end)),
        "p99_during_fault_s": p99(load.between(fault_start, fault_end)),
        "recovered_s": round(recovered_s, 2),
    }
    print(f"\nFAULT {json.dumps(line)}")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    with REPORT.open("a") as out:
        out.write(json.dumps({**line, "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}) + "\n")
    return line


def seconds_until(check, timeout_s: float = 60.0, what: str = "recovery") -> float:
    """How long until `check()` is true (polled every 0.2 s); fails past `timeout_s`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        try:
            if check():
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"no {what} within {timeout_s} s")
