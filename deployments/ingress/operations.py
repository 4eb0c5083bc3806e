"""Operations: liveness, readiness, and the web editor page."""

from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse, JSONResponse

from deployments.ingress.deps import current
from deployments.ingress.service import Ingress

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(api: Ingress = Depends(current)) -> JSONResponse:
    reasons = []
    try:
        engines = await api.engines.fresh()
    except Exception as exc:
        engines, reasons = {"engines": {}, "auto": None}, [f"router: {exc}"]
    cache = await api.cache.stats()
    if not cache["reachable"]:
        reasons.append(f"cache backend {cache['backend']} is unreachable")
    if engines["auto"] is None:
        reasons.append("no engine is live")
    if api.fallback.draining:
        reasons.append("the service is shutting down")
    if not api.fallback.shared:
        reasons.append("fallback state is not shared: its store is unreachable")
    fallback = {"mode": api.fallback.mode.wire(), "effective": api.mode().wire(), "openCircuits": api.engines.open_circuits()}
    body = {"status": "degraded" if reasons else "ready", "reasons": reasons, **engines, "cache": cache, "fallback": fallback}
    return JSONResponse(body, status_code=503 if reasons else 200, headers={"Retry-After": "5"} if reasons else {})


@router.get("/", include_in_schema=False)
async def editor() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html")
