"""Ingress: the HTTP face of the graph (FastAPI under @serve.ingress).

One module per API family (writing, languagetool, operations); the replica's state
and the request path's logic are in `service`; what every request passes through once is
`edge`. Every error leaves in one shape: JSON
`{"error": {...}}`, or LanguageTool's plain text under /v2/.
"""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from ray import serve
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from deployments.ingress import admin, documents, fallback, languagetool, metrics, operations, writing
from deployments.ingress.auth import document_keys
from deployments.ingress.edge import Edge, error_response
from deployments.ingress.service import Ingress as IngressService
from serve.errors import BadRequest, ServiceError, Unprocessable

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

app = FastAPI(
    title="Writing service",
    version="0.2.0",
    description="Grammar, spelling and style suggestions, rewrites and text analysis from Gemini, T5 or offline rules.",
)
app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
for module in (writing, documents, languagetool, operations, fallback, metrics, admin):
    app.include_router(module.router)
app.add_middleware(Edge)  # log context, access line, metrics, draining, CORS, RateLimit-* headers: one pass (edge.py)
app.openapi = lambda: document_keys(FastAPI.openapi(app), app.routes)  # `require` reads the key headers itself


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
