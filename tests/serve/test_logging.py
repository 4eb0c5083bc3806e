"""JSON log lines in the guide's ErrorLog shape, to a rotated file under the configured directory."""

from __future__ import annotations

import json
import logging
import time

import pytest

from serve import logging as service_logging
from serve.logging import JsonFormatter, annotate, get_logger, request_context
from serve.settings import Settings
from support.logs import log_lines as lines


@pytest.fixture()
def log_dir(tmp_path):
    yield tmp_path
    get_logger(Settings())  # back to the session's level and directory


def test_a_log_line_is_the_guides_error_log_shape():
    try:
        raise ValueError("boom")
    except ValueError as exc:
        record = logging.LogRecord("writing", logging.ERROR, __file__, 1, "engine %s failed", ("t5",), (type(exc), exc, exc.__traceback__))
    record.requestId, record.path, record.method = "r-1", "/v1/suggestions", "POST"
    line = json.loads(JsonFormatter().format(record))
    assert set(line) == {"timestamp", "level", "message", "stack", "context"}
    assert (line["level"], line["message"]) == ("error", "engine t5 failed")
    assert "ValueError: boom" in line["stack"]
    assert line["context"] == {"requestId": "r-1", "path": "/v1/suggestions", "method": "POST"}


def test_lines_go_to_a_file_in_the_configured_directory_at_the_configured_level(log_dir):
    log = get_logger(Settings(log_dir=str(log_dir), log_level="warning"))
    log.info("not at this level")
    log.warning("cache set failed on redis")
    assert [(entry["level"], entry["message"]) for entry in lines(log_dir)] == [("warn", "cache set failed on redis")]
    assert get_logger().level == logging.WARNING  # later callers without settings leave it alone


def test_lines_written_during_a_request_carry_its_context_and_nothing_after_it(log_dir):
    log = get_logger(Settings(log_dir=str(log_dir)))
    with request_context(requestId="r-9", path="/v1/rewrite", method="POST"):
        annotate(userId="u-1")
        log.warning("engine t5 failed")
    log.warning("background refresh failed")
    first, second = lines(log_dir)
    assert first["context"] == {"requestId": "r-9", "path": "/v1/rewrite", "method": "POST", "userId": "u-1"}
    assert second["context"] == {}


def test_files_rotate_past_their_size(log_dir, monkeypatch):
    monkeypatch.setattr(service_logging, "FILE_MAX_BYTES", 2000)
    log = get_logger(Settings(log_dir=str(log_dir)))
    for n in range(200):
        log.info("line %d", n)
    log.warning("line 200")
    assert sorted(p.name.split(".log")[1] for p in log_dir.iterdir()) == ["", ".1", ".2", ".3", ".4", ".5"]
    assert all(len(p.read_bytes()) <= 2000 for p in log_dir.iterdir())
    newest = [entry["message"] for entry in lines(log_dir)]
    assert newest[-1] == "line 200" and newest == [f"line {n}" for n in range(201 - len(newest), 201)]


def test_info_lines_reach_the_file_within_a_second_and_a_warning_at_once_after_them(log_dir):
    log = get_logger(Settings(log_dir=str(log_dir)))
    log.info("GET /healthz 200")
    started = time.monotonic()
    assert [entry["message"] for entry in lines(log_dir, until=bool)] == ["GET /healthz 200"]
    assert time.monotonic() - started < 1.5
    log.info("POST /v1/suggestions 200")
    log.error("engine t5 failed")
    written = [json.loads(line)["message"] for path in log_dir.glob("*.log") for line in path.read_text().splitlines()]
    assert written == ["GET /healthz 200", "POST /v1/suggestions 200", "engine t5 failed"]  # no waiting: read at once


def test_an_unwritable_directory_falls_back_with_a_warning(log_dir):
    blocker = log_dir / "a-file"
    blocker.write_text("")
    log = get_logger(Settings(log_dir=str(blocker / "logs")))
    fallback = service_logging.log_directory(str(blocker / "logs"))
    assert fallback != blocker / "logs" and fallback.is_dir()
    log.warning("still logging")
    messages = [entry["message"] for entry in lines(fallback)]
    assert "still logging" in messages
