"""`python -m serve keys | reencrypt | purge | backup | restore | models backup | models restore`:
the data-protection commands (encryption keys, retention, backups)."""

from __future__ import annotations

import argparse
import asyncio
from functools import wraps

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


def progress_bar() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())


def on_database(job):
    """A command whose body, `await job(args, settings, db)`, runs against the configured
    database; with no MONGODB_URI, the embedded server's data, served and migrated for the
    length of the command (stop the service first)."""

    @wraps(job)
    def command(args: argparse.Namespace) -> int:
        from serve.settings import Settings
        from serve.store import connect
        from serve.store_cli import start_embedded

        settings = Settings()
        embedded = None if settings.mongodb_uri else start_embedded(settings)
        if embedded:
            settings = settings.model_copy(update={"mongodb_uri": embedded.uri})

        async def main() -> int:
            db = connect(settings)
            try:
                return await job(args, settings, db)
            finally:
                await db.client.close()

        try:
            return asyncio.run(main())
        finally:
            if embedded:
                embedded.stop()

    return command


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    from serve.crypto import rotate_data_key
    from serve.settings import Settings

    print(rotate_data_key(Settings(), args.file))
    return 0


@on_database
async def cmd_keys_status(args: argparse.Namespace, settings, db) -> int:
    from pipelines.reencrypt import key_usage
    from serve.crypto import KeyRing
    from serve.store import SEALED_FIELDS

    ring = KeyRing.from_settings(settings)
    for kid, count in (await key_usage(db, ring, SEALED_FIELDS)).items():
        role = "newest, seals new writes" if kid == ring.current.id else "older" if kid in ring.keys else "NOT IN THE RING"
        print(f"{kid}  {role}  created {ring.keys[kid].created if kid in ring.keys else '?'}  seals {count} value(s)")
    if ring.rotation_due(settings.data_key_rotation_days):
        print(f"rotation due: the newest key is older than {settings.data_key_rotation_days} days "
              "(`python -m serve keys rotate-data-key`, then `python -m serve reencrypt`)")
    return 0


@on_database
async def cmd_keys_retire(args: argparse.Namespace, settings, db) -> int:
    from pipelines.reencrypt import key_usage
    from serve.crypto import KeyRing
    from serve.store import SEALED_FIELDS

    ring = KeyRing.from_settings(settings)
    smaller = ring.without(args.key_id)
    still = (await key_usage(db, ring, SEALED_FIELDS)).get(args.key_id, 0)
    if still:
        print(f"{args.key_id} still seals {still} value(s); run `python -m serve reencrypt` first")
        return 1
    if smaller.source is None:
        print(smaller.to_json())
    else:
        smaller.save()
        print(f"retired {args.key_id} from {smaller.source}")
    return 0


@on_database
async def cmd_reencrypt(args: argparse.Namespace, settings, db) -> int:
    from pipelines.reencrypt import reencrypt
    from serve.crypto import KeyRing
    from serve.store import SEALED_FIELDS

    with progress_bar() as progress:
        report = await reencrypt(db, KeyRing.from_settings(settings), SEALED_FIELDS, args.batch_size, progress)
    print("\n".join(report.lines()))
    return 1 if report.failed else 0


@on_database
async def cmd_purge(args: argparse.Namespace, settings, db) -> int:
    from pipelines.retention import policy, purge

    removed = await purge(db, settings)
    for rule in policy(settings):
        print(f"{rule.collection}: removed {removed[rule.collection]} older than {rule.days} days (by {rule.field})")
    return 0


@on_database
async def cmd_backup(args: argparse.Namespace, settings, db) -> int:
    from pipelines.backup import backup

    with progress_bar() as progress:
        manifest = await backup(db, args.out_dir, progress)
    total = sum(entry["documents"] for entry in manifest["collections"].values())
    print(f"backed up {total} documents in {len(manifest['collections'])} collections of {db.name} to {args.out_dir}")
    return 0


@on_database
async def cmd_restore(args: argparse.Namespace, settings, db) -> int:
    from pipelines.backup import BackupError, restore

    try:
        with progress_bar() as progress:
            report = await restore(db, args.dir, args.mode, progress)
    except BackupError as exc:
        print(f"refused: {exc}; nothing was written")
        return 2
    for name, count in report.inserted.items():
        print(f"{db.name}.{name}: {count} restored" + (f", {report.kept[name]} already there and kept" if args.mode == "merge" else ""))
    return 0


def cmd_models_backup(args: argparse.Namespace) -> int:
    from pipelines.model_archive import backup
    from serve.settings import Settings

    with progress_bar() as progress:
        digest = backup(args.path or Settings().t5_model_path, args.archive, progress)
    print(f"wrote {args.archive} (sha256 {digest}) and its .sha256")
    return 0


def cmd_models_restore(args: argparse.Namespace) -> int:
    from pipelines.model_archive import ArchiveError, restore
    from serve.settings import Settings

    try:
        with progress_bar() as progress:
            target = restore(args.archive, args.path or Settings().t5_model_path, progress)
    except ArchiveError as exc:
        print(f"refused: {exc}")
        return 2
    print(f"restored {args.archive} into {target}")
    return 0


def cmd_backup_bench(args: argparse.Namespace) -> int:
    from pipelines.backup_bench import run

    return run(args)


def _command(parsers, name: str, func, help: str, *arguments: tuple[str, dict]) -> argparse.ArgumentParser:
    parser = parsers.add_parser(name, help=help)
    for flag, options in arguments:
        parser.add_argument(flag, **options)
    parser.set_defaults(func=func)
    return parser


def add_commands(commands, models) -> argparse._SubParsersAction:
    """Register the commands on the top-level parser's subparsers (and `models`'s); gives
    `keys`'s subparsers, which the API key commands join."""
    keys = commands.add_parser("keys", help="API keys, and data keys for encryption at rest").add_subparsers(dest="keys_command", required=True)
    _command(keys, "rotate-data-key", cmd_keys_rotate, "add a new data key; new writes use it",
             ("--file", {"help": "the key file to add to (created if missing; default: the configured ring)"}))
    _command(keys, "status", cmd_keys_status, "data keys, what each seals, and whether rotation is due")
    _command(keys, "retire-data-key", cmd_keys_retire, "remove an older data key that no stored value uses", ("key_id", {}))

    _command(commands, "reencrypt", cmd_reencrypt, "reseal values sealed with older data keys (resumable)",
             ("--batch-size", {"type": int, "default": 500}))
    _command(commands, "purge", cmd_purge, "remove what has outlived its retention period")
    _command(commands, "backup", cmd_backup, "dump the database (mongodump layout, checksummed)", ("out_dir", {}))
    restore = _command(commands, "restore", cmd_restore, "load a backup after verifying it", ("dir", {}))
    mode = restore.add_mutually_exclusive_group()
    mode.add_argument("--drop", dest="mode", action="store_const", const="drop", help="replace each collection (default)")
    mode.add_argument("--merge", dest="mode", action="store_const", const="merge", help="add missing documents, keep the rest")
    restore.set_defaults(mode="drop")
    _command(commands, "backup-bench", cmd_backup_bench, "backup and restore throughput on a database of its own",
             ("--documents", {"type": int, "default": 10_000}),
             ("--chars", {"type": int, "default": 2000, "help": "characters of content per document"}))

    for verb, func, what in (("backup", cmd_models_backup, "write"), ("restore", cmd_models_restore, "restore from")):
        _command(models, verb, func, f"{what} a checksummed tar.gz of T5_MODEL_PATH",
                 ("archive", {}), ("--path", {"help": "model directory (default: T5_MODEL_PATH)"}))
    return keys
