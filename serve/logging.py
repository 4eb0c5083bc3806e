"""One logger set-up: JSON lines in the guide's ErrorLog shape.

{"timestamp", "level", "message", "stack"?, "context": {"requestId", "path", "method", ...}}
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import datetime, timezone

LOGGER_NAME = "writing"
_CONTEXT_KEYS = ("userId", "requestId", "path", "method", "status", "durationMs", "engine", "cached")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": {"WARNING": "warn", "CRITICAL": "error"}.get(record.levelname, record.levelname.lower()),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["stack"] = "".join(traceback.format_exception(*record.exc_info))
        context = {key: getattr(record, key) for key in _CONTEXT_KEYS if getattr(record, key, None) is not None}
        entry["context"] = context
        return json.dumps(entry, default=str)


def get_logger(level: str | None = None) -> logging.Logger:
    """The service's logger, writing JSON lines to stderr (Ray collects replica stderr).

    Deployments pass LOG_LEVEL once at start; later callers leave the level alone."""
    logger = logging.getLogger(LOGGER_NAME)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        logger.propagate = False
        logger.setLevel(logging.INFO)
    if level:
        logger.setLevel(level.upper())
    return logger
