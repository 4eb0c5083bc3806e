"""`python -m serve migrate` and `python -m serve db verify` as an operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pipelines.migrations import LATEST, declared_indexes, existing_indexes
from serve.store import DOCUMENTS, MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]


def serve_cli(settings, *args: str) -> subprocess.Popen:
    env = {**os.environ, "MONGODB_URI": settings.mongodb_uri}
    return subprocess.Popen([sys.executable, "-m", "serve", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finished(proc: subprocess.Popen) -> tuple[int, str]:
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out + err


def database_state(on_store, settings) -> tuple[list, dict]:
    async def work(store):
        records = [(r["_id"], r["state"]) async for r in store.db[MIGRATIONS].find({}).sort("_id", 1)]
        indexes = {c: await existing_indexes(store.db, c) for c in {i.collection for i in declared_indexes(settings)}}
        return records, indexes

    return on_store(settings, work)


def test_migrating_twice_applies_once_and_verifies(fresh_database, on_store):
    first = finished(serve_cli(fresh_database, "migrate"))
    second = finished(serve_cli(fresh_database, "migrate"))
    assert first[0] == 0 and "applied 1" in first[1] and f"applied {LATEST}" in first[1]
    assert second[0] == 0 and "nothing to apply" in second[1]
    records, indexes = database_state(on_store, fresh_database)
    assert records == [(v, "done") for v in range(1, LATEST + 1)]
    assert indexes[DOCUMENTS]["retention_ttl"]["ttl_s"] == 90 * 86400
    code, said = finished(serve_cli(fresh_database, "db", "verify"))
    assert code == 0, said
    assert "database verified" in said


def test_two_migrations_at_once_leave_one_state(fresh_database, on_store):
    runs = [serve_cli(fresh_database, "migrate") for _ in range(2)]
    outcomes = [finished(run) for run in runs]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    applied = [line for _, said in outcomes for line in said.splitlines() if line.startswith("applied ")]
    assert sorted(applied) == sorted(f"applied {m}" for m in _names()), applied  # each step applied by one run only
    records, indexes = database_state(on_store, fresh_database)
    assert records == [(v, "done") for v in range(1, LATEST + 1)]
    for index in declared_indexes(fresh_database):
        assert indexes[index.collection][index.name] == index.spec()
    assert finished(serve_cli(fresh_database, "db", "verify"))[0] == 0


def test_verify_names_what_is_off(fresh_database, on_store):
    code, said = finished(serve_cli(fresh_database, "db", "verify"))
    assert code == 1 and "not applied: run `python -m serve migrate`" in said
    assert finished(serve_cli(fresh_database, "migrate"))[0] == 0

    async def drop_ttl(store):
        await store.db[DOCUMENTS].drop_index("retention_ttl")

    on_store(fresh_database, drop_ttl)
    code, said = finished(serve_cli(fresh_database, "db", "verify"))
    assert code == 1 and "index documents.retention_ttl is missing" in said
    assert finished(serve_cli(fresh_database, "migrate"))[0] == 0  # puts it back
    assert finished(serve_cli(fresh_database, "db", "verify"))[0] == 0


def test_a_changed_retention_moves_the_ttl(fresh_database, on_store):
    assert finished(serve_cli(fresh_database, "migrate"))[0] == 0
    shorter = fresh_database.model_copy(update={"retention_analytics_days": 7})
    env_run = subprocess.run([sys.executable, "-m", "serve", "migrate"], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, "MONGODB_URI": shorter.mongodb_uri, "WRITING_RETENTION_ANALYTICS_DAYS": "7"})
    assert env_run.returncode == 0 and "rebuilt events.retention_ttl" in env_run.stdout
    _, indexes = database_state(on_store, shorter)
    assert indexes["events"]["retention_ttl"]["ttl_s"] == 7 * 86400


def test_verify_against_a_stopped_server_fails_clearly(private_mongo):
    private_mongo.stop()
    env = {**os.environ, "MONGODB_URI": private_mongo.uri, "WRITING_MONGODB_TIMEOUT_S": "0.5"}
    run = subprocess.run([sys.executable, "-m", "serve", "db", "verify"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert run.returncode == 1
    assert "the database is unreachable" in run.stderr


def _names() -> list[str]:
    from pipelines.migrations import MIGRATIONS_LIST

    return [f"{m.version}: {m.name}" for m in MIGRATIONS_LIST]
