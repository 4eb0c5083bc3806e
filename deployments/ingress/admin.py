"""Administration: API keys (issue, list, revoke) and the response cache. Every route
needs the `admin` role."""

from typing import Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from deployments.ingress.auth import require
from deployments.ingress.deps import current
from deployments.ingress.service import Ingress
from serve.schemas import error_responses

router = APIRouter(prefix="/v1/admin", tags=["admin"], dependencies=[require("admin")], responses=error_responses(401, 403, 429))


class NewKey(BaseModel):
    model_config = {"extra": "forbid", "strict": True, "regex_engine": "python-re"}  # the same `\S` the schema's readers use

    user: str = Field(min_length=1, max_length=200, pattern=r"\S", description="the key's owner")
    roles: list[Literal["writer", "admin"]] = Field(min_length=1, max_length=2, description="writer: the writing and document routes; admin: /v1/admin/*")


class KeyInfo(BaseModel):
    id: str
    user: str
    roles: list[str]
    created: str
    last_used: str | None
    revoked: str | None


class IssuedKey(KeyInfo):
    key: str = Field(description="the key itself: shown this once, stored only as a keyed hash")


class KeyList(BaseModel):
    keys: list[KeyInfo]


class CacheCleared(BaseModel):
    cleared: int = Field(description="entries removed (this replica's, or Redis's when the cache is shared)")


@router.post("/keys", status_code=201, response_model=IssuedKey, responses=error_responses(400, 422))
async def issue_key(body: NewKey, api: Ingress = Depends(current)) -> dict:
    record, key = await api.keys.create(body.user, body.roles)
    return {**record.public(), "key": key}


@router.get("/keys", response_model=KeyList)
async def list_keys(api: Ingress = Depends(current)) -> dict:
    return {"keys": [record.public() for record in await api.keys.list()]}


@router.delete("/keys/{key_id}", response_model=KeyInfo, responses=error_responses(404))
async def revoke_key(key_id: str, api: Ingress = Depends(current)) -> dict:
    return (await api.keys.revoke(key_id)).public()


@router.delete("/cache", response_model=CacheCleared)
async def clear_cache(api: Ingress = Depends(current)) -> dict:
    return {"cleared": await api.cache.clear()}
