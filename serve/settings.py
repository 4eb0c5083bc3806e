"""The one settings object. Reads the guide's environment variables unchanged."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?b?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3, "t": 1024**4, "tb": 1024**4}


def parse_size(value: str | int) -> int:
    """'2gb' -> 2147483648; ints pass through."""
    if isinstance(value, int):
        return value
    match = _SIZE.match(value)
    if not match:
        raise ValueError(f"not a size: {value!r} (use e.g. '512mb', '2gb')")
    number, unit = match.groups()
    return int(float(number) * _UNITS[unit.lower()])


class Settings(BaseSettings):
    """Everything the service can be told, with the guide's defaults.

    Names without a prefix are the guide's `.env.production` variables; the rest
    take a `WRITING_` prefix in the environment (e.g. WRITING_CACHE_EVICTION=lfu).
    """

    model_config = SettingsConfigDict(env_prefix="WRITING_", env_file=None, extra="ignore", populate_by_name=True)

    # The guide's variables, read under their own names.
    node_env: str = Field("development", validation_alias=AliasChoices("NODE_ENV", "node_env"))
    port: int = Field(3001, validation_alias=AliasChoices("PORT", "port"))
    mongodb_uri: str | None = Field(None, validation_alias=AliasChoices("MONGODB_URI", "mongodb_uri"))
    redis_url: str | None = Field(None, validation_alias=AliasChoices("REDIS_URL", "redis_url"))
    google_ai_api_key: str | None = Field(None, validation_alias=AliasChoices("GOOGLE_AI_API_KEY", "google_ai_api_key"))
    t5_model_path: str = Field("/opt/models/t5", validation_alias=AliasChoices("T5_MODEL_PATH", "t5_model_path"))
    log_level: Literal["debug", "info", "warning", "error"] = Field("info", validation_alias=AliasChoices("LOG_LEVEL", "log_level"))
    log_dir: str = "/var/log/ai-writing/"  # JSON log files, rotated, one per process (a temp dir when not writable)

    # Cache (the guide's CacheConfig).
    cache_ttl_suggestions_s: int = 3600
    cache_ttl_analysis_s: int = 7200
    cache_ttl_user_profile_s: int = 86400
    cache_max_memory: int = parse_size("2gb")
    cache_max_entries: int = 10_000
    cache_eviction: Literal["lru", "lfu"] = "lru"
    cache_stale_s: int = 86400  # how long past its TTL an answer is kept for FallbackMode.useCache

    # Engines.
    gemini_model: str = "gemini-2.5-flash"
    gemini_base_url: str | None = None  # point the SDK elsewhere (a proxy, a test server)
    gemini_timeout_s: float = 20.0
    engine_timeout_s: float = 60.0  # one engine's time for a request, retries included, before the router tries the next
    breaker_failures: int = 3  # consecutive failures that open an engine's circuit
    breaker_cooldown_s: float = 30.0
    gemini_key_recheck_s: float = 30.0  # while Gemini refuses the key, how often it is checked again
    ray_dashboard: bool = True  # python -m serve run starts Ray's dashboard too (`serve status`, the web UI)
    status_interval_s: float = 2.0  # how often engine status is asked for (ingress and router each)
    # T5's backend, device, batching and generation length: its user_config in serve_config.yaml.
    t5_prompts: dict[str, str] = {
        "grammar": "grammar: {text}",
        "formal": "Make this text more formal: {text}",
        "simple": "Make this text simpler: {text}",
        "concise": "Make this text more concise: {text}",
        "paraphrase": "Paraphrase this text: {text}",
    }

    # Requests.
    max_text_chars: int = 20_000
    # Rule-engine work on texts up to this size runs in the ingress replica itself (well under a
    # millisecond for a sentence, less than a hop to the Analyzer); longer texts and language
    # detection go to the Analyzer. 0 sends everything there.
    inline_rules_max_chars: int = 600

    # Store (MongoDB): how long a call waits for an unreachable server before a 503; the
    # largest document; analytics events buffered per ingress replica, written in batches.
    mongodb_timeout_s: float = 2.0
    embedded_mongo_path: str = "var/mongo/writing.sqlite"  # with no MONGODB_URI: the embedded server's data (relative: to the checkout)
    max_document_chars: int = 200_000
    events_buffer: int = 10_000  # events waiting beyond this are dropped (and counted)
    events_batch: int = 500
    events_flush_s: float = 1.0

    # Data protection (the guide's DataProtection): data keys for encryption at rest, as the
    # key file's JSON or its path; with neither, development uses var/data-keys.json.
    data_keys: str | None = None
    data_keys_file: str | None = None
    data_key_rotation_days: int = 90  # the guide's keyRotation: `keys status` says when the newest key is older
    retention_user_content_days: int = 90  # after a document's last change
    retention_analytics_days: int = 30

    # Security (the guide's SecurityConfig). NODE_ENV=production always requires keys. Keys are
    # stored as HMAC-SHA256 under `api_key_secret` (development: var/api-key-secret, made once).
    api_key_required: bool = False
    api_key_roles: list[str] = ["writer", "admin"]
    api_key_secret: SecretStr | None = None
    api_key_cache_s: float = 1.0  # how long a replica trusts a checked key: the most a revocation waits
    rate_limit_max: int = 100  # requests per window, per key (or per client address without one)
    rate_limit_window_s: int = 900
    rate_limit_roles: dict[str, int] = {}  # a role's own max per window; a key gets its most generous role's
    trusted_proxies: list[str] = []  # addresses or networks whose X-Forwarded-For names the client
    cors_origins: list[str] = []
    cors_methods: list[str] = ["GET", "POST", "PUT", "DELETE"]
    internal_host: str = "127.0.0.1"  # HAProxy's stats and metrics, Ray's ports: loopback unless a cluster says

    @property
    def api_keys_required(self) -> bool:
        return self.api_key_required or self.node_env == "production"

    @field_validator("cache_max_memory", mode="before")
    @classmethod
    def _size(cls, value: str | int) -> int:
        return parse_size(value)

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower() if isinstance(value, str) else value

    @field_validator("mongodb_uri", "redis_url", "google_ai_api_key", "gemini_base_url", "data_keys", "data_keys_file", mode="before")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @cached_property
    def t5_model_available(self) -> bool:
        return (Path(self.t5_model_path) / "config.json").is_file()

    @property
    def gemini_configured(self) -> bool:
        return bool(self.google_ai_api_key)

    def cache_ttl(self, kind: str) -> int:
        return {
            "suggestions": self.cache_ttl_suggestions_s,
            "rewrite": self.cache_ttl_suggestions_s,
            "analysis": self.cache_ttl_analysis_s,
            "userProfile": self.cache_ttl_user_profile_s,
        }[kind]
