"""One logger set-up: JSON lines in the guide's ErrorLog shape, to stdout and to files.

{"timestamp", "level", "message", "stack"?, "context": {"userId"?, "requestId", "path", "method", ...}}

Lines go to stdout and to a rotated file per process under `settings.log_dir`, which
Filebeat ships (cluster/filebeat/filebeat.yml). Inside a Serve replica, stdout is Ray's
own replica log (Ray captures it line by line, inspecting the stack of each write), so there
only warnings and errors go to stdout; every line still goes to the file. The file is
written in batches: a warning or an error at once (with what came before it), other lines
within `FLUSH_S` seconds, so an access line costs no system call of its own. While a
request is served, every line carries its context (request id, path, method, user):
the ingress opens it (`request_context()`, or `open_context()` in its middleware) and
anything on the way adds to it with `annotate()`; its access line is `access()`, built
once. Only the fields named here are ever written, never a request's text.
"""

from __future__ import annotations

import contextvars
import json
import logging
import logging.handlers
import os
import sys
import tempfile
import threading
import time
import traceback
import weakref
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from serve.settings import Settings

LOGGER_NAME = "writing"
FILE_MAX_BYTES = 10 * 1024 * 1024
FILE_BACKUPS = 5
FLUSH_S = 0.5
FLUSH_LINES = 512
_CONTEXT_KEYS = ("userId", "requestId", "path", "method", "route", "status", "engine", "cached", "latencyMs")
_LEVELS = {"WARNING": "warn", "CRITICAL": "error"}
_request: contextvars.ContextVar[dict | None] = contextvars.ContextVar("writing_request", default=None)


_second: tuple[int | None, str] = (None, "")  # the last whole second formatted, and its text


def timestamp(when: float) -> str:
    """`when` (time.time()) as ISO 8601 in UTC to the millisecond, the date and time
    formatted once a second: "2025-01-31T12:00:00.123+00:00"."""
    global _second
    second, micros = divmod(round(when * 1_000_000), 1_000_000)
    formatted = _second  # one read: another thread may format the next second meanwhile
    if formatted[0] != second:
        formatted = _second = (second, datetime.fromtimestamp(second, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"))
    return f"{formatted[1]}.{micros // 1000:03d}+00:00"


def _context_of(fields: dict) -> dict:
    """The context fields a log line carries: only those named in `_CONTEXT_KEYS`, and set."""
    return {key: fields[key] for key in _CONTEXT_KEYS if fields.get(key) is not None}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if "_json" in record.__dict__:  # formatted once for every handler
            return record.__dict__["_json"]
        entry = {
            "timestamp": timestamp(record.created),
            "level": _LEVELS.get(record.levelname, record.levelname.lower()),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["stack"] = "".join(traceback.format_exception(*record.exc_info))
        entry["context"] = _context_of({**(_request.get() or {}), **record.__dict__})
        record._json = json.dumps(entry, default=str)
        return record._json


@contextmanager
def request_context(**fields) -> Iterator[dict]:
    """The context every log line written while the block runs carries (and tasks it starts)."""
    context = dict(fields)
    token = open_context(context)
    try:
        yield context
    finally:
        close_context(token)


def open_context(fields: dict) -> contextvars.Token:
    """`request_context` without the context manager, for the ingress's middleware:
    `fields` is the context until `close_context(token)`."""
    return _request.set(fields)


def close_context(token: contextvars.Token) -> None:
    _request.reset(token)


def access(message: str, context: dict) -> None:
    """One INFO line with `context` (the request's, with its route, status and latency):
    the same JSON line the logger writes, built once, with no LogRecord for the batched
    files (a replica's only handler at INFO)."""
    logger = _logger
    if not logger.isEnabledFor(logging.INFO):
        return
    line = record = None
    for handler in logger.handlers:
        if logging.INFO < handler.level:
            continue
        if line is None:
            entry = {"timestamp": timestamp(time.time()), "level": "info", "message": message,
                     "context": _context_of(context)}
            line = json.dumps(entry, default=str)
        if type(handler) is BatchedFile and not handler.filters:
            handler.add(line)
            continue
        if record is None:
            record = logger.makeRecord(logger.name, logging.INFO, __file__, 0, message, (), None)
            record._json = line
        handler.handle(record)


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


_logger = logging.getLogger(LOGGER_NAME)


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
    handler = BatchedFile(path, maxBytes=FILE_MAX_BYTES, backupCount=FILE_BACKUPS, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)


class BatchedFile(logging.handlers.RotatingFileHandler):
    """A rotated file written in batches: a warning or an error at once (with the lines
    before it), other lines within FLUSH_S seconds (a daemon thread flushes every file
    handler; logging's own shutdown flushes at exit). Rotation is by the bytes written."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pending: list[str] = []
        self._size: int | None = None
        _batched.add(self)
        _start_flusher()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._pending.append(self.format(record) + "\n")
            if record.levelno >= logging.WARNING or len(self._pending) >= FLUSH_LINES:
                self._write()
        except Exception:
            self.handleError(record)

    def add(self, line: str) -> None:
        """A line already formatted, below WARNING (written within FLUSH_S seconds)."""
        try:
            with self.lock:
                self._pending.append(line + "\n")
                if len(self._pending) >= FLUSH_LINES:
                    self._write()
        except Exception:
            self.handleError(logging.makeLogRecord({"msg": line}))

    def flush(self) -> None:
        self.acquire()
        try:
            self._write()
        finally:
            self.release()

    def close(self) -> None:
        self.flush()
        super().close()

    def _write(self) -> None:
        lines, self._pending = self._pending, []
        if not lines:
            return
        if self.stream is None:
            self.stream = self._open()
        if self._size is None:
            self._size = self.stream.seek(0, 2)
        batch: list[str] = []
        for line in lines:  # JSON lines are ASCII: characters are bytes
            if self.maxBytes and self._size and self._size + len(line) > self.maxBytes:
                self.stream.write("".join(batch))
                self.doRollover()
                batch, self._size = [], 0
            batch.append(line)
            self._size += len(line)
        self.stream.write("".join(batch))
        self.stream.flush()


_batched: weakref.WeakSet[BatchedFile] = weakref.WeakSet()
_flusher: threading.Thread | None = None


def _start_flusher() -> None:
    global _flusher
    if _flusher is None or not _flusher.is_alive():
        _flusher = threading.Thread(target=_flush_forever, name="log-flush", daemon=True)
        _flusher.start()


def _flush_forever() -> None:
    while True:
        time.sleep(FLUSH_S)
        for handler in list(_batched):
            if handler._pending:
                handler.flush()
