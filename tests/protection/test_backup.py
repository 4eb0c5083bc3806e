"""Backups on the real wire server: backup -> drop -> restore gives the same documents,
field by field; a damaged backup is refused before anything is written."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import bson
import pytest
from bson import Binary, Decimal128, Int64, ObjectId

from pipelines.backup import MANIFEST, RAW, BackupError, backup, restore, sha256_file
from serve.crypto import context

pytestmark = pytest.mark.anyio


async def seed(db, ring) -> dict[str, list[dict]]:
    """Documents with sealed fields and every kind of value a restore could bend."""
    now = datetime(2026, 11, 25, 12, 0, 0, 123000, tzinfo=timezone.utc)
    documents = []
    for i in range(25):
        doc_id = ObjectId()
        documents.append({
            "_id": doc_id, "owner": f"user-{i % 3}", "updated_at": now - timedelta(days=i),
            "title": ring.seal(f"Title {i}", context("documents", doc_id, "title")),
            "content": ring.seal(f"Body {i} ünïcödé", context("documents", doc_id, "content")),
            "words": Int64(1000 + i), "score": Decimal128(Decimal("0.25")), "tags": ["a", {"nested": [1, 2.5, None]}],
            "blob": Binary(b"\x00\xff" * i, 4 if i % 2 else 0), "flag": i % 2 == 0,
        })
    events = [{"_id": f"evt-{i}", "endpoint": "/v1/check", "latency_ms": 12.5 * i, "created_at": now} for i in range(40)]
    await db.documents.insert_many(documents)
    await db.documents.create_index([("owner", 1), ("updated_at", -1)], name="owner_recent")
    await db.documents.create_index("updated_at", name="retention", expireAfterSeconds=90 * 86400)
    await db.events.insert_many(events)
    await db.events.create_index("created_at", name="retention", expireAfterSeconds=30 * 86400)
    return {"documents": documents, "events": events}


async def snapshot(db) -> dict:
    """Every collection's documents (raw BSON bytes, in _id order) and index specs."""
    out = {}
    for name in sorted(await db.list_collection_names()):
        raw = db.get_collection(name, codec_options=RAW)
        indexes = [(ix["name"], tuple(ix["key"].items()), ix.get("expireAfterSeconds")) async for ix in await db[name].list_indexes()]
        out[name] = {"documents": [doc.raw async for doc in raw.find().sort("_id", 1)], "indexes": sorted(indexes)}
    return out


async def test_backup_drop_restore_gives_identical_documents(db, ring, tmp_path):
    seeded = await seed(db, ring)
    before = await snapshot(db)
    manifest = await backup(db, tmp_path / "backup")
    assert manifest["collections"] == {"events": {"documents": 40}, "documents": {"documents": 25}}
    assert sorted(p.name for p in (tmp_path / "backup" / db.name).iterdir()) == [
        "documents.bson", "documents.metadata.json", "events.bson", "events.metadata.json"]
    assert b"Body" not in (tmp_path / "backup" / db.name / "documents.bson").read_bytes()  # still sealed

    await db.client.drop_database(db.name)
    report = await restore(db, tmp_path / "backup", "drop")

    assert report.inserted == {"events": 40, "documents": 25}
    assert await snapshot(db) == before
    for original in seeded["documents"]:  # and field by field, as any reader decodes them
        expected = bson.decode(bson.encode(original))
        restored = await db.documents.find_one({"_id": original["_id"]})
        assert list(restored) == list(expected)
        for field, value in expected.items():
            assert restored[field] == value and type(restored[field]) is type(value), field
        assert ring.open(restored["content"], context("documents", restored["_id"], "content")).startswith("Body")


async def test_merge_adds_what_is_missing_and_keeps_what_is_there(db, ring, tmp_path):
    await seed(db, ring)
    await backup(db, tmp_path / "backup")
    kept = await db.events.find_one_and_update({"_id": "evt-0"}, {"$set": {"endpoint": "/v1/rewrite"}})
    await db.events.delete_many({"_id": {"$in": ["evt-1", "evt-2"]}})
    report = await restore(db, tmp_path / "backup", "merge")
    assert report.inserted == {"events": 2, "documents": 0}
    assert report.kept == {"events": 38, "documents": 25}
    assert (await db.events.find_one({"_id": kept["_id"]}))["endpoint"] == "/v1/rewrite"
    assert await db.events.count_documents({}) == 40


def corrupt_byte(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x20
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(("damage", "message"), [
    (lambda d, name: corrupt_byte(d / name / "documents.bson"), "documents.bson does not match the manifest"),
    (lambda d, name: (d / name / "events.metadata.json").unlink(), "backup files missing"),
    (lambda d, name: (d / MANIFEST).unlink(), "no manifest.json: not a complete backup"),
    (lambda d, name: (d / name / "stray.bson").write_bytes(b"\x05\x00\x00\x00\x00"), "files not in the manifest"),
], ids=["altered-bson", "missing-metadata", "no-manifest", "stray-file"])
async def test_a_damaged_backup_is_refused_before_anything_is_written(db, ring, tmp_path, damage, message):
    await seed(db, ring)
    await backup(db, tmp_path / "backup")
    await db.documents.delete_many({"owner": "user-0"})
    await db.events.insert_one({"_id": "evt-after-backup", "created_at": datetime.now(timezone.utc)})
    before = await snapshot(db)
    damage(tmp_path / "backup", db.name)

    with pytest.raises(BackupError, match=message):
        await restore(db, tmp_path / "backup", "drop")
    assert await snapshot(db) == before


async def test_a_manifest_rewritten_to_match_bad_bson_is_still_refused(db, ring, tmp_path):
    await seed(db, ring)
    await backup(db, tmp_path / "backup")
    bson_file = tmp_path / "backup" / db.name / "documents.bson"
    bson_file.write_bytes(bson_file.read_bytes()[:-7])  # a truncated dump, its checksum updated
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    manifest["files"][f"{db.name}/documents.bson"] = {"sha256": sha256_file(bson_file), "bytes": bson_file.stat().st_size}
    (tmp_path / "backup" / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="documents.bson is not valid BSON"):
        await restore(db, tmp_path / "backup")
    assert await db.documents.count_documents({}) == 25


async def test_backup_refuses_a_directory_that_holds_one(db, ring, tmp_path):
    await seed(db, ring)
    await backup(db, tmp_path / "backup")
    with pytest.raises(BackupError, match="already holds a backup"):
        await backup(db, tmp_path / "backup")
