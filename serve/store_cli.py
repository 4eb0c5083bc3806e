"""The store's commands: `python -m serve migrate`, `db verify`, `db bench`, and the embedded
MongoDB-wire server that `python -m serve run` starts when MONGODB_URI is not set."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from serve.settings import Settings


def start_embedded(settings: Settings):
    """Start the embedded server on its data under var/, migrate it, and point MONGODB_URI
    (this process's and its children's) at it; the caller stops it."""
    from serve.mongo import ROOT, start_migrated

    server = start_migrated(ROOT / settings.embedded_mongo_path, settings, report=print)  # an absolute path stays as it is
    os.environ["MONGODB_URI"] = server.uri
    print(f"embedded MongoDB-wire server at {server.uri} (data: {server.path})", flush=True)
    return server


def cmd_migrate(args: argparse.Namespace) -> int:
    from pipelines.migrations import migrate

    asyncio.run(migrate(Settings()))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from pipelines.migrations import verify

    problems = asyncio.run(verify(Settings()))
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    print("database verified: migrations applied, indexes and TTLs in place, sealed round trip ok" if not problems
          else f"database check failed: {len(problems)} problem(s)", file=sys.stderr if problems else sys.stdout)
    return 1 if problems else 0


def cmd_bench(args: argparse.Namespace) -> int:
    from pipelines.store_bench import run

    return run(args)


def add_commands(commands: argparse._SubParsersAction) -> None:
    migrate = commands.add_parser("migrate", help="apply the database migrations not yet applied (safe to repeat)")
    migrate.set_defaults(func=cmd_migrate)
    db = commands.add_parser("db", help="the database").add_subparsers(dest="db_command", required=True)
    verify = db.add_parser("verify", help="check migrations, indexes, TTLs and a sealed round trip; non-zero exit when off")
    verify.set_defaults(func=cmd_verify)
    bench = db.add_parser("bench", help="documents written per second through the API and through the store directly")
    bench.add_argument("--documents", type=int, default=1000, help="documents each way")
    bench.add_argument("--concurrency", type=int, default=16)
    bench.add_argument("--chars", type=int, default=2000, help="characters of content per document")
    bench.set_defaults(func=cmd_bench)
