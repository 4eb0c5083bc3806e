"""The T5 batcher: no wait when idle, batches from what queues, limits by tokens, fair to short requests."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from deployments.t5 import Batcher
from pipelines.t5_model import GaveWay

RUN_S = 0.05  # one model call


class Model:
    """Stands in for generate: takes RUN_S per call, records each batch's prompts."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.batches: list[list[str]] = []
        self.fail_on = fail_on
        self.lock = threading.Lock()

    def __call__(self, batch: list[list[int]], call_id: int | None = None) -> list[str]:
        with self.lock:  # proves calls never overlap: a second one would block here
            prompts = ["".join(map(chr, ids)) for ids in batch]
            self.batches.append(prompts)
            time.sleep(RUN_S)
            if self.fail_on in prompts:
                raise RuntimeError("model failed")
            return [p.upper() for p in prompts]


def ids(text: str) -> list[int]:
    return [ord(c) for c in text]


def test_a_request_that_finds_the_model_idle_starts_at_once():
    model = Model()
    batcher = Batcher(model, max_items=16, max_tokens=10_000)

    async def one() -> float:
        await batcher.generate([ids("warm")])  # the first call in a process also makes its metric instruments
        started = time.perf_counter()
        assert await batcher.generate([ids("abc")]) == ["ABC"]
        return time.perf_counter() - started

    assert asyncio.run(one()) < RUN_S + 0.015


def test_requests_that_arrive_while_the_model_runs_form_the_next_batch():
    model = Model()
    batcher = Batcher(model, max_items=4, max_tokens=10_000)

    async def many():
        first = asyncio.create_task(batcher.generate([ids("a0")]))
        await asyncio.sleep(RUN_S / 5)  # the first batch is running
        rest = [asyncio.create_task(batcher.generate([ids(f"b{i}")])) for i in range(6)]
        return await first, await asyncio.gather(*rest)

    first, rest = asyncio.run(many())
    assert first == ["A0"] and rest == [[f"B{i}"] for i in range(6)]
    assert [len(b) for b in model.batches] == [1, 4, 2]
    assert (batcher.batches, batcher.items, batcher.largest) == (3, 7, 4)


def test_a_batch_is_bounded_by_padded_tokens_not_only_by_count():
    model = Model()
    batcher = Batcher(model, max_items=16, max_tokens=30)

    async def many():
        return await asyncio.gather(*(batcher.generate([ids("x" * 10)]) for _ in range(7)))

    asyncio.run(many())
    assert [len(b) for b in model.batches] == [3, 3, 1]  # 3 x 10 tokens fit, 4 do not


def test_a_long_document_shares_the_model_with_a_short_request():
    model = Model()
    batcher = Batcher(model, max_items=4, max_tokens=10_000)

    async def both():
        document = asyncio.create_task(batcher.generate([ids(f"d{i}") for i in range(20)]))
        await asyncio.sleep(RUN_S / 5)  # the document's first batch is running
        short = asyncio.create_task(batcher.generate([ids("short")]))
        return await document, await short, len(model.batches)

    document, short, _ = asyncio.run(both())
    assert document == [f"D{i}" for i in range(20)] and short == ["SHORT"]
    assert "short" in model.batches[1]  # the very next batch, not after the document's 20 sentences


def test_a_failed_batch_fails_its_callers_and_the_next_batch_runs():
    model = Model(fail_on="bad")
    batcher = Batcher(model, max_items=16, max_tokens=10_000)

    async def run():
        with pytest.raises(RuntimeError, match="model failed"):
            await batcher.generate([ids("bad"), ids("ok")])
        return await batcher.generate([ids("fine")])

    assert asyncio.run(run()) == ["FINE"]


def test_a_caller_that_went_away_costs_no_model_time():
    model = Model()
    batcher = Batcher(model, max_items=16, max_tokens=10_000)

    async def run():
        first = asyncio.create_task(batcher.generate([ids("a")]))
        await asyncio.sleep(RUN_S / 5)
        gone = asyncio.create_task(batcher.generate([ids("gone")]))
        await asyncio.sleep(0)
        gone.cancel()
        kept = asyncio.create_task(batcher.generate([ids("kept")]))
        return await first, await kept

    assert asyncio.run(run()) == (["A"], ["KEPT"])
    assert all("gone" not in b for b in model.batches)


class SteppingModel(Model):
    """Takes RUN_S per call in ten steps; a call with an id stops in its first five once
    `give_way` named it, as the real backends do (tests/deployments/test_t5_model.py)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: int | None = None
        self.gave_way = 0

    def give_way(self, call_id: int) -> None:
        self.asked = call_id

    def __call__(self, batch: list[list[int]], call_id: int | None = None) -> list[str]:
        with self.lock:
            prompts = ["".join(map(chr, ids)) for ids in batch]
            self.batches.append(prompts)
            for step in range(10):
                if call_id is not None and step < 5 and self.asked == call_id:
                    self.gave_way += 1
                    raise GaveWay()
                time.sleep(RUN_S / 10)
            return [p.upper() for p in prompts]


def test_a_lone_start_gives_way_to_a_full_batch_that_forms_in_its_first_half():
    model = SteppingModel()
    batcher = Batcher(model, max_items=4, max_tokens=10_000, give_way=model.give_way)

    async def burst():
        first = asyncio.create_task(batcher.generate([ids("a0")]))
        await asyncio.sleep(RUN_S / 5)  # the lone call is running, a fifth of the way
        started = time.perf_counter()
        rest = await asyncio.gather(*(batcher.generate([ids(f"b{i}")]) for i in range(3)))
        return await first, rest, time.perf_counter() - started

    first, rest, waited = asyncio.run(burst())
    assert first == ["A0"] and rest == [["B0"], ["B1"], ["B2"]]
    assert model.batches == [["a0"], ["a0", "b0", "b1", "b2"]]  # the stopped prompt goes first
    assert (model.gave_way, batcher.given_way) == (1, 1)
    assert waited < 1.9 * RUN_S  # not the rest of the lone call and then a batch of their own


def test_no_give_way_for_a_batch_that_found_the_model_busy_nor_past_its_first_half_nor_short_of_a_full_one():
    def run(lone_for: float, arrivals: int) -> SteppingModel:
        model = SteppingModel()
        batcher = Batcher(model, max_items=4, max_tokens=10_000, give_way=model.give_way)

        async def burst():
            first = asyncio.create_task(batcher.generate([ids("a0")]))
            await asyncio.sleep(lone_for)
            rest = [asyncio.create_task(batcher.generate([ids(f"b{i}")])) for i in range(arrivals)]
            assert await first == ["A0"]
            await asyncio.gather(*rest)

        asyncio.run(burst())
        return model

    short_of_full = run(RUN_S / 5, 2)
    assert short_of_full.gave_way == 0 and [len(b) for b in short_of_full.batches] == [1, 2]
    past_half = run(RUN_S * 0.7, 3)  # asked in the seventh of ten steps: the call finishes
    assert past_half.gave_way == 0 and [len(b) for b in past_half.batches] == [1, 3]
    busy = run(RUN_S / 5, 7)  # 1 + 7: the batch after the give-way found the model busy, so the last 4 wait for it
    assert busy.gave_way == 1 and [len(b) for b in busy.batches] == [1, 4, 4]
