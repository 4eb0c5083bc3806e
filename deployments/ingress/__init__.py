"""Ingress: the HTTP face of the graph (FastAPI under @serve.ingress).

One module per API family (writing, languagetool, operations); the replica's state
and the request path's logic are in `service`. Every error leaves in one shape: JSON
`{"error": {...}}`, or LanguageTool's plain text under /v2/.
"""

import time
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from ray import serve
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from deployments.ingress import admin, documents, fallback, languagetool, metrics, operations, writing
from deployments.ingress.auth import SettingsMiddleware
from deployments.ingress.deps import request_id
from deployments.ingress.service import Ingress as IngressService
from serve.errors import BadRequest, ServiceError, Unprocessable, error_body
from serve.logging import get_logger, request_context
from serve.metrics import observe_request

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

app = FastAPI(
    title="Writing service",
    version="0.2.0",
    description="Grammar, spelling and style suggestions, rewrites and text analysis from Gemini, T5 or offline rules.",
)
app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
for module in (writing, documents, languagetool, operations, fallback, metrics, admin):
    app.include_router(module.router)


class Observed:
    """Every request: its log context, one access log line, the request metrics; an
    unexpected failure is logged with its stack and answered in the one error shape.
    (Plain ASGI, as are the other middlewares: Starlette's `@app.middleware("http")`
    runs each request through an extra task and memory streams.)"""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request, started, status = Request(scope), time.perf_counter(), [500]
        request.state.started = started  # analytics events time the request from here

        async def send_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        with request_context(requestId=request_id(request), path=request.url.path, method=request.method) as context:
            try:
                await self.app(scope, receive, send_status)
            except Exception as exc:
                get_logger().error("unhandled error: %s", type(exc).__name__, exc_info=exc)
                answer = error_response(request, ServiceError("the server failed to answer; the request id identifies the logs"))
                await answer(scope, receive, send_status)
            seconds = time.perf_counter() - started
            route = _route(scope)
            context.update(route=route, status=status[0], latencyMs=round(seconds * 1000, 2))
            get_logger().info("%s %s %s", request.method, route, status[0])
        observe_request(route, request.method, status[0], seconds)


app.add_middleware(SettingsMiddleware)
app.add_middleware(fallback.RefuseWhileDraining)
app.add_middleware(Observed)


def _route(scope: dict) -> str:
    """The matched route's template, so label values stay few: "/v1/documents/{document_id}", "/static"."""
    if "route" in scope:
        return scope["route"].path
    return "/static" if isinstance(scope.get("endpoint"), StaticFiles) else "unmatched"


def error_response(request: Request, exc: ServiceError) -> Response:
    """The one error shape: LanguageTool's plain text under /v2/, JSON elsewhere."""
    if request.url.path.removeprefix(request.scope.get("root_path", "")).startswith("/v2/"):  # also under a route prefix
        return PlainTextResponse(f"Error: {exc.message}", status_code=exc.status, headers=exc.headers())
    return JSONResponse(error_body(exc.code, exc.message, request_id(request)), status_code=exc.status, headers=exc.headers())


@app.exception_handler(ServiceError)
async def _service_error(request: Request, exc: ServiceError) -> Response:
    return error_response(request, exc)


@app.exception_handler(RequestValidationError)
async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(request, BadRequest("the request body is not valid JSON"))
    parts = []
    for e in errors:
        where = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return error_response(request, Unprocessable("; ".join(parts)))


class _HTTPError(ServiceError):
    def __init__(self, exc: StarletteHTTPException):
        super().__init__(str(exc.detail))
        self.status = exc.status_code
        self.code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        self._headers = dict(exc.headers or {})

    def headers(self) -> dict[str, str]:
        return self._headers


@app.exception_handler(StarletteHTTPException)
async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    error = _HTTPError(exc)
    if exc.status_code == 405:  # Starlette names only the first route's methods; a path can have several routes
        error._headers["Allow"] = ", ".join(
            m for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if any(r.matches({**request.scope, "method": m})[0] == Match.FULL for r in app.routes)
        )
    return error_response(request, error)


Ingress = serve.ingress(app)(IngressService)
