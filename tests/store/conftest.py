"""The store's tests: the session's embedded MongoDB-wire server (tests/conftest.py), and
private servers for the tests that stop one."""

from __future__ import annotations

import asyncio

import pytest

from serve.mongo import EmbeddedMongo, uri
from serve.settings import Settings
from serve.store import Store


def _on_store(settings: Settings, work):
    """Run `await work(store)` on a fresh event loop with a fresh Store (a client is bound to its loop)."""

    async def main():
        store = Store(settings)
        try:
            return await work(store)
        finally:
            await store.close()

    return asyncio.run(main())


@pytest.fixture(scope="session")
def on_store():
    """on_store(settings, work): `await work(store)` on a fresh loop with a fresh Store."""
    return _on_store


@pytest.fixture(scope="session")
def store_settings(mongo) -> Settings:
    return Settings(mongodb_uri=mongo.uri)


@pytest.fixture
def fresh_database(mongo, request) -> Settings:
    """Settings naming a database of its own on the session's server, never migrated."""
    name = "t_" + request.node.name.replace("[", "_").replace("]", "").replace("-", "_")[:40]
    return Settings(mongodb_uri=uri(mongo.port, name))


@pytest.fixture
def private_mongo(tmp_path):
    """A server of this test's own, which the test may stop and start again (same port, same data)."""
    server = EmbeddedMongo(tmp_path / "private.sqlite").start()
    yield server
    server.stop()
