"""Retention on the real wire server: purge removes what has expired and keeps the rest."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pipelines.retention import policy, purge
from serve.settings import Settings

pytestmark = pytest.mark.anyio


async def test_purge_removes_expired_records_and_keeps_fresh_ones(db):
    now = datetime.now(timezone.utc)
    await db.documents.insert_many([
        {"_id": "old", "updated_at": now - timedelta(days=91)},
        {"_id": "edited-recently", "updated_at": now - timedelta(days=89)},
    ])
    await db.events.insert_many([
        {"_id": "old", "created_at": now - timedelta(days=30, minutes=1)},
        {"_id": "fresh", "created_at": now - timedelta(days=29)},
    ])
    await db.users.insert_one({"_id": "user-1", "created_at": now - timedelta(days=400)})  # no retention

    removed = await purge(db, Settings())

    assert removed == {"documents": 1, "events": 1}
    assert await db.documents.distinct("_id") == ["edited-recently"]
    assert await db.events.distinct("_id") == ["fresh"]
    assert await db.users.count_documents({}) == 1
    assert await purge(db, Settings()) == {"documents": 0, "events": 0}


async def test_retention_periods_come_from_settings(db):
    settings = Settings(retention_user_content_days=7, retention_analytics_days=1)
    assert [(r.collection, r.seconds) for r in policy(settings)] == [("documents", 7 * 86400), ("events", 86400)]
    now = datetime.now(timezone.utc)
    await db.documents.insert_one({"_id": "week-old", "updated_at": now - timedelta(days=8)})
    assert await purge(db, settings) == {"documents": 1, "events": 0}
