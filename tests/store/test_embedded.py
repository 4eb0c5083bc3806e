"""The embedded MongoDB-wire server keeps what was saved across restarts."""

from __future__ import annotations

from serve.mongo import EmbeddedMongo, start_migrated
from serve.settings import Settings


def test_a_document_outlives_a_server_restart(tmp_path, on_store):
    data = tmp_path / "writing.sqlite"
    with start_migrated(data) as first:
        saved = on_store(Settings(mongodb_uri=first.uri), lambda store: store.create_document("alice", "Kept", "words that stay"))
    with EmbeddedMongo(data) as second:  # a new process on a new port, the same file
        read = on_store(Settings(mongodb_uri=second.uri), lambda store: store.get_document("alice", saved["id"]))
    assert read == saved
