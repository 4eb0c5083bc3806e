"""/v1/documents and /v1/me through the running service (Serve, the embedded store)."""

from __future__ import annotations

import asyncio
import time

import pytest

from serve.local import wait_until
from serve.security import ApiKeys
from serve.settings import Settings
from serve.store import EVENTS, Store


@pytest.fixture(scope="module")
def keys(mongodb_uri) -> dict[str, dict]:
    """Bearer headers for two writers, alice and mallory."""

    async def issue():
        store = Store(Settings(mongodb_uri=mongodb_uri))
        try:
            api_keys = ApiKeys.from_settings(store.settings, store)
            return {user: (await api_keys.create(user, ["writer"]))[1] for user in ("alice", "mallory")}
        finally:
            await store.close()

    return {user: {"Authorization": f"Bearer {key}"} for user, key in asyncio.run(issue()).items()}


def test_a_document_is_created_read_changed_listed_and_deleted(base_url, http, keys):
    alice = keys["alice"]
    created = http.post(f"{base_url}/v1/documents", json={"title": "Letter", "content": "Dear team, thank you."}, headers=alice)
    assert created.status_code == 201, created.text
    doc = created.json()
    assert doc["title"] == "Letter" and doc["content"] == "Dear team, thank you." and doc["version"] == 1

    read = http.get(f"{base_url}/v1/documents/{doc['id']}", headers=alice).json()
    assert read == doc

    changed = http.put(f"{base_url}/v1/documents/{doc['id']}", json={"content": "Dear team, thanks."}, headers=alice)
    assert changed.status_code == 200
    assert changed.json()["content"] == "Dear team, thanks." and changed.json()["title"] == "Letter"
    assert changed.json()["version"] == 2 and changed.json()["updated_at"] >= doc["updated_at"]

    listed = http.get(f"{base_url}/v1/documents", headers=alice).json()
    assert doc["id"] in [d["id"] for d in listed["documents"]]
    assert all("content" not in d for d in listed["documents"])

    assert http.delete(f"{base_url}/v1/documents/{doc['id']}", headers=alice).status_code == 204
    gone = http.get(f"{base_url}/v1/documents/{doc['id']}", headers=alice)
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"


def test_listing_is_paged(base_url, http, keys):
    headers = keys["mallory"]
    for i in range(5):
        assert http.post(f"{base_url}/v1/documents", json={"title": f"page test {i}"}, headers=headers).status_code == 201
    total = http.get(f"{base_url}/v1/documents", headers=headers).json()["total"]
    seen, offset = [], 0
    while offset is not None:
        page = http.get(f"{base_url}/v1/documents", params={"limit": 2, "offset": offset}, headers=headers).json()
        assert len(page["documents"]) <= 2 and page["total"] == total
        seen += [d["id"] for d in page["documents"]]
        offset = page["next_offset"]
    assert len(seen) == len(set(seen)) == total >= 5
    assert http.get(f"{base_url}/v1/documents", params={"limit": 0}, headers=headers).status_code == 422


def test_another_users_document_is_not_found(base_url, http, keys):
    mine = http.post(f"{base_url}/v1/documents", json={"title": "Diary", "content": "secret"}, headers=keys["alice"]).json()
    url = f"{base_url}/v1/documents/{mine['id']}"
    mallory = keys["mallory"]
    assert http.get(url, headers=mallory).status_code == 404
    assert http.put(url, json={"content": "defaced"}, headers=mallory).status_code == 404
    assert http.delete(url, headers=mallory).status_code == 404
    assert mine["id"] not in [d["id"] for d in http.get(f"{base_url}/v1/documents?limit=100", headers=mallory).json()["documents"]]
    assert http.get(url, headers=keys["alice"]).json()["content"] == "secret"


def test_bad_input_is_a_clear_4xx(base_url, http, keys):
    alice = keys["alice"]
    assert http.post(f"{base_url}/v1/documents", json={"title": ""}, headers=alice).status_code == 422
    assert http.post(f"{base_url}/v1/documents", content=b"{not json", headers={**alice, "content-type": "application/json"}).status_code == 400
    empty = http.put(f"{base_url}/v1/documents/whatever", json={}, headers=alice)
    assert empty.status_code == 422 and "title, a content or both" in empty.json()["error"]["message"]
    too_long = http.post(f"{base_url}/v1/documents", json={"content": "x" * 200_001}, headers=alice)
    assert too_long.status_code == 413 and too_long.json()["error"]["code"] == "text_too_long"


def test_the_profile_is_cached_and_replaced_on_change(base_url, http, keys):
    alice = keys["alice"]
    first = http.get(f"{base_url}/v1/me", headers=alice).json()
    assert first["user_id"] == "alice" and first["roles"] == ["writer"]
    again = http.get(f"{base_url}/v1/me", headers=alice).json()
    assert again["cached"] is True
    changed = http.put(f"{base_url}/v1/me", json={"display_name": "Alice Liddell"}, headers=alice).json()
    assert changed["display_name"] == "Alice Liddell"
    after = http.get(f"{base_url}/v1/me", headers=alice).json()
    assert after["display_name"] == "Alice Liddell" and after["cached"] is True
    assert http.put(f"{base_url}/v1/me", json={"language": "english"}, headers=alice).status_code == 422


def test_each_writing_request_leaves_an_analytics_event(base_url, http, keys, mongodb_uri):
    marker = f"Analytics probe number {time.time_ns()} are here."
    answer = http.post(f"{base_url}/v1/suggestions", json={"text": marker, "engine": "basic"}, headers=keys["mallory"])
    assert answer.status_code == 200

    async def events():
        store = Store(Settings(mongodb_uri=mongodb_uri))
        try:
            return await store.db[EVENTS].find({"user": "mallory", "endpoint": "suggestions"}).to_list()
        finally:
            await store.close()

    wait_until(lambda: asyncio.run(events()), 20, "the analytics event")
    event = asyncio.run(events())[-1]
    assert event["engine"] == "basic" and event["cached"] is False and event["latency_ms"] > 0
    assert marker not in str(event)  # events carry no user text


def test_with_the_database_down_documents_answer_503_and_writing_goes_on(base_url, mongo, http):
    """The session's own server is stopped and started again (same port, same data). Requests
    carry no key (the local user): checking a key needs the database too."""
    local = {}  # no key: the local user
    saved = http.post(f"{base_url}/v1/documents", json={"title": "before", "content": "kept"}, headers=local)
    assert saved.status_code == 201
    mongo.stop()
    try:
        refused = http.post(f"{base_url}/v1/documents", json={"title": "during", "content": "not stored"}, headers=local)
        assert refused.status_code == 503 and int(refused.headers["Retry-After"]) > 0
        assert refused.json()["error"]["code"] == "store_unavailable"
        assert http.get(f"{base_url}/v1/documents/{saved.json()['id']}", headers=local).status_code == 503
        assert http.get(f"{base_url}/v1/documents", headers=local).status_code == 503

        started = time.perf_counter()
        for i in range(10):
            checked = http.post(f"{base_url}/v1/suggestions", json={"text": f"Teh cat number {i} sat.", "engine": "basic"}, headers=local)
            assert checked.status_code == 200
        assert (time.perf_counter() - started) / 10 < 0.5, "writing requests slowed down while the database is down"
    finally:
        mongo.start()
    wait_until(lambda: http.get(f"{base_url}/v1/documents/{saved.json()['id']}", headers=local).status_code == 200, 30, "the store back")
    titles = [d["title"] for d in http.get(f"{base_url}/v1/documents?limit=100", headers=local).json()["documents"]]
    assert "before" in titles and "during" not in titles  # the refused write was never stored
