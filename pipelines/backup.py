"""Database backups in mongodump's layout, and restores that check them first.

`backup` writes OUT/<db>/<collection>.bson (the documents' raw BSON, back to back) and
OUT/<db>/<collection>.metadata.json (options and indexes, extended JSON), so `mongorestore`
reads it too, plus OUT/manifest.json: every file's SHA-256 and size and every collection's
document count. The manifest is written last: a backup cut short has none and is refused.

`restore` verifies the whole backup (manifest, checksums, sizes, BSON framing, counts)
before it writes anything, then either drops each collection and loads it (`drop`) or
adds only the documents whose _id is missing, keeping what is there (`merge`).
Documents travel as raw BSON both ways, so a restored document is byte-for-byte the one
that was backed up (sealed fields stay sealed: a backup holds no plaintext either).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

import bson
from bson import json_util
from bson.codec_options import CodecOptions
from bson.raw_bson import RawBSONDocument
from rich.progress import Progress

MANIFEST = "manifest.json"
FORMAT = "writing-service-backup/1"
RAW = CodecOptions(document_class=RawBSONDocument)
_BATCH = 1000
_CHUNK = 1 << 20


class BackupError(Exception):
    """The backup cannot be used (incomplete, altered, or not a backup); nothing was written."""


@dataclass
class RestoreReport:
    database: str
    mode: str
    inserted: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)  # merge: documents already there


def sha256_file(path: Path, progress: Progress | None = None, label: str = "checksum") -> str:
    digest = hashlib.sha256()
    task = progress.add_task(label, total=path.stat().st_size) if progress else None
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            if progress:
                progress.advance(task, len(chunk))
    return digest.hexdigest()


def _file_entry(path: Path) -> dict:
    return {"sha256": sha256_file(path), "bytes": path.stat().st_size}


async def backup(db, out_dir: str | Path, progress: Progress | None = None) -> dict:
    """Dump every collection of `db` under out_dir; returns the manifest."""
    progress = progress or Progress(disable=True)
    out = Path(out_dir)
    target = out / db.name
    if (out / MANIFEST).exists() or target.exists():
        raise BackupError(f"{out} already holds a backup of {db.name}; choose an empty directory")
    target.mkdir(parents=True)
    manifest = {"format": FORMAT, "database": db.name, "created": datetime.now(timezone.utc).isoformat(), "collections": {}, "files": {}}
    for name in sorted(n for n in await db.list_collection_names() if not n.startswith("system.")):
        collection = db.get_collection(name, codec_options=RAW)
        task = progress.add_task(f"backup {name}", total=await collection.count_documents({}))
        count = 0
        with (target / f"{name}.bson").open("wb") as stream:
            async for document in collection.find({}).sort("_id", 1):
                stream.write(document.raw)
                count += 1
                progress.advance(task)
        metadata = {"options": await collection.options(), "indexes": await _indexes(collection), "collectionName": name, "type": "collection"}
        (target / f"{name}.metadata.json").write_text(json_util.dumps(metadata, json_options=json_util.CANONICAL_JSON_OPTIONS))
        manifest["collections"][name] = {"documents": count}
        for suffix in (".bson", ".metadata.json"):
            manifest["files"][f"{db.name}/{name}{suffix}"] = _file_entry(target / f"{name}{suffix}")
    staging = out / f".{MANIFEST}.partial"
    staging.write_text(json.dumps(manifest, indent=2) + "\n")
    staging.replace(out / MANIFEST)
    return manifest


async def _indexes(collection) -> list[dict]:
    indexes = []
    async for index in await collection.list_indexes():
        spec = {key: value for key, value in index.items() if key != "ns"}
        spec.setdefault("v", 2)
        indexes.append(spec)
    return indexes


def verify(src_dir: str | Path) -> dict:
    """The backup's manifest, once every file matches it; BackupError naming the first fault."""
    src = Path(src_dir)
    try:
        manifest = json.loads((src / MANIFEST).read_text())
        files, collections, database = manifest["files"], manifest["collections"], manifest["database"]
    except FileNotFoundError as exc:
        raise BackupError(f"{src} has no {MANIFEST}: not a complete backup (a backup cut short writes none)") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{src / MANIFEST} is not a backup manifest ({exc!r})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{src / MANIFEST}: unknown format {manifest.get('format')!r} (expected {FORMAT})")
    present = {str(p.relative_to(src)) for p in (src / database).glob("*") if p.is_file()}
    if missing := sorted(set(files) - present):
        raise BackupError(f"backup files missing: {', '.join(missing)}")
    if extra := sorted(present - set(files)):
        raise BackupError(f"files not in the manifest: {', '.join(extra)}")
    for relative, expected in files.items():
        actual = _file_entry(src / relative)
        if actual != expected:
            raise BackupError(f"{relative} does not match the manifest (sha256 {actual['sha256'][:12]}…, {actual['bytes']} bytes; "
                              f"expected {expected['sha256'][:12]}…, {expected['bytes']} bytes): the backup was altered or damaged")
    for name, entry in collections.items():
        count = _count_documents(src / database / f"{name}.bson")
        if count != entry["documents"]:
            raise BackupError(f"{database}/{name}.bson holds {count} documents, the manifest says {entry['documents']}")
    return manifest


def _count_documents(path: Path) -> int:
    try:
        with path.open("rb") as stream:
            return sum(1 for _ in bson.decode_file_iter(stream, RAW))
    except bson.errors.InvalidBSON as exc:
        raise BackupError(f"{path.name} is not valid BSON ({exc})") from exc


async def restore(db, src_dir: str | Path, mode: Literal["drop", "merge"] = "drop", progress: Progress | None = None) -> RestoreReport:
    """Load a verified backup into `db` (whatever the backed-up database was called)."""
    progress = progress or Progress(disable=True)
    src = Path(src_dir)
    manifest = verify(src)
    report = RestoreReport(db.name, mode)
    for name, entry in manifest["collections"].items():
        collection = db.get_collection(name, codec_options=RAW)
        if mode == "drop":
            await collection.drop()
        metadata = json_util.loads((src / manifest["database"] / f"{name}.metadata.json").read_text())
        await _create_indexes(collection, metadata["indexes"])
        task = progress.add_task(f"restore {name}", total=entry["documents"])
        report.inserted[name] = report.kept[name] = 0
        with (src / manifest["database"] / f"{name}.bson").open("rb") as stream:
            batch: list[RawBSONDocument] = []
            for document in bson.decode_file_iter(stream, RAW):
                batch.append(document)
                if len(batch) == _BATCH:
                    await _load(collection, batch, mode, report)
                    progress.advance(task, len(batch))
                    batch = []
            await _load(collection, batch, mode, report)
            progress.advance(task, len(batch))
    return report


async def _create_indexes(collection, indexes: list[dict]) -> None:
    for index in indexes:
        if index["name"] == "_id_":
            continue
        options = {key: value for key, value in index.items() if key not in ("key", "v", "ns")}
        await collection.create_index(list(index["key"].items()), **options)


async def _load(collection, batch: list[RawBSONDocument], mode: str, report: RestoreReport) -> None:
    if not batch:
        return
    name = collection.name
    if mode == "merge":
        ids = [document["_id"] for document in batch]
        existing = {doc["_id"] for doc in await collection.find({"_id": {"$in": ids}}, {"_id": 1}).to_list()}
        report.kept[name] += len(existing)
        batch = [document for document in batch if document["_id"] not in existing]
    if batch:
        await collection.insert_many(batch, ordered=True)
        report.inserted[name] += len(batch)
