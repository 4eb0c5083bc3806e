"""The analytics event of a writing request: `track(request, "suggestions", result, cached)`
once the answer is known, in a route behind `require(...)`. Recording only queues the
event (serve/analytics.py); the store is written off the request path."""

import time

from fastapi import Request

from deployments.ingress.service import Ingress
from serve.logging import annotate


def track(request: Request, api: Ingress, endpoint: str, result: dict, cached: bool) -> None:
    who = request.state.caller
    annotate(engine=result.get("engine"), cached=cached)  # for the access log line
    api.events.record(who.user_id, endpoint, result.get("engine"), (time.perf_counter() - request.state.started) * 1000, cached)
