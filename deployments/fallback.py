"""FallbackMode: the guide's switches for degraded service, shared by every replica.

The operator's switches (`useCache`, `basicMode`, `skipAI`, `maxRetries`) and the
serve command's `draining` flag are one small piece of run-time state. It lives in
Redis when REDIS_URL is set, else in the `Fallback` deployment (one replica that
holds it). Replicas read it in the background every `status_interval_s`, so the
request path never waits on it. When the place it lives cannot be reached, a
replica keeps its last known state (and any change made meanwhile) with a warning,
and pushes a pending change once the place answers again.
"""

from __future__ import annotations

import asyncio
import json
import time

from pydantic import BaseModel, Field, field_validator
from ray.serve.handle import DeploymentHandle

from serve import metrics
from serve.logging import get_logger
from serve.settings import Settings


class FallbackMode(BaseModel):
    """The guide's FallbackMode interface, with its names on the wire."""

    model_config = {"extra": "forbid", "populate_by_name": True}

    use_cache: bool = Field(False, alias="useCache", description="Serve a cached answer past its TTL when engines fail.")
    basic_mode: bool = Field(False, alias="basicMode", description="Route all work to the offline rule engine.")
    skip_ai: bool = Field(False, alias="skipAI", description="Never call Gemini or T5: suggestions from the rules, rewrites refused.")
    max_retries: int = Field(2, alias="maxRetries", ge=0, le=10, description="Retries of a transient engine failure.")

    def wire(self) -> dict:
        return self.model_dump(by_alias=True)


class FallbackChange(BaseModel):
    """PUT /v1/admin/fallback's body: the switches to change; the rest keep their value."""

    model_config = {"extra": "forbid", "populate_by_name": True, "strict": True}  # `false` is not a retry count

    use_cache: bool | None = Field(None, alias="useCache")
    basic_mode: bool | None = Field(None, alias="basicMode")
    skip_ai: bool | None = Field(None, alias="skipAI")
    max_retries: int | None = Field(None, alias="maxRetries", ge=0, le=10)

    @field_validator("max_retries", mode="before")
    @classmethod
    def _whole_number(cls, value):
        """JSON's 7.0 is the integer 7 (as JSON Schema says); strict mode alone would refuse it."""
        return int(value) if isinstance(value, float) and value.is_integer() else value


DEFAULT_STATE = {"mode": FallbackMode().wire(), "draining": False}


class Fallback:
    """The Serve deployment that holds the state when there is no Redis (one replica).
    A restarted replica knows nothing (None) until a replica pushes its copy back."""

    def __init__(self, settings: Settings):
        self._state: dict | None = None

    def get(self) -> dict | None:
        return self._state

    def put(self, state: dict, replace: bool = True) -> dict:
        """Store `state`; with `replace` False only if nothing is held (a replica repopulating)."""
        if replace or self._state is None:
            self._state = state
        return self._state


class _RedisPlace:
    key = "writing:fallback"

    def __init__(self, url: str):
        import redis.asyncio as redis

        self.name = "redis"
        self._redis = redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)

    async def get(self) -> dict | None:
        raw = await self._redis.get(self.key)
        return json.loads(raw) if raw else None

    async def put(self, state: dict, replace: bool = True) -> None:
        await self._redis.set(self.key, json.dumps(state), nx=not replace)


class _HeldPlace:
    def __init__(self, handle: DeploymentHandle):
        self.name = "Fallback deployment"
        self._handle = handle

    async def get(self) -> dict | None:
        return await asyncio.wait_for(self._handle.get.remote(), 2.0)

    async def put(self, state: dict, replace: bool = True) -> None:
        await asyncio.wait_for(self._handle.put.remote(state, replace), 2.0)


class SharedState:
    """A replica's view of the shared state: read without waiting, refreshed in the background."""

    def __init__(self, settings: Settings, holder: DeploymentHandle | None):
        self._log = get_logger(settings)
        self._interval_s = settings.status_interval_s
        self._place = _RedisPlace(settings.redis_url) if settings.redis_url else _HeldPlace(holder) if holder else None
        self._state = dict(DEFAULT_STATE)
        self._published: dict | None = None
        self._pending = False  # changed here while the place was unreachable: push when it answers
        self.shared = self._place is not None
        self._at = float("-inf")
        self._refreshing: asyncio.Task | None = None

    @property
    def mode(self) -> FallbackMode:
        self._refresh_soon()
        return FallbackMode(**self._state["mode"])

    @property
    def draining(self) -> bool:
        self._refresh_soon()
        return self._state["draining"]

    def effective(self, open_circuits: list[str]) -> FallbackMode:
        """The operator's switches, with useCache on while any engine's circuit is open (published as a metric)."""
        mode = self.mode
        switches = {"useCache": mode.use_cache, "basicMode": mode.basic_mode, "skipAI": mode.skip_ai, "auto": bool(open_circuits)}
        if switches != self._published:
            for switch, on in switches.items():
                metrics.fallback_active(switch, on)
            self._published = switches
        return mode.model_copy(update={"use_cache": True}) if open_circuits else mode

    async def current(self) -> dict:
        """The state read now, not the background copy (for the admin routes)."""
        await self.refresh()
        return self._state

    async def update(self, mode: FallbackMode | None = None, draining: bool | None = None) -> dict:
        """Change the mode or the draining flag, leaving the other as it is where the state lives."""
        await self.refresh()
        if mode is not None:
            self._state = {**self._state, "mode": mode.wire()}
        if draining is not None:
            self._state = {**self._state, "draining": draining}
        self._pending = True
        await self.refresh()
        return self._state

    async def refresh(self) -> None:
        if self._place is None:
            return
        try:
            if self._pending:  # a change made here: it wins
                await self._place.put(self._state)
                self._pending = False
            held = await self._place.get()
            if held is None:  # the place lost the state (restarted): this copy, unless another replica's came first
                await self._place.put(self._state, replace=False)
                held = await self._place.get()
            self._state = {**DEFAULT_STATE, **held}
            if not self.shared:
                self._log.warning("fallback state: %s answers again; the state is shared again", self._place.name)
            self.shared = True
        except Exception as exc:
            if self.shared:
                self._log.warning("fallback state: %s is unreachable (%s); this replica keeps its own copy", self._place.name, exc)
            self.shared = False
        self._at = time.monotonic()

    def _refresh_soon(self) -> None:
        stale = time.monotonic() - self._at > self._interval_s
        if stale and self._place is not None and (self._refreshing is None or self._refreshing.done()):
            try:
                self._refreshing = asyncio.get_running_loop().create_task(self.refresh())
            except RuntimeError:  # no loop: read outside a request (tests); the next request refreshes
                pass
