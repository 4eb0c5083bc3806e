"""The service with keys required, as an attacker meets it: two ingress replicas sharing a
real redis-server (rate limits) and the embedded MongoDB-wire server (keys), and an
admin key made the way an operator makes the first one."""

from __future__ import annotations

import secrets

import httpx
import pytest

from secure_app import issue_key, secure_settings
from support.services import deploy


@pytest.fixture(scope="session")
def secure_url(serve_port, redis_url, mongodb_uri, tmp_path_factory):
    missing = tmp_path_factory.mktemp("no-model")
    settings = secure_settings(redis_url=redis_url, mongodb_uri=mongodb_uri, t5_model_path=str(missing))
    return deploy(serve_port, "secure", "/secure", settings, {"Ingress": {"num_replicas": 2}})


@pytest.fixture(scope="session")
def admin_key(mongodb_uri) -> str:
    return issue_key(mongodb_uri, "ops", "admin", "writer")


@pytest.fixture(scope="session")
def admin(secure_url, admin_key):
    with httpx.Client(base_url=secure_url, headers={"Authorization": f"Bearer {admin_key}"}, timeout=30) as client:
        yield client


@pytest.fixture()
def writer(admin) -> dict:
    """A fresh writer key (a fresh rate-limit window) issued through the admin API: id, key, user."""
    r = admin.post("/v1/admin/keys", json={"user": f"writer-{secrets.token_hex(3)}", "roles": ["writer"]})
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture()
def writer_key(writer) -> str:
    return writer["key"]
