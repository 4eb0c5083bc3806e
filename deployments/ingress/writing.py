"""The writing API: /v1/suggestions, /v1/rewrite, /v1/analysis."""

from fastapi import APIRouter, Depends

from deployments.ingress.auth import require
from deployments.ingress.deps import current, the_request_id, within_limits
from deployments.ingress.events import Track, tracked
from deployments.ingress.service import Ingress
from serve.schemas import (
    AnalysisRequest,
    AnalysisResponse,
    RewriteRequest,
    RewriteResponse,
    SuggestionsRequest,
    SuggestionsResponse,
    error_responses,
)

router = APIRouter(
    prefix="/v1", tags=["writing"], dependencies=[require("writer")], responses=error_responses(400, 401, 403, 413, 422, 429, 503)
)


@router.post("/suggestions", response_model=SuggestionsResponse)
async def suggestions(
    body: SuggestionsRequest = within_limits(SuggestionsRequest), api: Ingress = Depends(current), rid: str = Depends(the_request_id),
    track: Track = tracked("suggestions"),
) -> dict:
    result, cached = await api.suggest(body.text, body.tasks, body.language, body.engine)
    track(result, cached)
    return {**result, "cached": cached, "request_id": rid}


@router.post("/rewrite", response_model=RewriteResponse)
async def rewrite(
    body: RewriteRequest = within_limits(RewriteRequest), api: Ingress = Depends(current), rid: str = Depends(the_request_id),
    track: Track = tracked("rewrite"),
) -> dict:
    result, cached = await api.rewrite(body.text, body.style, body.engine)
    track(result, cached)
    return {**result, "cached": cached, "request_id": rid}


@router.post("/analysis", response_model=AnalysisResponse)
async def analysis(
    body: AnalysisRequest = within_limits(AnalysisRequest), api: Ingress = Depends(current), rid: str = Depends(the_request_id),
    track: Track = tracked("analysis"),
) -> dict:
    result, cached = await api.analyze(body.text)
    track(result, cached)
    return {**result, "cached": cached, "request_id": rid}
