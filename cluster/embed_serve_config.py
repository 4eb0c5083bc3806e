"""Write serve_config.yaml, unchanged, into cluster/rayservice.yaml's serveConfigV2.

    python cluster/embed_serve_config.py          # after editing serve_config.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "  serveConfigV2: |\n", "  rayClusterConfig:\n"


def embedded(manifest: str, serve_config: str) -> str:
    """`manifest` with its serveConfigV2 block replaced by `serve_config`, indented."""
    head, rest = manifest.split(START, 1)
    tail = rest[rest.index(END):]
    block = "".join(f"    {line}" if line.strip() else "\n" for line in serve_config.splitlines(True))
    return head + START + block + tail


def main() -> int:
    path = ROOT / "cluster" / "rayservice.yaml"
    path.write_text(embedded(path.read_text(), (ROOT / "serve_config.yaml").read_text()))
    print(f"embedded serve_config.yaml in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
