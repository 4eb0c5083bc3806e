"""FallbackMode over HTTP (GET/PUT /v1/admin/fallback). Refusing new work while draining is `edge`'s."""

from fastapi import APIRouter, Depends

from deployments.fallback import FallbackChange, FallbackMode
from deployments.ingress.auth import require
from deployments.ingress.deps import current
from deployments.ingress.service import Ingress
from serve.schemas import error_responses

router = APIRouter(prefix="/v1/admin", tags=["admin"], responses=error_responses(400, 401, 403, 422, 429))


async def fallback_view(api: Ingress) -> dict:
    """What the operator set, what applies now, and whether every replica shares it."""
    state = await api.fallback.current()
    return {
        "mode": state["mode"],
        "effective": api.mode().wire(),
        "openCircuits": api.engines.open_circuits(),
        "shared": api.fallback.shared,
        "draining": state["draining"],
    }


@router.get("/fallback", dependencies=[require("admin")])
async def get_fallback(api: Ingress = Depends(current)) -> dict:
    return await fallback_view(api)


@router.put("/fallback", dependencies=[require("admin")])
async def put_fallback(change: FallbackChange, api: Ingress = Depends(current)) -> dict:
    state = await api.fallback.current()
    mode = FallbackMode(**{**state["mode"], **change.model_dump(by_alias=True, exclude_none=True)})
    await api.fallback.update(mode=mode)
    api.log.warning("fallback mode set to %s", mode.wire())
    return await fallback_view(api)
