"""Bounded HTTP load: a few callers in threads, every answer kept with its time."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Answer:
    at: float  # time.monotonic() when the answer (or the failure) came
    status: int  # 0: no HTTP answer at all (connection refused, reset, timeout)
    engine: str | None


class Load:
    """`callers` threads POST distinct texts (no cache hits) to /v1/suggestions for `engine`
    until stopped."""

    def __init__(self, url: str, engine: str, callers: int, timeout_s: float = 30.0, max_requests: int = 20_000):
        self.url, self.engine, self.callers, self.timeout_s = url, engine, callers, timeout_s
        self.answers: list[Answer] = []
        self._numbers = itertools.count()
        self._max_requests = max_requests
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _call(self) -> None:
        with httpx.Client(timeout=self.timeout_s) as client:
            while not self._stop.is_set():
                n = next(self._numbers)
                if n >= self._max_requests:
                    return
                body = {"text": f"This are a exampel sentence number {n} for {self.engine}.", "engine": self.engine}
                try:
                    reply = client.post(f"{self.url}/v1/suggestions", json=body)
                    engine = reply.json().get("engine") if reply.status_code == 200 else None
                    self.answers.append(Answer(time.monotonic(), reply.status_code, engine))
                    if reply.status_code != 200:
                        time.sleep(0.1)  # a refusal comes fast: do not spin on it
                except (httpx.HTTPError, ValueError):
                    self.answers.append(Answer(time.monotonic(), 0, None))
                    time.sleep(0.1)

    def start(self) -> "Load":
        self._threads = [threading.Thread(target=self._call, daemon=True) for _ in range(self.callers)]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(self.timeout_s + 5)

    def between(self, start: float, end: float = float("inf")) -> list[Answer]:
        return [a for a in list(self.answers) if start <= a.at < end]


def failed(answers: list[Answer]) -> list[Answer]:
    return [a for a in answers if a.status != 200]
