"""Stand-ins for DeploymentHandles in unit tests of plain deployment classes: each
method call is recorded, and answers come from a plain Python object."""

from __future__ import annotations

import asyncio


class FakeHandle:
    def __init__(self, target):
        self.target = target
        self.calls: list[tuple[str, tuple]] = []

    def __getattr__(self, method: str):
        handle = self

        class _Method:
            def remote(self, *args):
                handle.calls.append((method, args))
                return asyncio.ensure_future(_call(getattr(handle.target, method), *args))

        return _Method()

    def called(self, method: str) -> int:
        return sum(1 for name, _ in self.calls if name == method)


async def _call(fn, *args):
    result = fn(*args)
    return await result if asyncio.iscoroutine(result) else result
