"""The data-protection commands as an operator runs them, on documents the store wrote."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import bson
import pytest
from pymongo import AsyncMongoClient, MongoClient

from serve.crypto import KeyRing
from serve.mongo import uri
from serve.settings import Settings
from serve.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def operator(mongo, tmp_path):
    """Settings for a database of this test's own and a key file, and `cli(*args)` to run
    `python -m serve ...` with them in the environment."""
    settings = Settings(mongodb_uri=uri(mongo.port, f"protection_cli_{uuid4().hex[:8]}"), data_keys_file=str(tmp_path / "keys.json"))
    env = {**os.environ, "MONGODB_URI": settings.mongodb_uri, "WRITING_DATA_KEYS_FILE": settings.data_keys_file}

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "serve", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)

    assert "created" in cli("keys", "rotate-data-key", "--file", settings.data_keys_file).stdout
    yield settings, cli

    async def drop():
        async with AsyncMongoClient(settings.mongodb_uri) as client:
            await client.drop_database(client.get_default_database().name)

    asyncio.run(drop())


def on_store(settings: Settings, work):
    async def main():
        store = Store(settings, KeyRing.from_file(Path(settings.data_keys_file)))
        try:
            return await work(store)
        finally:
            await store.close()

    return asyncio.run(main())


def raw_database(settings: Settings) -> bytes:
    """Every stored document of the database, as BSON bytes."""
    with MongoClient(settings.mongodb_uri) as client:
        db = client.get_default_database()
        return b"".join(bson.encode(doc) for name in db.list_collection_names() for doc in db[name].find())


async def write_some(store: Store) -> list[dict]:
    await store.update_profile("writer-1", "Ada Lovelace", None)
    return [await store.create_document("writer-1", f"Chapter {i}", f"It was a dark and stormy night, part {i}.") for i in range(5)]


async def read_back(store: Store, documents: list[dict]) -> list[tuple[str, str]]:
    found = [await store.get_document("writer-1", d["id"]) for d in documents]
    return [(d["title"], d["content"]) for d in found] + [("profile", (await store.profile("writer-1"))["display_name"])]


def test_rotate_reencrypt_retire(operator):
    settings, cli = operator
    documents = on_store(settings, write_some)
    expected = [(d["title"], d["content"]) for d in documents] + [("profile", "Ada Lovelace")]
    assert not any(text.encode() in raw_database(settings) for pair in expected for text in pair if text != "profile")
    old_key = KeyRing.from_file(Path(settings.data_keys_file)).current.id

    assert "added data key" in cli("keys", "rotate-data-key").stdout
    status = cli("keys", "status").stdout
    assert f"{old_key}  older" in status and "seals 11 value(s)" in status and "rotation due" not in status
    refused = cli("keys", "retire-data-key", old_key)
    assert refused.returncode == 1 and "still seals 11 value(s)" in refused.stdout  # 5 titles, 5 contents, 1 name
    assert on_store(settings, lambda store: read_back(store, documents)) == expected  # old records read meanwhile

    moved = cli("reencrypt", "--batch-size", "2")
    assert moved.returncode == 0, moved.stdout + moved.stderr
    assert f"key {old_key}: no longer used" in moved.stdout
    assert cli("keys", "retire-data-key", old_key).returncode == 0
    ring = KeyRing.from_file(Path(settings.data_keys_file))
    assert list(ring.keys) == [ring.current.id] != [old_key]
    assert on_store(settings, lambda store: read_back(store, documents)) == expected


def test_backup_restore_and_purge(operator, tmp_path):
    settings, cli = operator
    documents = on_store(settings, write_some)
    expected = on_store(settings, lambda store: read_back(store, documents))

    made = cli("backup", str(tmp_path / "nightly"))
    assert made.returncode == 0 and "backed up 6 documents in 2 collections" in made.stdout, made.stdout + made.stderr
    on_store(settings, lambda store: store.delete_document("writer-1", documents[0]["id"]))
    assert cli("restore", str(tmp_path / "nightly"), "--merge").stdout.count("already there and kept") == 2
    assert on_store(settings, lambda store: read_back(store, documents)) == expected

    (tmp_path / "nightly" / "manifest.json").write_text("{}")
    refused = cli("restore", str(tmp_path / "nightly"), "--drop")
    assert refused.returncode == 2 and "refused" in refused.stdout and "nothing was written" in refused.stdout
    assert on_store(settings, lambda store: read_back(store, documents)) == expected

    purged = cli("purge")
    assert purged.returncode == 0 and "documents: removed 0 older than 90 days" in purged.stdout
