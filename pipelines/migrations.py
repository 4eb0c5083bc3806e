"""Schema migrations and the database check (`python -m serve migrate`, `python -m serve db verify`).

Migrations are numbered steps, each recorded in the `migrations` collection when done.
A run applies the steps not yet recorded, in order. Two runs at once are safe: a step
is claimed by inserting its record (the `_id` is the version, so only one insert wins);
the other run waits for the claim to finish, and takes over a claim left unfinished by
a run that died. Every step is idempotent, so taking over repeats nothing harmful.

Indexes, the retention TTLs among them, are declared here (`declared_indexes`) and synced
at the end of every run, so changing a retention setting and migrating again moves the TTL.
"""

from __future__ import annotations

import asyncio
import os
import socket
from dataclasses import dataclass
from datetime import timedelta
from typing import Awaitable, Callable

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import CollectionInvalid, DuplicateKeyError

from serve.settings import Settings
from serve.store import API_KEYS, DOCUMENTS, EVENTS, MIGRATIONS, USERS, Store, StoreUnavailable, now, reachable

DAY_S = 86_400
STALE_CLAIM = timedelta(minutes=10)  # a claim this old and unfinished belongs to a run that died
WAIT_S = 120.0


@dataclass(frozen=True)
class Index:
    collection: str
    keys: tuple[tuple[str, int], ...]
    name: str
    unique: bool = False
    ttl_s: int | None = None

    def spec(self) -> dict:
        return {"keys": list(self.keys), "unique": self.unique, "ttl_s": self.ttl_s}


def declared_indexes(settings: Settings) -> list[Index]:
    return [
        Index(DOCUMENTS, (("owner", 1), ("updated_at", -1)), "owner_recent"),
        # Retention: a document goes 90 days after its last change, an event 30 days after it happened.
        Index(DOCUMENTS, (("updated_at", 1),), "retention_ttl", ttl_s=settings.retention_user_content_days * DAY_S),
        Index(EVENTS, (("created_at", 1),), "retention_ttl", ttl_s=settings.retention_analytics_days * DAY_S),
        Index(EVENTS, (("user", 1), ("created_at", -1)), "user_recent"),
        Index(API_KEYS, (("hash", 1),), "hash_unique", unique=True),
        Index(API_KEYS, (("user", 1),), "user"),
    ]


async def _collections(db: AsyncDatabase, settings: Settings) -> None:
    for name in (USERS, API_KEYS, DOCUMENTS, EVENTS):
        try:
            await db.create_collection(name)
        except CollectionInvalid:
            pass  # already there


async def _indexes(db: AsyncDatabase, settings: Settings) -> None:
    await sync_indexes(db, settings)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[AsyncDatabase, Settings], Awaitable[None]]


MIGRATIONS_LIST = [
    Migration(1, "collections: users, api_keys, documents, events", _collections),
    Migration(2, "indexes: owner listing, retention TTLs, API key lookup", _indexes),
]
LATEST = MIGRATIONS_LIST[-1].version


async def existing_indexes(db: AsyncDatabase, collection: str) -> dict[str, dict]:
    found = {}
    async for index in await db[collection].list_indexes():
        found[index["name"]] = {"keys": [(k, int(v)) for k, v in index["key"].items()], "unique": bool(index.get("unique")),
                                "ttl_s": index.get("expireAfterSeconds")}
    return found


async def sync_indexes(db: AsyncDatabase, settings: Settings) -> list[str]:
    """Create the declared indexes that are missing, rebuild those that differ; say what changed."""
    changed = []
    for index in declared_indexes(settings):
        have = (await existing_indexes(db, index.collection)).get(index.name)
        if have == index.spec():
            continue
        if have is not None:  # collMod is not on every server: drop and build again
            await db[index.collection].drop_index(index.name)
        options = {"expireAfterSeconds": index.ttl_s} if index.ttl_s is not None else {}
        await db[index.collection].create_index(list(index.keys), name=index.name, unique=index.unique, **options)
        changed.append(f"{'rebuilt' if have else 'created'} {index.collection}.{index.name}")
    return changed


async def _claim(db: AsyncDatabase, migration: Migration) -> bool:
    """True when this run should apply the step; False once another run has finished it."""
    record = {"_id": migration.version, "name": migration.name, "state": "applying", "started_at": now(),
              "by": f"{socket.gethostname()}:{os.getpid()}"}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_S
    while True:
        try:
            await db[MIGRATIONS].insert_one(record)
            return True
        except DuplicateKeyError:
            pass
        held = await db[MIGRATIONS].find_one({"_id": migration.version})
        if held is None:
            continue  # a stale claim was just released: try again
        if held["state"] == "done":
            return False
        if now() - held["started_at"] > STALE_CLAIM:
            taken = await db[MIGRATIONS].find_one_and_update(
                {"_id": migration.version, "state": "applying", "started_at": held["started_at"]},
                {"$set": {"started_at": now(), "by": record["by"]}},
            )
            if taken is not None:
                return True
        if loop.time() > deadline:
            raise TimeoutError(f"migration {migration.version} has been applying since {held['started_at']} by {held['by']}")
        await asyncio.sleep(0.2)


async def migrate(settings: Settings, report: Callable[[str], None] = print) -> list[int]:
    """Apply the steps not yet recorded; return the versions this run applied."""
    db = Store(settings).db
    applied = []
    async with reachable("the migrations did not run"):
        for migration in MIGRATIONS_LIST:
            if not await _claim(db, migration):
                continue
            await migration.apply(db, settings)
            await db[MIGRATIONS].update_one({"_id": migration.version}, {"$set": {"state": "done", "finished_at": now()}})
            applied.append(migration.version)
            report(f"applied {migration.version}: {migration.name}")
        for change in await sync_indexes(db, settings):
            report(change)
    report(f"database at version {LATEST}" + ("" if applied else " (nothing to apply)"))
    await db.client.close()
    return applied


async def verify(settings: Settings) -> list[str]:
    """What is wrong with the database, as sentences (empty when all is well): migrations
    recorded, every declared index and TTL in place, and a sealed document round trip."""
    store = Store(settings)
    problems = []
    try:
        await store.ping()
        done = {r["_id"] async for r in store.db[MIGRATIONS].find({"state": "done"})}
        missing = [m.version for m in MIGRATIONS_LIST if m.version not in done]
        if missing:
            problems.append(f"migrations {missing} are not applied: run `python -m serve migrate`")
        for index in declared_indexes(settings):
            have = (await existing_indexes(store.db, index.collection)).get(index.name)
            if have is None:
                problems.append(f"index {index.collection}.{index.name} is missing: run `python -m serve migrate`")
            elif have != index.spec():
                problems.append(f"index {index.collection}.{index.name} is {have}, declared {index.spec()}: run `python -m serve migrate`")
        problems += await _round_trip(store)
    except StoreUnavailable as exc:
        problems.append(str(exc))
    finally:
        await store.close()
    return problems


async def _round_trip(store: Store) -> list[str]:
    owner, text = "db-verify", f"round trip at {now().isoformat()}"
    saved = await store.create_document(owner, "verify", text)
    try:
        raw = await store.db[DOCUMENTS].find_one({"_id": saved["id"]})
        if text.encode() in repr(raw).encode():
            return ["a saved document's content is stored in plaintext"]
        if (await store.get_document(owner, saved["id"]))["content"] != text:
            return ["a saved document did not read back the same"]
        return []
    finally:
        await store.delete_document(owner, saved["id"])
