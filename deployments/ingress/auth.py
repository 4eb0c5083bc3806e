"""Who is calling and how much they may: the `caller` dependency, and role checks with the
rate limit (the RateLimit-* headers go on every answer in `edge`, with CORS).

A key arrives as `Authorization: Bearer KEY` or `X-API-Key: KEY`, and on /v2/ also as
LanguageTool's `apiKey` form field (with `username`, which must then be the key's
owner). With keys not required (the embedded default for local use) a request without
one runs as the local anonymous user, limited per client address.
"""

from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import Depends, Request, Security
from fastapi.encoders import jsonable_encoder
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

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

    async def has_role(request: Request) -> Caller:
        # The replica and both key headers are read here, not as dependencies: each one costs
        # FastAPI a resolution per request (`document_keys` puts the schemes in the schema).
        api = ingress_of(request.app)
        who = await identify(request, api, await _bearer(request), await _header(request))
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

    has_role.reads_keys = True
    return Depends(has_role)


def document_keys(schema: dict, routes) -> dict:
    """The OpenAPI schema with both key schemes on every operation behind `require`, as
    FastAPI writes them for `Security` dependencies (which `require` reads without)."""
    schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
    for scheme in (_bearer, _header):
        schemes.setdefault(scheme.scheme_name, jsonable_encoder(scheme.model, by_alias=True, exclude_none=True))
    for route in iter_route_contexts(routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema or not _reads_keys(route.dependant):
            continue
        for method in route.methods:
            operation = schema.get("paths", {}).get(route.path_format, {}).get(method.lower())
            if operation is not None:
                operation.setdefault("security", [{_bearer.scheme_name: []}, {_header.scheme_name: []}])
    return schema


def _reads_keys(dependant) -> bool:
    return getattr(dependant.call, "reads_keys", False) or any(_reads_keys(d) for d in dependant.dependencies)
