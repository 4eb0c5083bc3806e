"""Encryption at rest: a ring of AES-256-GCM data keys, envelope style.

Every sealed value carries the id of the key that sealed it, so keys can rotate:
new writes use the newest key, older keys keep opening what they sealed until the
re-encryption job (pipelines/reencrypt.py) has moved every record off them.

The ring comes from settings: `WRITING_DATA_KEYS` (the key file's JSON, for a
secret store) or `WRITING_DATA_KEYS_FILE`. Without either, a local key file under
var/ is created on first use (0600); with NODE_ENV=production the service refuses
to start instead, so production data is never sealed with a throwaway key.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ALGORITHM = "AES-256-GCM"
LOCAL_KEYS_FILE = Path(__file__).resolve().parent.parent / "var" / "data-keys.json"
_NONCE_BYTES = 12


def context(collection: str, record_id: object, field: str) -> str:
    """The associated data a stored field is sealed under: a ciphertext copied to another
    record or field fails to open instead of showing someone else's text."""
    return f"{collection}:{record_id}:{field}"


class KeyRingError(Exception):
    """The key ring cannot be loaded or changed (missing, malformed, refused)."""


class SealedDataError(Exception):
    """A sealed value cannot be opened: unknown key, malformed, or tampered with."""


@dataclass(frozen=True)
class DataKey:
    id: str
    secret: bytes
    created: str

    @classmethod
    def generate(cls) -> DataKey:
        now = datetime.now(timezone.utc)
        return cls(f"dk-{now:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}", AESGCM.generate_key(bit_length=256), now.isoformat())

    def to_json(self) -> dict:
        return {"id": self.id, "key": base64.b64encode(self.secret).decode(), "created": self.created}


class KeyRing:
    """Data keys in creation order; the last one seals, all of them open."""

    def __init__(self, keys: list[DataKey], source: Path | None = None):
        if not keys:
            raise KeyRingError("the data key ring is empty")
        self.keys = {key.id: key for key in keys}
        self.current = keys[-1]
        self.source = source  # the key file, when the ring came from one
        self._ciphers = {key.id: AESGCM(key.secret) for key in keys}

    # Loading -------------------------------------------------------------------------

    @classmethod
    def from_json(cls, text: str, source: Path | None = None) -> KeyRing:
        where = source or "WRITING_DATA_KEYS"
        try:
            entries = json.loads(text)["keys"]
            keys = [DataKey(e["id"], base64.b64decode(e["key"], validate=True), e.get("created", "")) for e in entries]
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyRingError(f"{where}: not a data key ring ({exc!r}); expected {{\"keys\": [{{\"id\", \"key\"}}]}}") from exc
        short = [key.id for key in keys if len(key.secret) != 32]
        if short:
            raise KeyRingError(f"{where}: keys {short} are not 256-bit (32 bytes, base64)")
        return cls(keys, source)

    @classmethod
    def from_file(cls, path: Path) -> KeyRing:
        try:
            return cls.from_json(path.read_text(), source=path)
        except OSError as exc:
            raise KeyRingError(f"cannot read the data key file {path}: {exc.strerror}") from exc

    @classmethod
    def from_settings(cls, settings) -> KeyRing:
        """The configured ring; in development a local key file is made on first use."""
        if settings.data_keys:
            return cls.from_json(settings.data_keys)
        if settings.data_keys_file:
            return cls.from_file(Path(settings.data_keys_file))
        if settings.node_env == "production":
            raise KeyRingError(
                "NODE_ENV=production needs data keys: set WRITING_DATA_KEYS_FILE (or WRITING_DATA_KEYS); "
                "create them with `python -m serve keys rotate-data-key --file PATH`"
            )
        if not LOCAL_KEYS_FILE.exists():
            _write_new(LOCAL_KEYS_FILE, [DataKey.generate()])
        return cls.from_file(LOCAL_KEYS_FILE)

    def to_json(self) -> str:
        return json.dumps({"keys": [key.to_json() for key in self.keys.values()]}, indent=2) + "\n"

    # Sealing ---------------------------------------------------------------------------

    def seal(self, plaintext: str, context: str) -> dict:
        """Encrypt with the newest key. `context` (e.g. "documents:<id>:content") is bound
        as associated data: the value opens only under the same context."""
        nonce = os.urandom(_NONCE_BYTES)
        ciphertext = self._ciphers[self.current.id].encrypt(nonce, plaintext.encode(), context.encode())
        return {"alg": ALGORITHM, "kid": self.current.id, "nonce": nonce, "ct": ciphertext}

    def open(self, sealed: dict, context: str) -> str:
        try:
            key_id, nonce, ciphertext = sealed["kid"], bytes(sealed["nonce"]), bytes(sealed["ct"])
        except (KeyError, TypeError) as exc:
            raise SealedDataError(f"not a sealed value (missing {exc}) in {context}") from exc
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise SealedDataError(f"{context} is sealed with data key {key_id!r}, which is not in the key ring")
        try:
            return cipher.decrypt(nonce, ciphertext, context.encode()).decode()
        except (InvalidTag, ValueError) as exc:
            raise SealedDataError(f"{context} failed authentication: the stored ciphertext was altered or belongs elsewhere") from exc

    def is_current(self, sealed: dict) -> bool:
        return sealed.get("kid") == self.current.id

    def reseal(self, sealed: dict, context: str) -> dict:
        """The same plaintext under the newest key (rotation)."""
        return self.seal(self.open(sealed, context), context)

    # Rotation --------------------------------------------------------------------------

    def rotation_due(self, every_days: int, now: datetime | None = None) -> bool:
        """Whether the newest key is older than the guide's keyRotation period."""
        created = datetime.fromisoformat(self.current.created) if self.current.created else None
        return created is None or (now or datetime.now(timezone.utc)) - created > timedelta(days=every_days)

    def with_new_key(self) -> KeyRing:
        return KeyRing([*self.keys.values(), DataKey.generate()], self.source)

    def without(self, key_id: str) -> KeyRing:
        if key_id == self.current.id:
            raise KeyRingError(f"{key_id} is the newest key and seals new writes; rotate first")
        if key_id not in self.keys:
            raise KeyRingError(f"{key_id} is not in the key ring")
        return KeyRing([key for key in self.keys.values() if key.id != key_id], self.source)

    def save(self) -> None:
        """Write the ring back to its key file (atomically, 0600)."""
        if self.source is None:
            raise KeyRingError("this ring came from WRITING_DATA_KEYS: store the printed JSON in your secret store instead")
        _write_new(self.source, list(self.keys.values()), replace=True)


def _write_new(path: Path, keys: list[DataKey], replace: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(KeyRing(keys).to_json())
    if replace:
        os.replace(staging, path)
        return
    try:
        os.link(staging, path)  # two first starts at once: the first key file wins
    except FileExistsError:
        pass
    finally:
        os.unlink(staging)


def rotate_data_key(settings, file: str | None = None) -> str:
    """Add a new newest key to the configured ring (or to FILE, created if missing);
    says what was done. A ring from WRITING_DATA_KEYS is printed for the secret store."""
    if file:
        path = Path(file)
        if not path.exists():
            _write_new(path, [DataKey.generate()])
            return f"created {path} with data key {KeyRing.from_file(path).current.id}"
        ring = KeyRing.from_file(path).with_new_key()
    else:
        ring = KeyRing.from_settings(settings).with_new_key()
    if ring.source is None:
        return ring.to_json()
    ring.save()
    return f"added data key {ring.current.id} to {ring.source}; new writes use it, run `python -m serve reencrypt` to move old records"
