"""Retention (the guide's DataProtection.retention): user content 90 days after its last
change, analytics events 30 days after they happened.

The store's TTL indexes make the database remove expired records on its own schedule;
`python -m serve purge` removes everything expired right now and says how much, for a
deployment that wants the policy applied at a known moment (or a server without TTL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from serve.store import DOCUMENTS, EVENTS


@dataclass(frozen=True)
class Retention:
    collection: str
    field: str  # the timestamp the period runs from
    days: int

    @property
    def seconds(self) -> int:
        return self.days * 86_400


def policy(settings) -> list[Retention]:
    """What expires, after how long (the same settings size the store's TTL indexes)."""
    return [
        Retention(DOCUMENTS, "updated_at", settings.retention_user_content_days),
        Retention(EVENTS, "created_at", settings.retention_analytics_days),
    ]


async def purge(db, settings, now: datetime | None = None) -> dict[str, int]:
    """Delete what has outlived its retention period; returns the count per collection."""
    now = now or datetime.now(timezone.utc)
    removed = {}
    for rule in policy(settings):
        cutoff = now - timedelta(days=rule.days)
        result = await db[rule.collection].delete_many({rule.field: {"$lt": cutoff}})
        removed[rule.collection] = result.deleted_count
    return removed
