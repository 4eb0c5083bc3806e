"""The rule engine's word tables load once, even when a thread pool's first requests all ask
for them at the same moment (a sync FastAPI route runs each request on its own thread)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from pipelines.rules.words import loaded_once


def test_concurrent_first_callers_share_one_load():
    calls: list[str] = []
    started = threading.Barrier(16)

    @loaded_once
    def table(language: str) -> list[str]:
        calls.append(language)
        time.sleep(0.05)  # a slow load: every other caller arrives while it runs
        return [language]

    def first_call(i: int) -> list[str]:
        started.wait()
        return table("en-GB" if i % 2 else "en-US")

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(first_call, range(16)))

    assert sorted(calls) == ["en-GB", "en-US"]  # one load per argument, not one per caller
    assert {id(r) for r in results if r == ["en-US"]} == {id(table("en-US"))}  # every caller got the same object

