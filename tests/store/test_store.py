"""The store against the real wire server: sealed at rest, owner-scoped, events off the request path."""

from __future__ import annotations

import asyncio
import time

import bson
import pytest

from pipelines.migrations import migrate
from serve.analytics import EventBuffer
from serve.crypto import SealedDataError
from serve.errors import NotFound
from serve.settings import Settings
from serve.store import DOCUMENTS, EVENTS, USERS, StoreUnavailable

SECRET = "The quarterly numbers look wonderful, Zebediah."


def test_a_saved_document_is_stored_only_as_ciphertext(store_settings, on_store):
    async def work(store):
        saved = await store.create_document("alice", "Zebediah's plan", SECRET)
        raw = await store.db[DOCUMENTS].find_one({"_id": saved["id"]})
        return saved, raw, await store.get_document("alice", saved["id"])

    saved, raw, read = on_store(store_settings, work)
    stored = bson.encode(raw)
    assert b"Zebediah" not in stored and b"quarterly" not in stored
    assert raw["content"]["alg"] == "AES-256-GCM" and raw["content"]["kid"]
    assert read["content"] == SECRET and read["title"] == "Zebediah's plan"


def test_a_profile_name_is_stored_only_as_ciphertext(store_settings, on_store):
    async def work(store):
        await store.update_profile("bob", "Bartholomew Quince", None)
        return await store.db[USERS].find_one({"_id": "bob"}), await store.profile("bob")

    raw, profile = on_store(store_settings, work)
    assert b"Quince" not in bson.encode(raw)
    assert profile["display_name"] == "Bartholomew Quince"


def test_another_owners_document_reads_as_missing(store_settings, on_store):
    async def work(store):
        saved = await store.create_document("alice", "mine", "private text")
        outcomes = []
        for attempt in (
            store.get_document("mallory", saved["id"]),
            store.update_document("mallory", saved["id"], "taken", None),
            store.delete_document("mallory", saved["id"]),
        ):
            try:
                await attempt
                outcomes.append("allowed")
            except NotFound:
                outcomes.append("not found")
        return outcomes, await store.get_document("alice", saved["id"])

    outcomes, still = on_store(store_settings, work)
    assert outcomes == ["not found"] * 3
    assert still["title"] == "mine" and still["version"] == 1


def test_a_ciphertext_moved_to_another_record_fails_loudly(store_settings, on_store):
    async def work(store):
        first = await store.create_document("alice", "one", "first text")
        second = await store.create_document("alice", "two", "second text")
        raw = await store.db[DOCUMENTS].find_one({"_id": first["id"]})
        await store.db[DOCUMENTS].update_one({"_id": second["id"]}, {"$set": {"content": raw["content"]}})
        await store.get_document("alice", second["id"])

    with pytest.raises(SealedDataError, match="failed authentication"):
        on_store(store_settings, work)


def test_listing_pages_newest_first(store_settings, on_store):
    async def work(store):
        ids = [(await store.create_document("lister", f"doc {i}", "x" * i))["id"] for i in range(5)]
        first, total = await store.list_documents("lister", 2, 0)
        rest, _ = await store.list_documents("lister", 10, 2)
        return ids, first, rest, total

    ids, first, rest, total = on_store(store_settings, work)
    assert total == 5
    assert [d["id"] for d in first + rest] == ids[::-1]
    assert all("content" not in d for d in first + rest)


def test_events_are_written_in_batches_and_survive_an_outage(private_mongo, on_store):
    settings = Settings(mongodb_uri=private_mongo.uri)

    async def work(store):
        await migrate(settings, report=lambda line: None)
        events = EventBuffer(store, capacity=50, batch=20, flush_s=0.05)
        for i in range(30):
            events.record("writer", "suggestions", "basic", 3.5, i % 2 == 0)
        await asyncio.sleep(1.0)
        written_before = await store.db[EVENTS].count_documents({})

        private_mongo.stop()
        for _ in range(51):  # 50 fit in the buffer; the first drop also loads the metrics client
            events.record("writer", "rewrite", "basic", 1.0, False)
        started = time.thread_time()  # CPU time: on a busy machine wall time also counts waiting for a core
        for _ in range(29):  # dropped, and counted; nothing here awaits, so nothing waits on the store
            events.record("writer", "rewrite", "basic", 1.0, False)
        recording_s = time.thread_time() - started
        await asyncio.sleep(1.0)  # the writer fails and backs off meanwhile
        during = events.stats()

        private_mongo.start()
        await asyncio.sleep(0)
        await events.flush()
        return written_before, recording_s, during, events.stats(), await store.db[EVENTS].count_documents({})

    written_before, recording_s, during, after, stored = on_store(settings, work)
    assert written_before == 30
    assert recording_s < 0.05, f"recording 29 events took {recording_s:.3f}s of CPU while the database was down"
    assert during["dropped"] == 30 and during["pending"] == 50 and during["failed_flushes"] >= 1
    assert stored == 80 and after["written"] == 80 and after["pending"] == 0


def test_an_unreachable_database_is_a_503_with_retry_after(private_mongo, on_store):
    settings = Settings(mongodb_uri=private_mongo.uri, mongodb_timeout_s=0.5)
    private_mongo.stop()

    async def work(store):
        await store.create_document("alice", "t", "never stored")

    with pytest.raises(StoreUnavailable) as caught:
        on_store(settings, work)
    assert caught.value.status == 503 and caught.value.headers() == {"Retry-After": "5"}
    assert "not saved" in caught.value.message
