"""Who is calling and how much they may: the `caller` dependency, role checks with the
rate limit, and the two middlewares that read the replica's settings (CORS, and the
RateLimit-* headers on every answer).

A key arrives as `Authorization: Bearer KEY` or `X-API-Key: KEY`, and on /v2/ also as
LanguageTool's `apiKey` form field (with `username`, which must then be the key's
owner). With keys not required (the embedded default for local use) a request without
one runs as the local anonymous user, limited per client address.
"""

from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from deployments.ingress.deps import ingress_of
from deployments.ingress.service import Ingress
from serve import metrics
from serve.errors import Forbidden, RateLimited, Unauthorized
from serve.logging import annotate

LOCAL_USER = "local"
_bearer = HTTPBearer(auto_error=False, description="An API key as a bearer token (`python -m serve keys create`).")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The same API key in its own header.")


@dataclass(frozen=True)
class Caller:
    user_id: str
    roles: frozenset[str]
    key_id: str | None = None


async def _form_fields(request: Request) -> dict[str, str]:
    """LanguageTool's credentials as form (or query) fields; an undecodable body is the route's 400."""
    fields = dict(request.query_params)
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        fields = {**dict(parse_qsl((await request.body()).decode("utf-8", "replace"))), **fields}
    return fields


async def caller(
    request: Request,
    bearer: HTTPAuthorizationCredentials | None = Security(_bearer),
    header_key: str | None = Security(_header),
) -> Caller:
    """Who is calling (the dependency for routes that need the caller but no role)."""
    return await identify(request, ingress_of(request.app), bearer, header_key)


async def identify(request: Request, api: Ingress, bearer: HTTPAuthorizationCredentials | None, header_key: str | None) -> Caller:
    key, username = (bearer.credentials if bearer else None) or header_key, None
    if key is None and request.url.path.removeprefix(request.scope.get("root_path", "")).startswith("/v2/"):
        fields = await _form_fields(request)
        key, username = fields.get("apiKey") or None, fields.get("username") or None
    if key is None:
        if api.settings.api_keys_required:
            raise Unauthorized("an API key is required: send `Authorization: Bearer KEY` or `X-API-Key: KEY`")
        return Caller(LOCAL_USER, frozenset(api.settings.api_key_roles))
    record = await api.keys.verify(key)
    if record is None or (username is not None and username != record.user):
        raise Unauthorized("the API key is not valid: unknown, revoked, or not this username's")
    return Caller(record.user, frozenset(record.roles), record.id)


def require(role: str):
    """A dependency that counts the request against the caller's rate limit (429 past
    it), then answers 403 unless the caller has `role`; gives the Caller (also left on
    `request.state.caller` for routes that declare it only at the router)."""

    async def has_role(
        request: Request,
        bearer: HTTPAuthorizationCredentials | None = Security(_bearer),
        header_key: str | None = Security(_header),
    ) -> Caller:
        api = ingress_of(request.app)  # not a dependency: each one costs FastAPI a resolution per request
        who = await identify(request, api, bearer, header_key)
        peer = request.client.host if request.client else None
        identity = f"key:{who.key_id}" if who.key_id else f"ip:{api.limiter.client_address(peer, request.headers.get('x-forwarded-for'))}"
        window = await api.limiter.hit(identity, who.roles)
        request.state.rate_limit = window.headers()
        annotate(userId=who.user_id)
        if not window.allowed:
            metrics.rate_limited("key" if who.key_id else "address")
            raise RateLimited(f"over {window.limit} requests in {api.limiter.window_s} s; retry in {window.reset_s} s", window.reset_s)
        if role not in who.roles:
            raise Forbidden(f"this needs the {role!r} role; the key has {sorted(who.roles)}")
        request.state.caller = who
        return who

    return Depends(has_role)


class SettingsMiddleware:
    """CORS from the replica's settings (Starlette's CORSMiddleware, built once per
    replica), and the RateLimit-* headers `require` left on the request, on every answer."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self._cors: tuple[Ingress, CORSMiddleware] | None = None

    def _with_cors(self, api: Ingress) -> CORSMiddleware:
        if self._cors is None or self._cors[0] is not api:
            settings = api.settings
            cors = CORSMiddleware(
                self.app,
                allow_origins=settings.cors_origins,
                allow_methods=settings.cors_methods,
                allow_headers=["Authorization", "X-API-Key", "Content-Type", "X-Request-ID"],
                expose_headers=["X-Request-ID", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"],
                max_age=600,
            )
            self._cors = (api, cors)
        return self._cors[1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        app = scope["app"]
        api = ingress_of(app)
        state = scope.setdefault("state", {})

        async def send_with_limits(message: Message) -> None:
            if message["type"] == "http.response.start" and "rate_limit" in state:
                message["headers"] = [*message.get("headers", []),
                                      *((k.lower().encode(), v.encode()) for k, v in state["rate_limit"].items())]
            await send(message)

        cors = self._with_cors(api)
        origin = Headers(scope=scope).get("origin")
        allowed = origin is None or cors.is_allowed_origin(origin)  # a stranger's preflight gets no CORS headers at all
        await (cors if allowed else self.app)(scope, receive, send_with_limits)
