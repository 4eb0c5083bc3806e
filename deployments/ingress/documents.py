"""A user's documents (/v1/documents) and profile (/v1/me), kept in the store.

Every route is scoped to the caller: another user's document id answers 404, the same
as one that never existed. The profile is cached for WRITING_CACHE_TTL_USER_PROFILE_S
(the guide's 24h) and replaced in the cache when it changes.
"""

from datetime import datetime

from fastapi import APIRouter, Depends, Query, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field, model_validator

from deployments.ingress.auth import Caller, caller, require
from deployments.ingress.deps import current
from deployments.ingress.service import Ingress
from serve.errors import TextTooLong
from serve.schemas import error_responses

router = APIRouter(prefix="/v1", tags=["documents"], responses=error_responses(400, 401, 403, 404, 413, 422, 429, 503))

TITLE_CHARS = 200


class DocumentCreate(BaseModel):
    title: str = Field("Untitled", min_length=1, max_length=TITLE_CHARS)
    content: str = ""


class DocumentUpdate(BaseModel):
    model_config = {"extra": "forbid", "json_schema_extra": {"minProperties": 1}}  # what the OpenAPI document says

    title: str = Field(None, min_length=1, max_length=TITLE_CHARS)  # absent keeps it; null is not a title
    content: str = Field(None)

    @model_validator(mode="after")
    def _something(self) -> "DocumentUpdate":
        if self.title is None and self.content is None:
            raise ValueError("give a title, a content or both")
        return self


class DocumentSummary(BaseModel):
    id: str
    title: str
    chars: int
    version: int
    created_at: datetime
    updated_at: datetime


class Document(DocumentSummary):
    content: str


class DocumentPage(BaseModel):
    documents: list[DocumentSummary]
    total: int
    limit: int
    offset: int
    next_offset: int | None = None  # absent on the last page


class ProfileUpdate(BaseModel):
    display_name: str | None = Field(None, min_length=1, max_length=100)
    language: str | None = Field(None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")


class Profile(BaseModel):
    user_id: str
    display_name: str | None
    language: str
    roles: list[str]
    created_at: datetime
    updated_at: datetime
    cached: bool


def _within_limit(api: Ingress, content: str | None) -> None:
    if content is not None and len(content) > api.settings.max_document_chars:
        raise TextTooLong(f"the document has {len(content)} characters; the limit is {api.settings.max_document_chars}")


@router.post("/documents", status_code=201, response_model=Document)
async def create_document(body: DocumentCreate, api: Ingress = Depends(current), who: Caller = require("writer")) -> dict:
    _within_limit(api, body.content)
    return await api.store.create_document(who.user_id, body.title, body.content)


@router.get("/documents", response_model=DocumentPage)
async def list_documents(
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=1_000_000_000),  # the store's skip is a 32-bit count
    api: Ingress = Depends(current),
    who: Caller = require("writer"),
) -> dict:
    documents, total = await api.store.list_documents(who.user_id, limit, offset)
    following = offset + len(documents)
    return {"documents": documents, "total": total, "limit": limit, "offset": offset,
            "next_offset": following if following < total else None}


@router.get("/documents/{document_id}", response_model=Document)
async def get_document(document_id: str, api: Ingress = Depends(current), who: Caller = require("writer")) -> dict:
    return await api.store.get_document(who.user_id, document_id)


@router.put("/documents/{document_id}", response_model=Document)
async def update_document(
    document_id: str, body: DocumentUpdate, api: Ingress = Depends(current), who: Caller = require("writer")
) -> dict:
    _within_limit(api, body.content)
    return await api.store.update_document(who.user_id, document_id, body.title, body.content)


@router.delete("/documents/{document_id}", status_code=204)
async def delete_document(document_id: str, api: Ingress = Depends(current), who: Caller = require("writer")) -> Response:
    await api.store.delete_document(who.user_id, document_id)
    return Response(status_code=204)


@router.get("/me", response_model=Profile)
async def me(api: Ingress = Depends(current), who: Caller = Depends(caller)) -> dict:
    profile = await api.cache.get("userProfile", [who.user_id])
    cached = profile is not None
    if not cached:
        profile = jsonable_encoder(await api.store.profile(who.user_id))
        await api.cache.set("userProfile", [who.user_id], profile)
    return {**profile, "roles": sorted(who.roles), "cached": cached}


@router.put("/me", response_model=Profile)
async def update_me(body: ProfileUpdate, api: Ingress = Depends(current), who: Caller = Depends(caller)) -> dict:
    profile = jsonable_encoder(await api.store.update_profile(who.user_id, body.display_name, body.language))
    await api.cache.set("userProfile", [who.user_id], profile)  # the cached copy is replaced, never stale
    return {**profile, "roles": sorted(who.roles), "cached": False}
