"""The JSON lines the service wrote under a log directory."""

import json
import time
from pathlib import Path
from typing import Callable


def log_lines(directory: Path, until: Callable[[list[dict]], bool] = bool, seconds: float = 5.0) -> list[dict]:
    """Every line of the `*.log` files, read again until `until(lines)` holds or `seconds`
    pass (lines below warning reach the file within a second, not at once)."""
    deadline = time.monotonic() + seconds
    while True:
        lines = [json.loads(line) for path in sorted(Path(directory).glob("*.log")) for line in path.read_text().splitlines()]
        if until(lines) or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)
