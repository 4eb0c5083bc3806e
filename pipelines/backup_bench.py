"""Backup and restore throughput (`python -m serve backup-bench --documents 10000`).

Fills a database of its own with sealed documents shaped as the store writes them (on
MONGODB_URI when set, else an embedded server with its data in a temporary directory),
then times `backup` to a temporary directory, drops the database, times `restore --drop`,
and checks that every document came back and still opens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bson import ObjectId
from pymongo import AsyncMongoClient

from pipelines.backup import backup, restore
from serve.crypto import DataKey, KeyRing, context
from serve.mongo import EmbeddedMongo, uri
from serve.store import DOCUMENTS

_BATCH = 500


def _records(ring: KeyRing, count: int, chars: int) -> list[dict]:
    at = datetime.now(timezone.utc)
    body = ("The quick brown fox jumps over the lazy dog. " * (chars // 45 + 1))[:chars]
    records = []
    for i in range(count):
        record_id = str(ObjectId())
        sealed = {name: ring.seal(value, context(DOCUMENTS, record_id, name)) for name, value in (("title", f"Draft {i}"), ("content", body))}
        records.append({"_id": record_id, "owner": f"user-{i % 50}", **sealed, "chars": chars, "version": 1, "created_at": at, "updated_at": at})
    return records


async def measure(server_uri: str, count: int, chars: int, work: Path) -> dict:
    ring = KeyRing([DataKey.generate()])
    async with AsyncMongoClient(server_uri) as client:
        db = client[f"backup_bench_{ObjectId()}"]
        records = _records(ring, count, chars)
        for start in range(0, count, _BATCH):
            await db[DOCUMENTS].insert_many(records[start:start + _BATCH])

        started = time.perf_counter()
        manifest = await backup(db, work / "backup")
        backup_s = time.perf_counter() - started
        size = sum(entry["bytes"] for entry in manifest["files"].values())

        await client.drop_database(db.name)
        started = time.perf_counter()
        report = await restore(db, work / "backup", "drop")
        restore_s = time.perf_counter() - started

        restored = await db[DOCUMENTS].count_documents({})
        sample = await db[DOCUMENTS].find_one({"_id": records[count // 2]["_id"]})
        title = ring.open(sample["title"], context(DOCUMENTS, sample["_id"], "title"))
        await client.drop_database(db.name)
    if restored != count or report.inserted[DOCUMENTS] != count or title != f"Draft {count // 2}":
        raise RuntimeError(f"restore gave back {restored} of {count} documents (sample title: {title!r})")
    return {
        "documents": count, "content_chars": chars, "backup_mb": round(size / 1e6, 2),
        "backup_s": round(backup_s, 2), "backup_docs_per_s": round(count / backup_s),
        "restore_s": round(restore_s, 2), "restore_docs_per_s": round(count / restore_s),
        "restore_includes": "manifest and checksum verification, index creation, inserts",
    }


def run(args: argparse.Namespace) -> int:
    from serve.settings import Settings

    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if settings.mongodb_uri:
            result = asyncio.run(measure(settings.mongodb_uri, args.documents, args.chars, work))
        else:
            with EmbeddedMongo(work / "bench.sqlite") as server:
                result = asyncio.run(measure(uri(server.port), args.documents, args.chars, work))
    result["server"] = "MONGODB_URI" if settings.mongodb_uri else "embedded (mongoeco over SQLite)"
    print(json.dumps(result, indent=2))
    return 0

