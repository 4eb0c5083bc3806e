"""Where a cache hit's time goes, one caller: in-process, on the replica's own port, through HAProxy.

    python -m pipelines.bench.hop_costs

1. In-process, under httpx's ASGI transport (no network): a bare FastAPI `/healthz`, the
   ingress app's `/healthz` (its middlewares only) and a cache hit on `/v1/suggestions`.
2. `serve run serve_config.yaml` with the fast data path (as `pipelines.bench.request_path`
   starts it): the same `/healthz` and hit on the ingress replica's own HTTP port, then through
   HAProxy on the public port.
Each figure is the p50 of 400 sequential requests after a warm-up.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import tempfile
import time
import types
from pathlib import Path

import httpx
import psutil

HIT = {"text": "She dont know wich option is better.", "engine": "basic"}


class _Handle:
    """A DeploymentHandle stand-in answering from a plain object, for the in-process app."""

    def __init__(self, target):
        self.target = target

    def __getattr__(self, method: str):
        async def call(*args):
            return getattr(self.target, method)(*args)

        return types.SimpleNamespace(remote=lambda *args: asyncio.ensure_future(call(*args)))


class _RulesOnly:
    def status(self) -> dict:
        from deployments.router import auto_engine

        engines = {n: {"live": n == "basic", "reason": None, "version": f"{n}-1", "auto": True} for n in ("gemini", "t5", "basic")}
        return {"engines": engines, "auto": auto_engine(engines)}


async def _p50(client: httpx.AsyncClient, path: str, body: dict | None) -> float:
    for _ in range(50):
        await (client.post(path, json=body) if body else client.get(path))
    times = []
    for _ in range(400):
        started = time.perf_counter()
        answer = await (client.post(path, json=body) if body else client.get(path))
        times.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
    return round(statistics.median(times), 2)


async def in_process() -> dict:
    from fastapi import FastAPI

    import deployments.ingress.deps as deps
    from deployments.ingress import app
    from deployments.ingress.service import Ingress
    from serve.logging import get_logger
    from serve.settings import Settings

    api = Ingress(Settings(rate_limit_max=10**9, log_dir=tempfile.mkdtemp()), _Handle(_RulesOnly()), _Handle(None))
    for handler in get_logger().handlers:  # as in a replica: only warnings and errors on stdout
        if type(handler) is logging.StreamHandler:
            handler.setLevel(logging.WARNING)
    deps.serve = types.SimpleNamespace(get_replica_context=lambda: types.SimpleNamespace(servable_object=api))
    bare = FastAPI()

    @bare.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok"}

    out = {}
    for name, target in (("bare FastAPI", bare), ("ingress app", app)):
        transport = httpx.ASGITransport(app=target, client=("127.0.0.1", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://in-process") as client:
            out[f"{name} /healthz"] = await _p50(client, "/healthz", None)
            if target is app:
                out["ingress app cache hit"] = await _p50(client, "/v1/suggestions", HIT)
    return out


async def live() -> dict:
    from pipelines.bench import request_path

    proc, url = request_path.start("serve-run-fast", Path(tempfile.mkdtemp()))
    try:
        replica = next(p for p in psutil.process_iter(["cmdline"]) if "ServeReplica:writing:Ingress" in " ".join(p.info["cmdline"] or []))
        ports = sorted(c.laddr.port for c in replica.net_connections(kind="tcp") if c.status == "LISTEN")
        out = {}
        for name, base in ((f"replica port {port}", f"http://127.0.0.1:{port}") for port in ports):
            async with httpx.AsyncClient(base_url=base, timeout=10) as client:
                try:
                    out[f"{name} /healthz"] = await _p50(client, "/healthz", None)
                    out[f"{name} cache hit"] = await _p50(client, "/v1/suggestions", HIT)
                except httpx.HTTPError:  # Serve's internal gRPC ports speak no HTTP
                    continue
        async with httpx.AsyncClient(base_url=url, timeout=10) as client:
            out["HAProxy /healthz"] = await _p50(client, "/healthz", None)
            out["HAProxy cache hit"] = await _p50(client, "/v1/suggestions", HIT)
        return out
    finally:
        request_path.stop(proc)


def main() -> int:
    figures = {**asyncio.run(in_process()), **asyncio.run(live())}
    width = max(map(len, figures))
    print("\n".join(f"{name:{width}}  {ms:6.2f} ms p50" for name, ms in figures.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
