"""The embedded MongoDB-wire server: mongoeco's AsyncMongoEcoProxyServer over its SQLite
engine, for running with no MONGODB_URI and for the tests.

mongoeco needs Python 3.13, so the server runs in its own venv (`.venv-mongo`, made by
`make install`) as a child process; the service talks to it with the same pymongo code
as to a real MongoDB. `python -m serve.mongo --path FILE --port N` (under that venv) is
the server itself; `EmbeddedMongo` starts and stops it from the service's Python.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-mongo"
DATABASE = "writing"


def uri(port: int, database: str = DATABASE) -> str:
    return f"mongodb://127.0.0.1:{port}/{database}?directConnection=true"


class EmbeddedMongo:
    """The wire server as a child process on a loopback port, its data in one SQLite file."""

    def __init__(self, path: Path, port: int | None = None, log: Path | None = None):
        from serve.local import free_port

        self.path, self.port = Path(path), port or free_port()
        self.log = log or self.path.with_suffix(".log")
        self.proc: subprocess.Popen | None = None

    @property
    def uri(self) -> str:
        return uri(self.port)

    def start(self, timeout_s: float = 60.0) -> EmbeddedMongo:
        from serve.local import wait_until

        if self.proc is not None and self.proc.poll() is None:
            return self  # already running (e.g. `with start_migrated(...) as server:`)
        python = VENV / "bin" / "python"
        if not python.exists():
            raise RuntimeError(f"the embedded MongoDB server needs {VENV} (run `make install`), or set MONGODB_URI")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [str(python), "-m", "serve.mongo", "--path", str(self.path), "--port", str(self.port)],
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C reaches the service first, which then stops this
            )
        wait_until(self._answers, timeout_s, f"the MongoDB-wire server on port {self.port} (log: {self.log})")
        return self

    def _answers(self) -> bool:
        from pymongo import MongoClient

        if self.proc.poll() is not None:
            raise RuntimeError(f"the MongoDB-wire server exited with {self.proc.returncode}; see {self.log}")
        with MongoClient(self.uri, serverSelectionTimeoutMS=500) as client:
            return client.admin.command("ping")["ok"] == 1

    def stop(self, timeout_s: float = 15.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self) -> EmbeddedMongo:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _insert_without_full_scan() -> None:
    """mongoeco checks every inserted _id against every stored document (so that numeric ids
    such as 1 and 1.0 collide), which makes inserting n documents O(n^2): 200 inserts took
    52 s. Other ids are already caught by their storage key, so scan only for numeric ones."""
    from mongoeco.core.identity import id_contains_numeric_value
    from mongoeco.engines.sqlite import SQLiteEngine

    validate = SQLiteEngine._validate_document_against_unique_indexes

    def validate_by_key(self, db_name, coll_name, document, *, scan_payload_id=False, **options):
        scan = scan_payload_id and id_contains_numeric_value(document.get("_id"))
        return validate(self, db_name, coll_name, document, scan_payload_id=scan, **options)

    SQLiteEngine._validate_document_against_unique_indexes = validate_by_key


def start_migrated(path: Path, settings=None, report=lambda line: None) -> EmbeddedMongo:
    """A server on the data at `path`, started and migrated (and stopped again if migrating
    fails); `settings` (serve.settings.Settings) give the retention TTLs."""
    import asyncio

    from pipelines.migrations import migrate
    from serve.settings import Settings

    server = EmbeddedMongo(path).start()
    try:
        asyncio.run(migrate((settings or Settings()).model_copy(update={"mongodb_uri": server.uri}), report=report))
    except BaseException:
        server.stop()
        raise
    return server


async def _serve(path: str, port: int) -> None:
    import asyncio
    import signal

    from mongoeco.engines.sqlite import SQLiteEngine
    from mongoeco.wire.proxy import AsyncMongoEcoProxyServer

    _insert_without_full_scan()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with AsyncMongoEcoProxyServer(engine=SQLiteEngine(path), host="127.0.0.1", port=port) as server:
        print(f"MongoDB-wire server on {server.address.host}:{server.address.port}, data in {path}", flush=True)
        await stop.wait()  # leaving the block closes the engine: SQLite is left consistent


def main(argv: list[str] | None = None) -> int:
    import asyncio

    parser = argparse.ArgumentParser(prog="python -m serve.mongo", description="the embedded MongoDB-wire server")
    parser.add_argument("--path", required=True, help="the SQLite file that holds the data")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    asyncio.run(_serve(args.path, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
