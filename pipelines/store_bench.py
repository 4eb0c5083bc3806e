"""Documents written per second, through the API and through the store directly, in one run
(`python -m serve db bench`).

Both write the same documents (sealed, owner-scoped) to the same MongoDB: MONGODB_URI when
set, else an embedded server on a free port with its data in a temporary directory. The
API side deploys the graph on Ray Serve on a free port (rate limit lifted) and POSTs
/v1/documents from `concurrency` callers; the store side calls `Store.create_document`
with the same concurrency. The difference is what HTTP, the Serve proxy and the ingress
add per write.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from pathlib import Path

import httpx

from serve.settings import Settings


async def _timed(count: int, concurrency: int, write) -> float:
    """Seconds to run `write(i)` for i in range(count), `concurrency` at a time."""
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with gate:
            await write(i)

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(count)))
    return time.perf_counter() - started


async def through_store(settings: Settings, count: int, concurrency: int, content: str) -> float:
    from serve.store import Store

    store = Store(settings)
    try:
        await store.create_document("bench-warmup", "warm-up", content)
        return await _timed(count, concurrency, lambda i: store.create_document("bench-store", f"document {i}", content))
    finally:
        await store.close()


async def through_api(url: str, count: int, concurrency: int, content: str) -> float:
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=httpx.Limits(max_connections=concurrency)) as client:

        async def write(i: int) -> None:
            answer = await client.post("/v1/documents", json={"title": f"document {i}", "content": content})
            if answer.status_code != 201:
                raise RuntimeError(f"POST /v1/documents answered {answer.status_code}: {answer.text[:200]}")

        await write(-1)  # warm-up: the first request opens the store's connections
        return await _timed(count, concurrency, write)


def _serve(settings: Settings) -> str:
    """The graph on Ray Serve on a free port, using `settings`; its URL."""
    import ray
    from ray import serve

    from serve.local import deploy, free_port, serve_runtime_env

    os.environ.update(serve_runtime_env(isolated=True))
    port = free_port()
    ray.init(num_cpus=8, include_dashboard=False, log_to_driver=False, configure_logging=False)  # logical CPUs: the graph's fractions fit
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    return deploy(port, "storebench", "/", settings.model_dump(include={"mongodb_uri", "t5_model_path", "rate_limit_max"}))


def run(args: argparse.Namespace) -> int:
    from serve.mongo import EmbeddedMongo

    settings, embedded = Settings(), None
    with tempfile.TemporaryDirectory(prefix="store-bench-") as scratch:
        if not settings.mongodb_uri:
            embedded = EmbeddedMongo(Path(scratch) / "bench.sqlite").start()
            settings = settings.model_copy(update={"mongodb_uri": embedded.uri})
        settings = settings.model_copy(update={"rate_limit_max": 10**9, "t5_model_path": scratch})
        content = ("The quick brown fox jumps over the lazy dog. " * (args.chars // 45 + 1))[: args.chars]
        try:
            store_s = asyncio.run(through_store(settings, args.documents, args.concurrency, content))
            url = _serve(settings)
            api_s = asyncio.run(through_api(url, args.documents, args.concurrency, content))
        finally:
            _stop_ray()
            if embedded is not None:
                embedded.stop()
    result = {
        "documents": args.documents, "concurrency": args.concurrency, "chars": args.chars,
        "store_docs_per_s": round(args.documents / store_s, 1), "api_docs_per_s": round(args.documents / api_s, 1),
        "mongodb": "embedded (mongoeco, SQLite)" if embedded else "MONGODB_URI",
    }
    print(f"documents written per second ({args.documents} documents of {args.chars} characters, {args.concurrency} at a time, "
          f"{result['mongodb']}):\n  store directly: {result['store_docs_per_s']}\n  through the API: {result['api_docs_per_s']}")
    print(json.dumps(result))
    return 0


def _stop_ray() -> None:
    import ray

    if ray.is_initialized():
        from ray import serve

        serve.shutdown()
        ray.shutdown()
