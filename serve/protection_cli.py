"""`python -m serve keys | reencrypt | purge | backup | restore | models backup | models restore`:
the data-protection commands (encryption keys, retention, backups)."""

from __future__ import annotations

import argparse


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    from serve.crypto import rotate_data_key
    from serve.settings import Settings

    print(rotate_data_key(Settings(), args.file))
    return 0


def add_commands(commands, models) -> None:
    """Register the commands on the top-level parser's subparsers (and `models`'s)."""
    keys = commands.add_parser("keys", help="data keys for encryption at rest").add_subparsers(dest="keys_command", required=True)
    rotate = keys.add_parser("rotate-data-key", help="add a new data key; new writes use it")
    rotate.add_argument("--file", help="the key file to add to (created if missing; default: the configured ring)")
    rotate.set_defaults(func=cmd_keys_rotate)
