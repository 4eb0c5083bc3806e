"""A database of its own per test, on the session's real MongoDB-wire server (tests/conftest.py)."""

from __future__ import annotations

from uuid import uuid4

import pytest
from pymongo import AsyncMongoClient

from serve.crypto import DataKey, KeyRing


@pytest.fixture()
def anyio_backend():
    return "asyncio"


@pytest.fixture()
async def db(mongo):
    client = AsyncMongoClient(mongo.uri)
    database = client[f"protection_{uuid4().hex[:10]}"]
    yield database
    await client.drop_database(database.name)
    await client.close()


@pytest.fixture()
def ring(tmp_path):
    """A one-key ring kept in a key file, as `keys rotate-data-key --file` makes it."""
    ring = KeyRing([DataKey.generate()], tmp_path / "data-keys.json")
    ring.save()
    return KeyRing.from_file(tmp_path / "data-keys.json")
