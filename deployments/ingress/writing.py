"""The writing API: /v1/suggestions, /v1/rewrite, /v1/analysis.

Routes read the replica's Ingress and the caller without FastAPI dependencies of their
own (the router's `require` leaves the caller on the request): each dependency costs a
resolution per request on the hottest path."""

from fastapi import APIRouter, Request

from deployments.ingress.auth import require
from deployments.ingress.deps import ingress_of, request_id
from deployments.ingress.events import track
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
async def suggestions(request: Request, body: SuggestionsRequest) -> dict:
    api = ingress_of(request.app)
    api.check_length(body.text)
    result, cached = await api.suggest(body.text, body.tasks, body.language, body.engine)
    track(request, api, "suggestions", result, cached)
    return {**result, "cached": cached, "request_id": request_id(request)}


@router.post("/rewrite", response_model=RewriteResponse)
async def rewrite(request: Request, body: RewriteRequest) -> dict:
    api = ingress_of(request.app)
    api.check_length(body.text)
    result, cached = await api.rewrite(body.text, body.style, body.engine)
    track(request, api, "rewrite", result, cached)
    return {**result, "cached": cached, "request_id": request_id(request)}


@router.post("/analysis", response_model=AnalysisResponse)
async def analysis(request: Request, body: AnalysisRequest) -> dict:
    api = ingress_of(request.app)
    api.check_length(body.text)
    result, cached = await api.analyze(body.text)
    track(request, api, "analysis", result, cached)
    return {**result, "cached": cached, "request_id": request_id(request)}
