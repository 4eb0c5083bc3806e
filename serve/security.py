"""API keys: random, shown once, kept only as HMAC-SHA256 under a server secret.

A key is `wsk_` + 43 URL-safe characters (256 random bits). The store keeps its
keyed hash, owner, roles, creation and last use; the key itself is printed once and
never stored or logged. Each replica trusts a key it has checked for
`api_key_cache_s` (1 s), so a revocation reaches every replica within that time
without a message bus; the replica that revokes forgets the key at once.

The secret comes from WRITING_API_KEY_SECRET. Without it, development makes
var/api-key-secret on first use (0600); NODE_ENV=production refuses to start instead,
so production keys are never hashed under a throwaway secret.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from cachetools import TTLCache
from pymongo import ASCENDING, ReturnDocument

from serve.errors import NotFound, ServiceError, Unprocessable
from serve.store import API_KEYS, now, reachable

KEY_PREFIX = "wsk_"
LOCAL_SECRET_FILE = Path(__file__).resolve().parent.parent / "var" / "api-key-secret"


class SecurityConfigError(RuntimeError):
    """The service cannot start with these security settings."""


def server_secret(settings) -> bytes:
    """The HMAC secret: from settings, or in development a local file made once."""
    if settings.api_key_secret is not None and settings.api_key_secret.get_secret_value():
        return settings.api_key_secret.get_secret_value().encode()
    if settings.node_env == "production":
        raise SecurityConfigError(
            "NODE_ENV=production needs WRITING_API_KEY_SECRET (at least 32 random bytes, e.g. `openssl rand -hex 32`)"
        )
    if not LOCAL_SECRET_FILE.exists():
        LOCAL_SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(LOCAL_SECRET_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
        except FileExistsError:  # two first starts at once: the first file wins
            pass
    return LOCAL_SECRET_FILE.read_text().strip().encode()


def key_hash(secret: bytes, key: str) -> str:
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class KeyRecord:
    """What is known about a key, without the key."""

    id: str
    user: str
    roles: list[str]
    created: datetime
    last_used: datetime | None = None
    revoked: datetime | None = None

    @classmethod
    def from_doc(cls, doc: dict) -> KeyRecord:
        return cls(doc["_id"], doc["user"], list(doc["roles"]), doc["created"], doc.get("last_used"), doc.get("revoked"))

    def public(self) -> dict:
        return {name: value.isoformat() if isinstance(value, datetime) else value for name, value in asdict(self).items()}


class ApiKeys:
    """Keys in the store's `api_keys` collection (indexes: a unique `hash`, and `user`)."""

    def __init__(self, store, secret: bytes, roles: list[str], cache_s: float = 1.0):
        self.store, self._secret, self.roles = store, secret, list(roles)
        self._checked: TTLCache = TTLCache(maxsize=10_000, ttl=cache_s)

    @classmethod
    def from_settings(cls, settings, store) -> ApiKeys:
        return cls(store, server_secret(settings), settings.api_key_roles, settings.api_key_cache_s)

    @property
    def collection(self):
        return self.store.db[API_KEYS]

    async def create(self, user: str, roles: list[str]) -> tuple[KeyRecord, str]:
        """A new key for `user` with `roles`: its record, and the key (shown once)."""
        unknown = sorted(set(roles) - set(self.roles))
        if not roles or unknown:
            raise Unprocessable(f"roles must be some of {self.roles}; got {sorted(set(roles))}")
        if not user.strip():
            raise Unprocessable("user must name the key's owner")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        record = KeyRecord(f"key_{secrets.token_hex(8)}", user.strip(), sorted(set(roles)), now())
        async with reachable("the key was not made:"):
            await self.collection.insert_one({"_id": record.id, "hash": key_hash(self._secret, key), "user": record.user,
                                              "roles": record.roles, "created": record.created, "last_used": None, "revoked": None})
        return record, key

    async def list(self, include_revoked: bool = False) -> list[KeyRecord]:
        query = {} if include_revoked else {"revoked": None}
        async with reachable("the keys could not be listed:"):
            return [KeyRecord.from_doc(doc) for doc in await self.collection.find(query, {"hash": 0}).sort("created", ASCENDING).to_list()]

    async def revoke(self, key_id: str) -> KeyRecord:
        async with reachable("the key was not revoked:"):
            doc = await self.collection.find_one_and_update(
                {"_id": key_id, "revoked": None}, {"$set": {"revoked": now()}}, return_document=ReturnDocument.AFTER
            )
        if doc is None:
            raise NotFound(f"no live key has the id {key_id!r}")
        self._checked.pop(doc["hash"], None)
        return KeyRecord.from_doc(doc)

    async def verify(self, key: str) -> KeyRecord | None:
        """The live key's record, or None for an unknown or revoked key."""
        if not key.startswith(KEY_PREFIX):
            return None
        digest = key_hash(self._secret, key)
        record = self._checked.get(digest)
        if record is None:
            async with reachable("the API key could not be checked:"):
                doc = await self.collection.find_one_and_update(
                    {"hash": digest, "revoked": None}, {"$set": {"last_used": now()}}, return_document=ReturnDocument.AFTER
                )
            if doc is None:
                return None
            record = self._checked[digest] = KeyRecord.from_doc(doc)
        return record


def cmd_keys_create(args) -> int:
    """Issue a key from the command line (the first admin key, before any exists)."""
    import asyncio
    import sys

    from serve.settings import Settings
    from serve.store import Store
    from serve.store_cli import start_embedded

    settings = Settings()
    embedded = None if settings.mongodb_uri else start_embedded(settings)

    async def create() -> tuple[KeyRecord, str]:
        store = Store(Settings())
        try:
            return await ApiKeys.from_settings(store.settings, store).create(args.user, args.role)
        finally:
            await store.close()

    try:
        record, key = asyncio.run(create())
    except ServiceError as exc:  # a blank owner, the database unreachable
        print(f"no key made: {exc.message}", file=sys.stderr)
        return 2
    finally:
        if embedded is not None:
            embedded.stop()
    print(f"key {record.id} for {record.user} with roles {', '.join(record.roles)} (shown once, keep it safe):\n{key}")
    return 0


def add_key_commands(keys) -> None:
    """`python -m serve keys create --role admin --user NAME` on the `keys` subcommands."""
    create = keys.add_parser("create", help="issue an API key (printed once)")
    create.add_argument("--user", required=True, help="the key's owner")
    create.add_argument("--role", action="append", required=True, choices=["writer", "admin"], help="repeat for both")
    create.set_defaults(func=cmd_keys_create)
