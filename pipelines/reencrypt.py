"""Key rotation's second half: move records sealed with older data keys to the newest one.

After `python -m serve keys rotate-data-key`, new writes use the new key and old records
still open with their old keys. `python -m serve reencrypt` reseals those old records in
batches. It keeps no checkpoint because the data is its own: each run selects only what
is still sealed with an older key, so a run cut short simply continues next time. Each
update applies only if the field still holds the exact value that was read, so a record
rewritten meanwhile is left as its writer left it. The report counts, per key, the
records still sealed with it; an older key that seals nothing can be retired
(`python -m serve keys retire-data-key ID`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pymongo import UpdateOne
from rich.progress import Progress

from serve.crypto import KeyRing, SealedDataError, context


@dataclass
class ReencryptReport:
    current: str
    moved: dict[str, int] = field(default_factory=dict)  # "collection.field" -> records resealed
    failed: list[str] = field(default_factory=list)  # values that would not open, left as they are
    usage: dict[str, int] = field(default_factory=dict)  # key id -> records still sealed with it

    @property
    def retirable(self) -> list[str]:
        return [kid for kid, count in self.usage.items() if count == 0 and kid != self.current]

    def lines(self) -> list[str]:
        out = [f"resealed {count} {name} value(s) with {self.current}" for name, count in self.moved.items()]
        out += [f"could not open (left unchanged): {message}" for message in self.failed]
        out += [f"key {kid}: {count} value(s) still sealed with it" for kid, count in self.usage.items() if kid != self.current and count]
        out += [f"key {kid}: no longer used; retire it with `python -m serve keys retire-data-key {kid}`" for kid in self.retirable]
        return out


async def key_usage(db, ring: KeyRing, sealed_fields: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Per key id, how many stored values are sealed with it (unknown ids included)."""
    usage = dict.fromkeys(ring.keys, 0)
    for name, fields in sealed_fields.items():
        for sealed in fields:
            for kid in await db[name].distinct(f"{sealed}.kid"):
                usage[kid] = usage.get(kid, 0) + await db[name].count_documents({f"{sealed}.kid": kid})
    return usage


async def reencrypt(db, ring: KeyRing, sealed_fields: dict[str, tuple[str, ...]], batch_size: int = 500,
                    progress: Progress | None = None) -> ReencryptReport:
    """Reseal every value sealed with an older key of `ring` under its newest key."""
    progress = progress or Progress(disable=True)
    report = ReencryptReport(ring.current.id)
    older = [kid for kid in ring.keys if kid != ring.current.id]
    for name, fields in sealed_fields.items():
        for sealed in fields:
            report.moved[f"{name}.{sealed}"] = await _reseal_field(db[name], sealed, ring, older, batch_size, progress, report)
    report.usage = await key_usage(db, ring, sealed_fields)
    return report


async def _reseal_field(collection, sealed: str, ring: KeyRing, older: list[str], batch_size: int,
                        progress: Progress, report: ReencryptReport) -> int:
    query = {f"{sealed}.kid": {"$in": older}}
    task = progress.add_task(f"{collection.name}.{sealed}", total=await collection.count_documents(query))
    moved, last_id = 0, None
    while True:
        page = query if last_id is None else {**query, "_id": {"$gt": last_id}}
        batch = await collection.find(page, {sealed: 1}).sort("_id", 1).limit(batch_size).to_list()
        if not batch:
            return moved
        updates = []
        for record in batch:
            value = record[sealed]
            try:
                resealed = ring.reseal(value, context(collection.name, record["_id"], sealed))
            except SealedDataError as exc:
                report.failed.append(str(exc))
                continue
            updates.append(UpdateOne({"_id": record["_id"]}, [{"$set": {sealed: _if_unchanged(sealed, value, resealed)}}]))
        if updates:
            moved += (await collection.bulk_write(updates, ordered=False)).modified_count
        progress.advance(task, len(batch))
        last_id = batch[-1]["_id"]


def _if_unchanged(sealed: str, value: dict, resealed: dict) -> dict:
    """The new value only where the field still holds the one that was read (its nonce is
    unique). Decided inside the update: an _id-only filter keeps the write a key lookup."""
    return {"$cond": [{"$eq": [f"${sealed}.nonce", value["nonce"]]}, {"$literal": resealed}, f"${sealed}"]}
