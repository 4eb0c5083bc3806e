"""JSON log lines in the guide's ErrorLog shape."""

from __future__ import annotations

import json
import logging

from serve.logging import JsonFormatter, get_logger


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


def test_the_configured_level_holds_for_later_callers():
    get_logger("warning")
    assert get_logger().level == logging.WARNING
    get_logger("info")
