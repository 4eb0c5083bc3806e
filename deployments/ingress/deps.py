"""Per-request dependencies: the replica's Ingress, the request id, text limits.

(No `from __future__ import annotations`: FastAPI must see the real body model.)
"""


import uuid

from fastapi import Depends, Request
from ray import serve

from deployments.ingress.service import Ingress


async def current() -> Ingress:
    """This replica's Ingress (tests without Serve override this dependency).

    Dependencies here are `async def`: FastAPI runs a plain `def` one on its thread
    pool, a thread hop per request for a lookup."""
    return serve.get_replica_context().servable_object


def ingress_of(app) -> Ingress:
    """This replica's Ingress outside a route (middlewares), honouring a test's override of `current`."""
    override = app.dependency_overrides.get(current)
    return override() if override else serve.get_replica_context().servable_object


def request_id(request: Request) -> str:
    """Serve's proxy puts the caller's X-Request-ID (or a new id) on the request and
    echoes it on the response, so the ingress only reads it."""
    if not hasattr(request.state, "request_id"):
        request.state.request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
    return request.state.request_id


async def the_request_id(request: Request) -> str:
    return request_id(request)


def within_limits(model: type):
    """A body of `model` whose `text` is within the configured size (413 past it)."""

    async def body_within_limits(body: model, api: Ingress = Depends(current)) -> model:  # type: ignore[valid-type]
        api.check_length(body.text)
        return body

    return Depends(body_within_limits)
