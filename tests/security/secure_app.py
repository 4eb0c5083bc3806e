"""The secured service's settings and key issuing, shared by the security tests."""

from __future__ import annotations

import asyncio
import secrets

import language_tool_python

from serve.security import ApiKeys
from serve.settings import Settings
from serve.store import Store

SECRET = secrets.token_hex(32)
ORIGIN = "https://editor.example"

def secure_settings(**over) -> dict:
    return {
        "api_key_required": True,
        "api_key_secret": SECRET,
        "rate_limit_max": 100,  # the default, which `deploy` lifts for other tests
        "rate_limit_roles": {"admin": 100_000},  # the admin key drives the fuzzer; writers get the default
        "cors_origins": [ORIGIN],
        **over,
    }

def issue_key(mongodb_uri: str, user: str, *roles: str) -> str:
    """A key issued straight through the store, as `python -m serve keys create` does."""

    async def create() -> str:
        settings = Settings(mongodb_uri=mongodb_uri, **secure_settings())
        store = Store(settings)
        try:
            return (await ApiKeys.from_settings(settings, store).create(user, list(roles)))[1]
        finally:
            await store.close()

    return asyncio.run(create())

class LanguageToolWithKey(language_tool_python.LanguageTool):
    """language_tool_python sending LanguageTool's `username` and `apiKey` fields, as
    LanguageTool Premium users configure it."""

    def __init__(self, *args, username: str, api_key: str, **kwargs):
        self.username, self.api_key = username, api_key
        super().__init__(*args, **kwargs)

    def _create_params(self, text: str) -> dict:
        return {**super()._create_params(text), "username": self.username, "apiKey": self.api_key}
