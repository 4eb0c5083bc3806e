"""The one store: MongoDB through pymongo's async API (`AsyncMongoClient`), from MONGODB_URI.

Collections: users (profiles), api_keys, documents, events (analytics), migrations.
Indexes are declared in pipelines/migrations.py and created by `python -m serve migrate`.

Every user text (document titles and contents, display names) is stored sealed with
the data key ring (serve/crypto.py), bound to its record by `context(collection, _id,
field)`: the collection never holds plaintext, and a ciphertext moved to another record
fails to open. Every document query carries the owner, so another user's id reads as
missing. When the database cannot be reached, calls raise `Unavailable` (a 503 with
Retry-After): nothing answers as stored that was not.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from datetime import datetime, timezone

from bson import ObjectId
from pymongo import AsyncMongoClient, DESCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, ConnectionFailure, DuplicateKeyError

from serve.crypto import KeyRing, context
from serve.errors import NotFound, Unavailable
from serve.settings import Settings

DATABASE = "writing"  # when MONGODB_URI names none
USERS, API_KEYS, DOCUMENTS, EVENTS, MIGRATIONS = "users", "api_keys", "documents", "events", "migrations"
SEALED_FIELDS: dict[str, tuple[str, ...]] = {DOCUMENTS: ("title", "content"), USERS: ("display_name",)}
RETRY_AFTER_S = 5
_NEW_PROFILE = {"display_name": None, "language": "en"}


class StoreUnavailable(Unavailable):
    code = "store_unavailable"


def now() -> datetime:
    """Mongo keeps milliseconds: round here so what is returned equals what is stored."""
    t = datetime.now(timezone.utc)
    return t.replace(microsecond=t.microsecond // 1000 * 1000)


def connect(settings: Settings) -> AsyncDatabase:
    """The configured database (MONGODB_URI's path names it, else `writing`), with short
    timeouts so an unreachable server turns into a prompt 503, not a hung request."""
    if not settings.mongodb_uri:
        raise StoreUnavailable("MONGODB_URI is not set (`python -m serve run` starts the embedded server and sets it)", 60)
    timeout_ms = int(settings.mongodb_timeout_s * 1000)
    client = AsyncMongoClient(
        settings.mongodb_uri,
        tz_aware=True,
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        socketTimeoutMS=timeout_ms * 5,
        appname="writing-service",
    )
    return client.get_default_database(DATABASE)


@asynccontextmanager
async def reachable(what: str):
    """Connection failures as a 503 with Retry-After (server errors stay errors)."""
    try:
        yield
    except ConnectionFailure as exc:
        raise StoreUnavailable(f"the database is unreachable; {what} ({type(exc).__name__})", RETRY_AFTER_S) from None


class Store:
    """Typed access to the collections. The client is made on first use, on the event loop
    that uses it, so a service starts (and answers what needs no database) while MongoDB is down."""

    def __init__(self, settings: Settings, ring: KeyRing | None = None):
        self.settings = settings
        self.ring = ring or KeyRing.from_settings(settings)
        self._db: AsyncDatabase | None = None

    @property
    def configured(self) -> bool:
        return bool(self.settings.mongodb_uri)

    @property
    def db(self) -> AsyncDatabase:
        if self._db is None:
            self._db = connect(self.settings)
        return self._db

    async def close(self) -> None:
        if self._db is not None:
            await self._db.client.close()
            self._db = None

    async def ping(self) -> bool:
        async with reachable("the ping was not answered"):
            return (await self.db.command("ping"))["ok"] == 1

    # Sealing ---------------------------------------------------------------------------

    def _seal(self, collection: str, record_id: str, fields: dict) -> dict:
        return {name: self.ring.seal(value, context(collection, record_id, name)) for name, value in fields.items()}

    def _open(self, collection: str, record: dict) -> dict:
        opened = dict(record)
        for name in SEALED_FIELDS[collection]:
            if record.get(name) is not None:
                opened[name] = self.ring.open(record[name], context(collection, record["_id"], name))
        return opened

    # Documents ---------------------------------------------------------------------------

    async def create_document(self, owner: str, title: str, content: str) -> dict:
        record_id, at = str(ObjectId()), now()
        record = {"_id": record_id, "owner": owner, **self._seal(DOCUMENTS, record_id, {"title": title, "content": content}),
                  "chars": len(content), "version": 1, "created_at": at, "updated_at": at}
        async with reachable("the document was not saved"):
            await self.db[DOCUMENTS].insert_one(record)
        return _document(self._open(DOCUMENTS, record))

    async def get_document(self, owner: str, record_id: str) -> dict:
        async with reachable("the document could not be read"):
            record = await self.db[DOCUMENTS].find_one({"_id": record_id, "owner": owner})
        if record is None:
            raise NotFound(f"no document {record_id!r}")
        return _document(self._open(DOCUMENTS, record))

    async def list_documents(self, owner: str, limit: int, offset: int) -> tuple[list[dict], int]:
        """A page of the owner's documents, most recently changed first (titles, no contents),
        and how many they have."""
        query = {"owner": owner}
        async with reachable("the documents could not be listed"):
            cursor = self.db[DOCUMENTS].find(query, {"content": 0}).sort([("updated_at", DESCENDING), ("_id", DESCENDING)])
            records, total = await asyncio.gather(cursor.skip(offset).limit(limit).to_list(), self.db[DOCUMENTS].count_documents(query))
        return [_document(self._open(DOCUMENTS, record)) for record in records], total

    async def update_document(self, owner: str, record_id: str, title: str | None, content: str | None) -> dict:
        changes = {name: value for name, value in (("title", title), ("content", content)) if value is not None}
        sealed = self._seal(DOCUMENTS, record_id, changes)
        if content is not None:
            sealed["chars"] = len(content)
        async with reachable("the document was not saved"):
            record = await self.db[DOCUMENTS].find_one_and_update(
                {"_id": record_id, "owner": owner},
                {"$set": {**sealed, "updated_at": now()}, "$inc": {"version": 1}},
                return_document=ReturnDocument.AFTER,
            )
        if record is None:
            raise NotFound(f"no document {record_id!r}")
        return _document(self._open(DOCUMENTS, record))

    async def delete_document(self, owner: str, record_id: str) -> None:
        async with reachable("the document was not deleted"):
            result = await self.db[DOCUMENTS].delete_one({"_id": record_id, "owner": owner})
        if result.deleted_count == 0:
            raise NotFound(f"no document {record_id!r}")

    # Users ---------------------------------------------------------------------------------

    async def profile(self, user_id: str) -> dict:
        """The user's profile, made on first sight."""
        at = now()
        async with reachable("the profile could not be read"):
            record = await self.db[USERS].find_one_and_update(
                {"_id": user_id},
                {"$setOnInsert": {**_NEW_PROFILE, "created_at": at, "updated_at": at}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        return _profile(self._open(USERS, record))

    async def update_profile(self, user_id: str, display_name: str | None, language: str | None) -> dict:
        changes: dict = self._seal(USERS, user_id, {"display_name": display_name}) if display_name is not None else {}
        if language is not None:
            changes["language"] = language
        at = now()
        async with reachable("the profile was not saved"):
            record = await self.db[USERS].find_one_and_update(
                {"_id": user_id},
                {"$set": {**changes, "updated_at": at},
                 "$setOnInsert": {key: value for key, value in _NEW_PROFILE.items() if key not in changes} | {"created_at": at}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        return _profile(self._open(USERS, record))

    # Analytics -----------------------------------------------------------------------------

    async def insert_events(self, events: list[dict]) -> None:
        """Each event carries its own `_id`, so a batch retried after a partial write
        stores every event once."""
        try:
            async with reachable("the events were not written"):
                await self.db[EVENTS].insert_many(events, ordered=False)
        except BulkWriteError as exc:
            if any(error.get("code") != 11000 for error in exc.details.get("writeErrors", [])):
                raise
        except DuplicateKeyError:
            pass


def _document(record: dict) -> dict:
    return {
        "id": record["_id"],
        "title": record["title"],
        **({"content": record["content"]} if "content" in record else {}),
        "chars": record.get("chars", 0),
        "version": record["version"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
    }


def _profile(record: dict) -> dict:
    return {key: record[key] for key in ("display_name", "language", "created_at", "updated_at")} | {"user_id": record["_id"]}
