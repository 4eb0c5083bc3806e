"""Ingress: the HTTP face of the graph (FastAPI under @serve.ingress).

(No `from __future__ import annotations` here: FastAPI must see real types on the
methods that Serve rewrites, or it takes `request: Request` for a query field.)

Validation, request ids, the one error shape, JSON access logs and caching happen
here; the work itself is done by the Router and the Analyzer behind handles.
"""


import hashlib
import json
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qsl
from typing import Awaitable, Callable, get_args

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from ray import serve
from ray.serve.handle import DeploymentHandle
from starlette.exceptions import HTTPException as StarletteHTTPException

from deployments.analyzer import RULES_VERSION
from pipelines import languagetool
from pipelines.edits import Edit
from serve.errors import ServiceError, TextTooLong, Unavailable, error_body
from serve.logging import get_logger
from serve.schemas import (
    AnalysisRequest,
    AnalysisResponse,
    Engine,
    RewriteRequest,
    RewriteResponse,
    SuggestionsRequest,
    SuggestionsResponse,
)
from serve.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"
ENGINE_STATUS_TTL_S = 5.0

app = FastAPI(
    title="Writing service",
    version="0.1.0",
    description="Grammar, spelling and style suggestions, rewrites and text analysis from Gemini, T5 or offline rules.",
)
app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")


def request_id_of(request: Request) -> str:
    """Serve's proxy puts the caller's X-Request-ID (or a new id) on the request and
    echoes it on the response, so the ingress only reads it."""
    if not hasattr(request.state, "request_id"):
        request.state.request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
    return request.state.request_id


def _error(request: Request, status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, request_id_of(request)), status_code=status, headers=headers)


@app.middleware("http")
async def access_log(request: Request, call_next):
    started = time.perf_counter()
    response = await call_next(request)
    get_logger().info(
        "%s %s %s",
        request.method,
        request.url.path,
        response.status_code,
        extra={
            "requestId": request_id_of(request),
            "path": request.url.path,
            "method": request.method,
            "status": response.status_code,
            "durationMs": round((time.perf_counter() - started) * 1000, 2),
        },
    )
    return response


@app.exception_handler(ServiceError)
async def _service_error(request: Request, exc: ServiceError) -> JSONResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.headers())


@app.exception_handler(RequestValidationError)
async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return _error(request, 400, "bad_request", "the request body is not valid JSON")
    parts = []
    for e in errors:
        where = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return _error(request, 422, "validation_error", "; ".join(parts))


@app.exception_handler(StarletteHTTPException)
async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    codes = {404: "not_found", 405: "method_not_allowed"}
    return _error(request, exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail))


@app.exception_handler(Exception)
async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    get_logger().error(
        "unhandled error", exc_info=exc, extra={"requestId": request_id_of(request), "path": request.url.path, "method": request.method}
    )
    return _error(request, 500, "internal_error", "the server failed to answer; the request id identifies the logs")


def cache_key(kind: str, *parts: object) -> str:
    """Kind, engine, engine version and the normalised request (text kept exact: offsets index it)."""
    return hashlib.sha256(json.dumps([kind, *parts], separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


@serve.ingress(app)
class WritingAPI:
    def __init__(self, settings: Settings, cache: DeploymentHandle, router: DeploymentHandle, analyzer: DeploymentHandle):
        self._settings = settings
        self._cache = cache
        self._router = router
        self._analyzer = analyzer
        self._log = get_logger(settings.log_level)
        self._engine_status: dict = {}
        self._engine_status_at = float("-inf")

    # Writing

    @app.post("/v1/suggestions", response_model=SuggestionsResponse, tags=["writing"])
    async def suggestions(self, body: SuggestionsRequest, request: Request) -> dict:
        self._check_length(body.text)
        tasks = sorted(set(body.tasks)) if body.tasks else None
        result, cached = await self._cached(
            "suggestions",
            body.engine,
            [body.text, tasks, body.language],
            lambda: self._router.suggest.remote(body.text, tasks, body.engine),
        )
        return {**result, "cached": cached, "request_id": request_id_of(request)}

    @app.post("/v1/rewrite", response_model=RewriteResponse, tags=["writing"])
    async def rewrite(self, body: RewriteRequest, request: Request) -> dict:
        self._check_length(body.text)
        result, cached = await self._cached(
            "rewrite", body.engine, [body.text, body.style], lambda: self._router.rewrite.remote(body.text, body.style, body.engine)
        )
        return {**result, "cached": cached, "request_id": request_id_of(request)}

    @app.post("/v1/analysis", response_model=AnalysisResponse, tags=["writing"])
    async def analysis(self, body: AnalysisRequest, request: Request) -> dict:
        self._check_length(body.text)
        key = cache_key("analysis", RULES_VERSION, body.text)
        result = await self._cache_get(key, "analysis")
        cached = result is not None
        if not cached:
            result = await self._analyzer.analyze.remote(body.text)
            await self._cache_set(key, result, "analysis")
        return {**result, "cached": cached, "request_id": request_id_of(request)}

    # LanguageTool-compatible API (LanguageTool's own error format: plain text)

    @app.api_route("/v2/check", methods=["GET", "POST"], tags=["languagetool"], response_class=JSONResponse)
    async def lt_check(self, request: Request):
        """LanguageTool's /v2/check: form fields `text` or `data`, `language`, rule and category filters, `level`.

        Extension: an `engine` field (auto, gemini, t5, basic) picks the engine as on /v1/suggestions.
        """
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
        form.update(request.query_params)  # LanguageTool lets the query string override the body
        try:
            req = languagetool.parse_check_form(form)
            engine = form.get("engine", "auto")
            if engine not in get_args(Engine):
                raise languagetool.LanguageToolRequestError(f"Unknown engine '{engine}', use auto, gemini, t5 or basic")
            if len(req.text) > self._settings.max_text_chars:
                raise languagetool.LanguageToolRequestError(
                    f"Your text exceeds the limit of {self._settings.max_text_chars} characters (it's {len(req.text)} characters)", 413
                )
            edits: list = []
            if req.text.strip():
                result, _ = await self._cached(
                    "suggestions", engine, [req.text, None, "en"], lambda: self._router.suggest.remote(req.text, None, engine)
                )
                edits = [Edit(**s) for s in result["suggestions"]]
            return languagetool.check_response(req, edits)
        except languagetool.LanguageToolRequestError as exc:
            return PlainTextResponse(f"Error: {exc.message}", status_code=exc.status)
        except ServiceError as exc:
            return PlainTextResponse(f"Error: {exc.message}", status_code=exc.status, headers=exc.headers())

    @app.api_route("/v2/languages", methods=["GET", "POST"], tags=["languagetool"])
    async def lt_languages(self) -> list[dict]:
        return languagetool.languages_payload()

    @app.get("/v2/healthcheck", tags=["languagetool"], response_class=PlainTextResponse)
    async def lt_healthcheck(self) -> str:
        return "OK"

    # Operations

    @app.get("/healthz", tags=["operations"])
    async def healthz(self) -> dict:
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"])
    async def readyz(self) -> JSONResponse:
        reasons = []
        try:
            engines = await self._router.status.remote()
        except Exception as exc:
            engines, reasons = {"engines": {}, "auto": None}, [f"router: {type(exc).__name__}"]
        try:
            cache = await self._cache.stats.remote()
        except Exception as exc:
            cache = {"reachable": False, "error": type(exc).__name__}
        if not cache.get("reachable"):
            reasons.append(f"cache backend {cache.get('backend', '')} is unreachable".replace("  ", " "))
        if engines["auto"] is None:
            reasons.append("no engine is live")
        body = {"status": "degraded" if reasons else "ready", "reasons": reasons, **engines, "cache": cache}
        return JSONResponse(body, status_code=503 if reasons else 200, headers={"Retry-After": "5"} if reasons else {})

    @app.get("/", include_in_schema=False)
    async def editor(self) -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")

    # Helpers

    def _check_length(self, text: str) -> None:
        if len(text) > self._settings.max_text_chars:
            raise TextTooLong(f"text has {len(text)} characters; the limit is {self._settings.max_text_chars}")

    async def _cached(self, kind: str, engine: str, request_parts: list, compute: Callable[[], Awaitable[dict]]) -> "tuple[dict, bool]":
        """Look up under the engine that would answer now; store under the one that did."""
        status = await self._engines()
        resolved = status["auto"] if engine == "auto" else engine
        version = status["engines"].get(resolved, {}).get("version")
        hit = await self._cache_get(cache_key(kind, resolved, version, *request_parts), kind)
        if hit is not None:
            return hit, True
        result = await compute()
        answered = result["engine"]
        answered_version = status["engines"].get(answered, {}).get("version")
        await self._cache_set(cache_key(kind, answered, answered_version, *request_parts), result, kind)
        return result, False

    async def _engines(self) -> dict:
        if time.monotonic() - self._engine_status_at > ENGINE_STATUS_TTL_S:
            try:
                self._engine_status = await self._router.status.remote()
                self._engine_status_at = time.monotonic()
            except Exception as exc:
                raise Unavailable(f"the engine router is not answering ({type(exc).__name__})") from None
        return self._engine_status

    async def _cache_get(self, key: str, kind: str) -> dict | None:
        try:
            return await self._cache.get.remote(key, kind)
        except Exception as exc:  # no cache is a slower answer, not a failed one
            self._log.warning("cache get failed: %s", exc)
            return None

    async def _cache_set(self, key: str, value: dict, kind: str) -> None:
        try:
            await self._cache.set.remote(key, value, kind)
        except Exception as exc:
            self._log.warning("cache set failed: %s", exc)


Ingress = serve.deployment(WritingAPI, name="Ingress", ray_actor_options={"num_cpus": 0.25}, max_ongoing_requests=128)
