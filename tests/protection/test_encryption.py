"""Encryption at rest on the real wire server: no plaintext stored, tampering detected,
rotation moves every record to the newest key while old records keep reading."""

from __future__ import annotations

import bson
import pytest
from pymongo import MongoClient
from rich.progress import Progress

from pipelines.reencrypt import key_usage, reencrypt
from serve.crypto import KeyRing, KeyRingError, SealedDataError, context

pytestmark = pytest.mark.anyio
SEALED = {"documents": ("title", "content")}


def texts(n: int) -> list[tuple[str, str]]:
    return [(f"Draft {i}", f"Confidential paragraph number {i} about the merger.") for i in range(n)]


async def seed(db, ring: KeyRing, items: list[tuple[str, str]], start: int = 0) -> None:
    await db.documents.insert_many([
        {"_id": doc_id(start + i), "title": ring.seal(title, context("documents", doc_id(start + i), "title")),
         "content": ring.seal(content, context("documents", doc_id(start + i), "content"))}
        for i, (title, content) in enumerate(items)
    ])


def doc_id(n: int) -> str:
    return f"doc-{n:04d}"


async def read_all(db, ring: KeyRing) -> list[tuple[str, str]]:
    return [(ring.open(d["title"], context("documents", d["_id"], "title")), ring.open(d["content"], context("documents", d["_id"], "content")))
            async for d in db.documents.find().sort("_id", 1)]


async def test_a_raw_read_shows_no_plaintext(db, ring):
    await seed(db, ring, texts(3))
    raw = b"".join([bson.encode(d) async for d in db.documents.find()])
    assert b"Confidential" not in raw and b"Draft" not in raw
    assert await read_all(db, ring) == texts(3)


async def test_a_tampered_ciphertext_fails_loudly(db, ring):
    await seed(db, ring, texts(2))
    stored = await db.documents.find_one({"_id": doc_id(0)})
    flipped = bytes([stored["content"]["ct"][0] ^ 0x01]) + stored["content"]["ct"][1:]
    await db.documents.update_one({"_id": doc_id(0)}, {"$set": {"content.ct": flipped}})
    tampered = await db.documents.find_one({"_id": doc_id(0)})
    with pytest.raises(SealedDataError, match="documents:doc-0000:content failed authentication"):
        ring.open(tampered["content"], context("documents", doc_id(0), "content"))
    other = await db.documents.find_one({"_id": doc_id(1)})  # a ciphertext copied onto another record
    with pytest.raises(SealedDataError, match="documents:doc-0000:content"):
        ring.open(other["content"], context("documents", doc_id(0), "content"))


async def test_rotation_reencrypts_everything_and_old_records_read_meanwhile(db, ring):
    await seed(db, ring, texts(60))
    old_key = ring.current.id
    rotated = ring.with_new_key()
    rotated.save()
    rotated = KeyRing.from_file(ring.source)
    await seed(db, rotated, [("New", "Written after the rotation.")], start=60)
    assert await read_all(db, rotated) == [*texts(60), ("New", "Written after the rotation.")]  # both keys open
    assert await key_usage(db, rotated, SEALED) == {old_key: 120, rotated.current.id: 2}

    report = await reencrypt(db, rotated, SEALED, batch_size=25)

    assert report.moved == {"documents.title": 60, "documents.content": 60} and not report.failed
    assert report.usage == {old_key: 0, rotated.current.id: 122} and report.retirable == [old_key]
    assert await db.documents.count_documents({"content.kid": old_key}) == 0
    assert await read_all(db, rotated.without(old_key)) == [*texts(60), ("New", "Written after the rotation.")]


class Interrupted(Progress):
    """A progress bar whose operator presses Ctrl-C after the first batch."""

    def advance(self, task_id, advance=1):
        super().advance(task_id, advance)
        raise KeyboardInterrupt


async def test_reencryption_cut_short_continues_where_it_stopped(db, ring):
    await seed(db, ring, texts(30))
    rotated = ring.with_new_key()
    with pytest.raises(KeyboardInterrupt):
        await reencrypt(db, rotated, SEALED, batch_size=10, progress=Interrupted(disable=True))
    assert await db.documents.count_documents({"title.kid": rotated.current.id}) == 10
    report = await reencrypt(db, rotated, SEALED, batch_size=10)
    assert report.moved == {"documents.title": 20, "documents.content": 30}
    assert report.retirable == [ring.current.id]
    assert await read_all(db, rotated) == texts(30)


async def test_a_value_that_will_not_open_is_reported_and_left_alone(db, ring):
    await seed(db, ring, texts(3))
    await db.documents.update_one({"_id": doc_id(1)}, {"$set": {"title.ct": b"garbage"}})
    rotated = ring.with_new_key()
    report = await reencrypt(db, rotated, SEALED)
    assert report.moved["documents.title"] == 2 and len(report.failed) == 1 and "documents:doc-0001:title" in report.failed[0]
    assert report.usage[ring.current.id] == 1 and report.retirable == []  # the old key stays until it is sorted out


class RacingRing(KeyRing):
    """A ring whose reseal of one record lets a writer save that record first, as a user
    saving a document while the job runs would."""

    def __init__(self, ring: KeyRing, uri: str, database: str, racing_id: str):
        super().__init__(list(ring.keys.values()), ring.source)
        self.uri, self.database, self.racing_id = uri, database, racing_id

    def reseal(self, sealed: dict, context_: str) -> dict:
        if context_ == context("documents", self.racing_id, "content"):
            saved = self.seal("Saved by the writer meanwhile.", context_)
            with MongoClient(self.uri) as client:
                client[self.database].documents.update_one({"_id": self.racing_id}, {"$set": {"content": saved}})
        return super().reseal(sealed, context_)


async def test_a_record_saved_during_reencryption_keeps_what_its_writer_saved(db, ring, mongo):
    await seed(db, ring, texts(3))
    racing = RacingRing(ring.with_new_key(), mongo.uri, db.name, doc_id(1))
    report = await reencrypt(db, racing, SEALED)
    assert report.moved == {"documents.title": 3, "documents.content": 2}
    assert (await read_all(db, racing))[1] == ("Draft 1", "Saved by the writer meanwhile.")
    assert report.retirable == [ring.current.id]


def test_production_refuses_to_start_without_configured_keys(monkeypatch, tmp_path):
    from serve.settings import Settings

    with pytest.raises(KeyRingError, match="NODE_ENV=production needs data keys"):
        KeyRing.from_settings(Settings(node_env="production"))
    monkeypatch.setattr("serve.crypto.LOCAL_KEYS_FILE", tmp_path / "var" / "data-keys.json")
    first = KeyRing.from_settings(Settings())
    assert (tmp_path / "var" / "data-keys.json").stat().st_mode & 0o777 == 0o600
    assert KeyRing.from_settings(Settings()).current.id == first.current.id  # made once, then reused
    with pytest.raises(KeyRingError, match="not a data key ring"):
        KeyRing.from_settings(Settings(data_keys='{"keys": "nope"}'))


def test_rotation_is_due_once_the_newest_key_outlives_the_period(ring):
    from datetime import datetime, timedelta, timezone

    created = datetime.fromisoformat(ring.current.created)
    assert not ring.rotation_due(90, now=created + timedelta(days=89))
    assert ring.rotation_due(90, now=created + timedelta(days=91))
    assert not ring.with_new_key().rotation_due(90, now=datetime.now(timezone.utc))
