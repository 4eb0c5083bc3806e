"""One logger set-up: JSON lines in the guide's ErrorLog shape, to stdout and to files.

{"timestamp", "level", "message", "stack"?, "context": {"userId"?, "requestId", "path", "method", ...}}

Lines go to stdout and to a rotated file per process under `settings.log_dir`, which
Filebeat ships (cluster/filebeat/filebeat.yml). Inside a Serve replica, stdout is Ray's
own replica log (Ray captures it line by line, inspecting the stack of each write), so there
only warnings and errors go to stdout; every line still goes to the file. While a
request is served, every line carries its context (request id, path, method, user):
the ingress opens it with `request_context()` and anything on the way adds to it with
`annotate()`. Only the fields named here are ever written, never a request's text.
"""

from __future__ import annotations

import contextvars
import json
import logging
import logging.handlers
import os
import sys
import tempfile
import traceback
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from serve.settings import Settings

LOGGER_NAME = "writing"
FILE_MAX_BYTES = 10 * 1024 * 1024
FILE_BACKUPS = 5
_CONTEXT_KEYS = ("userId", "requestId", "path", "method", "route", "status", "engine", "cached", "latencyMs")
_LEVELS = {"WARNING": "warn", "CRITICAL": "error"}
_request: contextvars.ContextVar[dict | None] = contextvars.ContextVar("writing_request", default=None)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if "_json" in record.__dict__:  # formatted once for every handler
            return record.__dict__["_json"]
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": _LEVELS.get(record.levelname, record.levelname.lower()),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["stack"] = "".join(traceback.format_exception(*record.exc_info))
        fields = {**(_request.get() or {}), **record.__dict__}
        entry["context"] = {key: fields[key] for key in _CONTEXT_KEYS if fields.get(key) is not None}
        record._json = json.dumps(entry, default=str)
        return record._json


@contextmanager
def request_context(**fields) -> Iterator[dict]:
    """The context every log line written while the block runs carries (and tasks it starts)."""
    token = _request.set(dict(fields))
    try:
        yield _request.get()
    finally:
        _request.reset(token)


def annotate(**fields) -> None:
    """Add to the current request's log context (e.g. userId once the caller is known)."""
    context = _request.get()
    if context is not None:
        context.update(fields)


def log_directory(wanted: str) -> Path:
    """`wanted`, created if need be; a temporary directory (with a warning) when it cannot be written."""
    try:
        path = Path(wanted)
        path.mkdir(parents=True, exist_ok=True)
        if os.access(path, os.W_OK):
            return path
    except OSError:
        pass
    fallback = Path(tempfile.gettempdir()) / "ai-writing"
    fallback.mkdir(parents=True, exist_ok=True)
    logging.getLogger(LOGGER_NAME).warning("log directory %s is not writable; writing log files to %s", wanted, fallback)
    return fallback


def get_logger(settings: Settings | None = None) -> logging.Logger:
    """The service's logger. Each process passes its settings once (deployments do in
    `__init__`): LOG_LEVEL sets the level and the file goes under `log_dir`. Later
    callers without settings leave both alone."""
    logger = logging.getLogger(LOGGER_NAME)
    if not logger.handlers:
        stdout = logging.StreamHandler(sys.stdout)
        stdout.setFormatter(JsonFormatter())
        if type(sys.stdout).__name__ == "StreamToLogger":  # a Serve replica's stdout: Ray's replica log
            stdout.setLevel(logging.WARNING)
        logger.addHandler(stdout)
        logger.propagate = False
        logger.setLevel(logging.INFO)
    if settings is not None:
        logger.setLevel(settings.log_level.upper())
        _log_to_file(logger, settings.log_dir)
    return logger


def _log_to_file(logger: logging.Logger, wanted: str) -> None:
    path = log_directory(wanted) / f"ai-writing-{os.getpid()}.log"
    files = [h for h in logger.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
    if any(Path(h.baseFilename) == path for h in files):
        return
    for handler in files:  # settings moved the directory: one file per process
        logger.removeHandler(handler)
        handler.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=FILE_MAX_BYTES, backupCount=FILE_BACKUPS, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
