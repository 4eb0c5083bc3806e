"""The peers: what a user would write instead of this service, with the same model,
backend and tokens, under uvicorn. PEER_KIND picks one:

  naive   a sync route, as FastAPI's docs advise for blocking code: each request runs
          `generate` on its own thread from the server's pool, all at once
  serial  `generate` for one request at a time on one worker thread
  queue   an asyncio queue that batches whatever waits, up to PEER_BATCH prompts, on
          one worker thread: the small batching app a careful user writes without Ray

    PEER_KIND=queue PEER_MODEL_PATH=var/models/t5-small-random uvicorn pipelines.bench.peers:app
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

from fastapi import FastAPI
from pydantic import BaseModel

from pipelines.t5_model import load

KIND = os.environ.get("PEER_KIND", "naive")
BATCH = int(os.environ.get("PEER_BATCH", "16"))
NEW_TOKENS = int(os.environ.get("PEER_NEW_TOKENS", "16"))
PROMPT = os.environ.get("PEER_PROMPT", "grammar: {text}")
model = load(os.environ["PEER_MODEL_PATH"], os.environ.get("PEER_BACKEND", "transformers"), "auto",
             os.environ.get("PEER_COMPUTE_TYPE", "auto"), int(os.environ.get("PEER_THREADS", "0")))
worker = ThreadPoolExecutor(max_workers=1)
queue: asyncio.Queue = asyncio.Queue()


stats = {"batches": 0, "items": 0, "busy_seconds": 0.0, "sizes": []}  # the model's own time, as the T5 replica counts it
stats_lock = threading.Lock()  # the naive peer's route threads call generate at once


def generate(prompts: list[str]) -> list[str]:
    started = time.perf_counter()
    try:
        return model.generate(prompts, NEW_TOKENS, NEW_TOKENS)
    finally:
        with stats_lock:
            stats["batches"] += 1
            stats["items"] += len(prompts)
            stats["sizes"] = stats["sizes"][-255:] + [len(prompts)]
            stats["busy_seconds"] += time.perf_counter() - started


async def batch_forever() -> None:
    loop = asyncio.get_running_loop()
    while True:
        waiting = [await queue.get()]
        while len(waiting) < BATCH and not queue.empty():
            waiting.append(queue.get_nowait())
        outputs = await loop.run_in_executor(worker, generate, [prompt for prompt, _ in waiting])
        for (_, answer), output in zip(waiting, outputs):
            answer.set_result(output)


@asynccontextmanager
async def lifespan(app: FastAPI):
    task = asyncio.create_task(batch_forever()) if KIND == "queue" else None
    yield
    if task:
        task.cancel()


app = FastAPI(lifespan=lifespan)


class Body(BaseModel):
    text: str


if KIND == "naive":
    @app.post("/fix")
    def fix(body: Body) -> dict:
        return {"text": generate([PROMPT.format(text=body.text)])[0]}
elif KIND == "serial":
    @app.post("/fix")
    async def fix(body: Body) -> dict:
        outputs = await asyncio.get_running_loop().run_in_executor(worker, generate, [PROMPT.format(text=body.text)])
        return {"text": outputs[0]}
else:
    @app.post("/fix")
    async def fix(body: Body) -> dict:
        answer = asyncio.get_running_loop().create_future()
        await queue.put((PROMPT.format(text=body.text), answer))
        return {"text": await answer}


@app.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}


@app.get("/stats")
def model_stats() -> dict:
    return stats
