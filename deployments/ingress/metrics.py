"""GET /v1/metrics/summary: the guide's PerformanceMetrics, across every replica on every node."""

from fastapi import APIRouter
from pydantic import BaseModel, Field

from serve import metrics
from serve.errors import Unavailable

router = APIRouter(prefix="/v1/metrics", tags=["operations"])


class ResponseTime(BaseModel):
    """Milliseconds at the ingress since the service started; null before any request."""

    p50: float | None
    p95: float | None
    p99: float | None


class Memory(BaseModel):
    """Bytes on all Ray nodes together."""

    used: int
    total: int
    percentage: float | None


class AiLatency(BaseModel):
    """Mean milliseconds each engine took to answer; null before its first call."""

    gemini: float | None
    t5: float | None
    basic: float | None


class Nodes(BaseModel):
    """Ray nodes whose metrics export answered, of all live ones."""

    scraped: int
    total: int


class PerformanceMetrics(BaseModel):
    responseTime: ResponseTime
    memory: Memory
    aiLatency: AiLatency
    cacheHitRate: float | None = Field(description="Cache hits over lookups, all ingress replicas; null before any lookup.")
    requests: int = Field(description="Requests answered, all ingress replicas.")
    nodes: Nodes


@router.get("/summary", response_model=PerformanceMetrics)
async def summary() -> dict:
    answer = await metrics.summary()
    if not answer["nodes"]["scraped"]:
        raise Unavailable("no Ray node's metrics export answered", retry_after=15)
    return answer
