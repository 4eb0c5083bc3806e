"""Starting real services for tests: the shared loopback helpers, failing the test
(rather than erroring) when a system package is missing."""

from __future__ import annotations

import pytest

from serve.local import RedisServer as _RedisServer
from serve.local import deploy, free_port, wait_until

__all__ = ["RedisServer", "deploy", "free_port", "wait_until"]


class RedisServer(_RedisServer):
    def __init__(self, workdir) -> None:
        try:
            super().__init__(workdir)
        except RuntimeError as exc:
            pytest.fail(f"{exc}; `make test` installs it")
