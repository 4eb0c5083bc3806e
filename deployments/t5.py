"""T5: a T5 checkpoint on transformers or CTranslate2, batched without a wait.

Long texts are split into sentences; each sentence is one batch item, so one
document and many concurrent callers share the model. Every knob (backend, compute
type, device, batch limits, generation length) is the `user_config` of the T5
deployment in serve_config.yaml; changing it there reloads or resizes in place.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pipelines.align import align
from pipelines.models import metadata
from pipelines.t5_model import Backend, ComputeType, Device, GaveWay, T5Model, load
from pipelines.t5_process import ModelProcess
from pipelines.text import sentence_spans
from pipelines.vocabulary import CORRECTION_TASKS, Engine, Style, Task
from serve.errors import EngineUnavailable
from serve import metrics
from serve.logging import get_logger
from serve.settings import Settings

RANDOM_REASON = "its weights are random (built by `python -m serve models tiny`): `auto` skips it; ask for engine t5 to use it"


class T5Options(BaseModel):
    """The T5 deployment's user_config (serve_config.yaml has every field)."""

    model_config = ConfigDict(extra="forbid")

    backend: Backend
    compute_type: ComputeType  # float16 / int8_float16 need CUDA; `auto` picks the fastest the device has
    device: Device
    threads: int = Field(ge=0)  # CPU threads for the model; 0 keeps the backend's default
    # The model in a process of its own beside the replica (pipelines/t5_process.py), so it
    # shares no GIL with Serve's event loop; `auto`: for transformers, whose generate needs
    # the GIL between tensor operations, not for CTranslate2, which releases it.
    own_process: bool | Literal["auto"]
    max_batch_size: int = Field(ge=1)
    max_batch_tokens: int = Field(ge=1)  # batch size x longest prompt, in input tokens
    max_new_tokens: int = Field(ge=1)
    min_new_tokens: int = Field(ge=0)  # above 0 only to fix the work per request (benchmarks)
    # The replica's (and the model process's) scheduling niceness; null keeps the one Ray
    # started the worker with (15, Ray's `worker_niceness`). Lower gives the model a core
    # before the rest of the node's Ray workers; it needs root or CAP_SYS_NICE (without, the
    # replica logs a warning and keeps its own), and raising it cannot be undone without them.
    niceness: int | None = Field(ge=-20, le=19)

    def loads_same_model(self, other: T5Options | None) -> bool:
        fields = ("backend", "compute_type", "device", "threads", "own_process")
        return other is not None and all(getattr(self, f) == getattr(other, f) for f in fields)


class Batcher:
    """One model call at a time on a worker thread, each batch made of what is waiting.

    A prompt that finds the model idle starts at once; prompts that arrive while a
    batch runs make up the next one, up to `max_items` prompts and `max_tokens` padded
    input tokens (prompts x the longest). Each caller's prompts form a group and a
    batch takes from the groups in turn, so one long document's sentences share the
    model with short requests instead of all going first.

    The worker thread takes each next batch itself as soon as the model is free, and hands
    results back to the event loop: the model never waits for a busy event loop (the
    replica's loop also runs Serve's work for every request) to start its next batch. An idle
    worker is woken once the event loop has queued everything that arrived in the same turn,
    so a burst that finds the model idle goes in one batch as far as it has arrived.

    A burst that reaches the model one request at a time (each through the graph's hops)
    would still start with its first request alone and keep the rest waiting for that call.
    So a small batch (up to a quarter of `max_items`) that found the model idle may give way:
    once enough prompts wait to fill a batch with it, `give_way(call_id)` asks the model to stop
    that call, which it does only in the first half of its tokens, and its prompts go first in
    the full batch. `run(batch, call_id)` (None for a call that may not give way) raises GaveWay
    when it stopped.
    """

    def __init__(self, run: Callable[[list[list[int]], int | None], list[str]], max_items: int, max_tokens: int,
                 give_way: Callable[[int], None] | None = None):
        self.run, self.max_items, self.max_tokens, self.give_way = run, max_items, max_tokens, give_way
        self.batches = self.items = self.largest = self.given_way = 0
        self.busy_s = 0.0  # seconds the model spent on batches: busy_s over wall time is its utilisation
        self.sizes: deque[int] = deque(maxlen=256)  # the latest batches' sizes
        self._groups: deque[deque[tuple[list[int], asyncio.Future]]] = deque()
        self._ready = threading.Condition()
        self._idle = True  # the worker waits to be woken (by `_wake`, on the event loop)
        self._wake_pending = False  # a `_wake` is scheduled
        self._yielding: tuple[int, int] | None = None  # the call in flight while it may give way: id, size
        self._worker = threading.Thread(target=self._work, name="t5-batches", daemon=True)
        self._worker.start()

    async def generate(self, prompts: list[list[int]]) -> list[str]:
        if not prompts:
            return []
        loop = asyncio.get_running_loop()
        group = deque((ids, loop.create_future()) for ids in prompts)
        futures = [future for _, future in group]
        with self._ready:
            self._groups.append(group)
            wake = self._idle and not self._wake_pending
            self._wake_pending = self._wake_pending or wake
            if self._yielding and self._yielding[1] + sum(len(g) for g in self._groups) >= self.max_items:
                self.give_way(self._yielding[0])
                self._yielding = None
        if wake:  # after this loop turn: whatever else arrives in it joins the same batch
            loop.call_soon(self._wake)
        return list(await asyncio.gather(*futures))

    def _wake(self) -> None:
        with self._ready:
            self._idle = self._wake_pending = False
            self._ready.notify()

    def _work(self) -> None:
        while True:
            with self._ready:
                self._yielding = None
                idle = not self._groups
                if idle:  # nothing waits: idle until the event loop wakes it
                    self._idle = True
                    while self._idle:
                        self._ready.wait()
                batch = self._take()
                if not batch:
                    continue
                waiting = sum(len(group) for group in self._groups)
                self.batches += 1  # this call's id
                may_give_way = (self.give_way is not None and idle and len(batch) <= self.max_items // 4
                                and len(batch) + waiting < self.max_items)
                self._yielding = (self.batches, len(batch)) if may_give_way else None
            self.items, self.largest = self.items + len(batch), max(self.largest, len(batch))
            self.sizes.append(len(batch))
            metrics.t5_batch(len(batch), waiting)
            started = time.perf_counter()
            try:  # the model releases the GIL: the event loop keeps taking requests meanwhile
                outputs = self.run([ids for ids, _ in batch], self.batches if may_give_way else None)
            except GaveWay:
                self.busy_s += time.perf_counter() - started
                with self._ready:
                    self.given_way += 1
                    self._groups.appendleft(deque(batch))  # first in the next batch
                continue
            except Exception as exc:
                outputs = [exc] * len(batch)
            self.busy_s += time.perf_counter() - started
            for (_, future), output in zip(batch, outputs):
                try:
                    future.get_loop().call_soon_threadsafe(_settle, future, output)
                except RuntimeError:
                    pass  # that caller's event loop has closed: nobody waits for the answer

    def _take(self) -> list[tuple[list[int], asyncio.Future]]:
        batch, longest = [], 0
        while self._groups and len(batch) < self.max_items:
            ids, future = self._groups[0][0]
            if batch and max(longest, len(ids)) * (len(batch) + 1) > self.max_tokens:
                break
            group = self._groups.popleft()
            group.popleft()
            if group:
                self._groups.append(group)  # its next prompt waits for the other groups' turn
            if not future.cancelled():  # a caller that went away costs nothing
                batch.append((ids, future))
                longest = max(longest, len(ids))
        return batch


def _settle(future: asyncio.Future, output) -> None:
    if not future.done():
        future.set_exception(output) if isinstance(output, Exception) else future.set_result(output)


def renice(pid: int, niceness: int) -> None:
    """Every thread of `pid` at `niceness` (Linux keeps one per thread; threads started later
    inherit their starter's). PermissionError where lowering it needs a privilege the process lacks."""
    tasks = os.listdir(f"/proc/{pid}/task") if os.path.isdir(f"/proc/{pid}/task") else [pid]
    for tid in tasks:
        try:
            os.setpriority(os.PRIO_PROCESS, int(tid), niceness)
        except ProcessLookupError:  # a thread that ended meanwhile
            pass


class T5:
    def __init__(self, settings: Settings):
        self._settings = settings
        self._log = get_logger(settings)
        self._started_niceness = os.getpriority(os.PRIO_PROCESS, 0)
        self.options: T5Options | None = None
        self.model: T5Model | None = None
        self.load_error: str | None = "no user_config: serve_config.yaml's T5 deployment sets it"
        self._batcher: Batcher | None = None

    def reconfigure(self, user_config: dict) -> None:
        """Apply serve_config.yaml's user_config: batch limits at once, the model reloaded
        only when backend, compute type, device, threads or own_process change."""
        options = T5Options.model_validate(user_config)
        if options.niceness != (self.options.niceness if self.options else None):
            self._renice(self._started_niceness if options.niceness is None else options.niceness)
        if not options.loads_same_model(self.options):
            self.close()
            self.model, self._batcher = self._load(options), None
        self.options = options
        if self.model is not None:
            self._batcher = self._batcher or Batcher(self._run, options.max_batch_size, options.max_batch_tokens, self.model.give_way)
            self._batcher.max_items, self._batcher.max_tokens = options.max_batch_size, options.max_batch_tokens

    def _renice(self, niceness: int) -> None:
        """The replica's threads and the model's process at `niceness`; a model loaded later inherits it."""
        try:
            for pid in {os.getpid(), getattr(self.model, "pid", None)} - {None}:
                renice(pid, niceness)
        except PermissionError:
            self._log.warning("T5 keeps niceness %d: niceness %d needs root or CAP_SYS_NICE",
                              os.getpriority(os.PRIO_PROCESS, 0), niceness)

    def _load(self, options: T5Options) -> T5Model | None:
        path = self._settings.t5_model_path
        if not self._settings.t5_model_available:
            self.load_error = f"no model at {path}"
            return None
        try:
            own = options.own_process if options.own_process != "auto" else options.backend == "transformers"
            model = (ModelProcess if own else load)(path, options.backend, options.device, options.compute_type, options.threads)
        except Exception as exc:  # a broken checkpoint leaves the other engines serving
            self.load_error = f"{type(exc).__name__}: {exc}"
            self._log.error("T5 model at %s failed to load: %s", path, self.load_error)
            return None
        self.load_error = None
        where = f"process {model.pid}" if own else "the replica"
        self._log.info("T5 %s on %s (%s) from %s, in %s", model.backend, model.device, model.compute_type, path, where)
        return model

    def close(self) -> None:
        """Stop the model's own process, if it has one (Serve calls `__del__` as a replica stops)."""
        if self.model is not None:
            self.model.close()

    __del__ = close

    def _run(self, batch: list[list[int]], call_id: int | None) -> list[str]:
        return self.model.generate_ids(batch, self.options.max_new_tokens, self.options.min_new_tokens, call_id)

    async def suggest(self, text: str, tasks: list[str], language: str = "en-US") -> list[dict]:
        """Edits for the correction tasks asked for (grammar, spelling): the model's
        corrected text aligned with the input. Style hints are the rule engine's."""
        wanted = {Task(t) for t in tasks} & CORRECTION_TASKS
        if not wanted:
            return []
        corrected = await self.transform(text, Task.GRAMMAR)
        return [e.to_dict() for e in align(text, corrected, Engine.T5) if e.category in wanted]

    async def rewrite(self, text: str, style: str) -> str:
        return await self.transform(text, Style(style))

    async def transform(self, text: str, prompt: str) -> str:
        """The model's version of `text` under one of the configured prompts, sentence by sentence."""
        batcher = self._require_batcher()
        template = self._settings.t5_prompts.get(prompt)
        if template is None:
            raise EngineUnavailable(f"no T5 prompt is configured for {prompt!r}", retry_after=60)
        started = time.perf_counter()
        spans = sentence_spans(text)
        outputs = await batcher.generate(self.model.encode([template.format(text=text[s:e]) for s, e in spans]))
        metrics.ai_latency(Engine.T5.value, time.perf_counter() - started)
        pieces, pos = [], 0
        for (start, end), output in zip(spans, outputs):
            pieces.append(text[pos:start])  # keep the writer's own spacing and line breaks
            pieces.append(output.strip())
            pos = end
        pieces.append(text[pos:])
        return "".join(pieces)

    def status(self) -> dict:
        live = self.model is not None
        random = live and metadata(self._settings.t5_model_path).get("random", False)
        return {
            "live": live,
            "reason": self.load_error if not live else (RANDOM_REASON if random else None),
            "version": self.model.version if live else None,
            "tasks": sorted(CORRECTION_TASKS),
            "styles": [s for s in Style if s in self._settings.t5_prompts],
            "auto": live and not random,
        }

    def stats(self) -> dict:
        """How the model runs and how full its batches have been (for the bench and operators)."""
        model, batcher = self.model, self._batcher
        return {
            "backend": model and model.backend, "compute_type": model and model.compute_type, "device": model and model.device,
            "model_pid": getattr(model, "pid", os.getpid() if model else None),
            "niceness": os.getpriority(os.PRIO_PROCESS, getattr(model, "pid", None) or 0),
            "batches": batcher.batches if batcher else 0, "items": batcher.items if batcher else 0,
            "largest_batch": batcher.largest if batcher else 0, "given_way": batcher.given_way if batcher else 0,
            "busy_seconds": round(batcher.busy_s, 3) if batcher else 0.0,
            "sizes": list(batcher.sizes) if batcher else [],
        }

    def _require_batcher(self) -> Batcher:
        if self._batcher is None:
            raise EngineUnavailable(f"T5 is not loaded ({self.load_error})", retry_after=60)
        return self._batcher
