"""The analytics event of a writing request: `track = tracked("suggestions")` as a route
parameter, then `track(result, cached)` once the answer is known. Recording only queues
the event (serve/analytics.py); the store is written off the request path."""

import time
from typing import Callable

from fastapi import Depends

from deployments.ingress.auth import Caller, caller
from deployments.ingress.deps import current
from deployments.ingress.service import Ingress
from serve.logging import annotate

Track = Callable[[dict, bool], None]


def tracked(endpoint: str):
    async def recorder(api: Ingress = Depends(current), who: Caller = Depends(caller)) -> Track:
        started = time.perf_counter()

        def track(result: dict, cached: bool) -> None:
            annotate(userId=who.user_id, engine=result.get("engine"), cached=cached)  # for the access log line
            api.events.record(who.user_id, endpoint, result.get("engine"), (time.perf_counter() - started) * 1000, cached)

        return track

    return Depends(recorder)
