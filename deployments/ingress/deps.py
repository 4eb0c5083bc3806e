"""The replica's Ingress (the `current` dependency, or `ingress_of` where a dependency
would cost a resolution per request on a hot route), and the request id."""


import uuid

from fastapi import Request
from ray import serve

from deployments.ingress.service import Ingress


async def current() -> Ingress:
    """This replica's Ingress (tests without Serve override this dependency).

    Dependencies here are `async def`: FastAPI runs a plain `def` one on its thread
    pool, a thread hop per request for a lookup."""
    return serve.get_replica_context().servable_object


def ingress_of(app) -> Ingress:
    """This replica's Ingress from the app (middlewares, hot routes), honouring a test's override of `current`."""
    override = app.dependency_overrides.get(current)
    return override() if override else serve.get_replica_context().servable_object


def request_id(request: Request) -> str:
    """Serve's proxy puts the caller's X-Request-ID (or a new id) on the request and
    echoes it on the response, so the ingress only reads it."""
    if not hasattr(request.state, "request_id"):
        request.state.request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
    return request.state.request_id
