"""The ingress's one middleware, and the one error shape.

Every request passes here once, in one plain ASGI call with one `send` wrapper:
- its log context (request id, path, method), one JSON access line and the request metrics;
- while the serve command drains, 503 with Retry-After for everything but /healthz;
- CORS from the replica's settings (Starlette's CORSMiddleware, built once per replica,
  answers preflights and decides which origins are allowed; its response headers are added
  here), and the RateLimit-* headers `require` left on the request;
- an unexpected failure is logged with its stack and answered in the one error shape.

(Starlette's `@app.middleware("http")` runs each request through an extra task and memory
streams, and each plain middleware wraps `send` once more: one pass does the same work.)
"""

from __future__ import annotations

import time
import uuid

from fastapi import Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from deployments.ingress.deps import ingress_of, request_id
from deployments.ingress.service import Ingress
from serve.errors import ServiceError, Unavailable, error_body
from serve.logging import access, close_context, get_logger, open_context
from serve.metrics import observe_request

CORS_ALLOW_HEADERS = ["Authorization", "X-API-Key", "Content-Type", "X-Request-ID"]
CORS_EXPOSE_HEADERS = ["X-Request-ID", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]


def error_response(request: Request, exc: ServiceError) -> Response:
    """The one error shape: LanguageTool's plain text under /v2/, JSON elsewhere."""
    if request.url.path.removeprefix(request.scope.get("root_path", "")).startswith("/v2/"):  # also under a route prefix
        return PlainTextResponse(f"Error: {exc.message}", status_code=exc.status, headers=exc.headers())
    return JSONResponse(error_body(exc.code, exc.message, request_id(request)), status_code=exc.status, headers=exc.headers())


def route_of(scope: dict) -> str:
    """The matched route's template, so label values stay few: "/v1/documents/{document_id}", "/static"."""
    if "route" in scope:
        return scope["route"].path
    return "/static" if isinstance(scope.get("endpoint"), StaticFiles) else "unmatched"


class Edge:
    def __init__(self, app: ASGIApp):
        self.app = app
        self._cors: tuple[Ingress, CORSMiddleware] | None = None

    def _cors_of(self, api: Ingress) -> CORSMiddleware:
        if self._cors is None or self._cors[0] is not api:
            settings = api.settings
            cors = CORSMiddleware(
                self.app,
                allow_origins=settings.cors_origins,
                allow_methods=settings.cors_methods,
                allow_headers=CORS_ALLOW_HEADERS,
                expose_headers=CORS_EXPOSE_HEADERS,
                max_age=600,
            )
            self._cors = (api, cors)
        return self._cors[1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        state = scope.setdefault("state", {})
        state["started"] = started  # analytics events time the request from here
        origin = given_id = None
        preflight = False
        for key, value in scope["headers"]:
            if key == b"origin":
                if origin is None:
                    origin = value.decode("latin-1")
            elif key == b"x-request-id":
                if given_id is None:
                    given_id = value.decode("latin-1")
            elif key == b"access-control-request-method":
                preflight = True
        if "request_id" not in state:  # Serve's proxy puts the caller's X-Request-ID (or a new id) on the request
            state["request_id"] = given_id or uuid.uuid4().hex
        method = scope["method"]
        path = scope["path"].replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")  # as request.url.path reads it
        context = {"requestId": state["request_id"], "path": path, "method": method}
        token = open_context(context)
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            try:
                api = ingress_of(scope["app"])
                if scope["path"] != "/healthz" and api.fallback.draining:
                    answer = error_response(Request(scope), Unavailable("the service is shutting down; retry shortly", retry_after=5))
                    await answer(scope, receive, send_status)
                else:
                    cors = self._cors_of(api)
                    if origin is None or cors.is_allowed_origin(origin):  # a stranger's preflight gets no CORS headers at all
                        if origin is not None and preflight and method == "OPTIONS":
                            await cors.preflight_response(request_headers=Headers(scope=scope))(scope, receive, send_status)
                        else:
                            await self.app(scope, receive, self._sender(send_status, state, cors, origin))
                    else:
                        await self.app(scope, receive, self._sender(send_status, state, None, None))
            except Exception as exc:
                get_logger().error("unhandled error: %s", type(exc).__name__, exc_info=exc)
                answer = error_response(Request(scope), ServiceError("the server failed to answer; the request id identifies the logs"))
                await answer(scope, receive, send_status)
            seconds = time.perf_counter() - started
            route = route_of(scope)
            context["route"], context["status"], context["latencyMs"] = route, status, round(seconds * 1000, 2)
            access(f"{method} {route} {status}", context)
        finally:
            close_context(token)
        observe_request(route, method, status, seconds)

    @staticmethod
    def _sender(send: Send, state: dict, cors: CORSMiddleware | None, origin: str | None) -> Send:
        """`send` with the CORS response headers (when `cors`) and the RateLimit-* headers added to the response's start."""

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = message["headers"] = list(message.get("headers") or ())  # a copy: the response's own list stays as it was
                if cors is not None:
                    if origin is None and not any(key == b"vary" for key, _ in raw):
                        raw.append((b"vary", b"Origin"))  # what CORSMiddleware adds to an answer without Origin
                    else:
                        _cors_headers(cors, MutableHeaders(scope=message), origin)
                        raw = message["headers"]  # MutableHeaders put its own copy there
                limits = state.get("rate_limit")
                if limits is not None:
                    raw.extend((name.lower().encode(), value.encode()) for name, value in limits.items())
            await send(message)

        return send_with_headers


def _cors_headers(cors: CORSMiddleware, headers: MutableHeaders, origin: str | None) -> None:
    """CORSMiddleware.send's headers on a simple (not preflight) response."""
    if origin is not None:
        headers.update(cors.simple_headers)
    if origin is not None and cors.allow_all_origins and cors.allow_credentials:
        cors.allow_explicit_origin(headers, origin)
    elif origin is not None and not cors.allow_all_origins and cors.is_allowed_origin(origin=origin):
        cors.allow_explicit_origin(headers, origin)
    else:
        headers["Vary"] = ", ".join([*headers.getlist("Vary"), "Origin"])
