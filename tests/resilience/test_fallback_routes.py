"""FallbackMode through the ingress's HTTP routes, without Serve (FastAPI's TestClient,
plain objects behind the handles): what each switch does to an answer."""

from __future__ import annotations

import asyncio

import pytest
from fastapi.testclient import TestClient

from deployments.fallback import Fallback
from deployments.ingress import app
from deployments.ingress.deps import current
from deployments.ingress.service import Ingress
from deployments.router import auto_engine
from serve.errors import EngineUnavailable
from serve.settings import Settings
from support.handles import FakeHandle

EDIT = {"offset": 0, "length": 4, "original": "Thsi", "replacement": "This", "category": "spelling", "message": "m", "rule": "R"}


class Router:
    def __init__(self):
        self.engines = {name: {"live": True, "reason": None, "version": f"{name}-1", "auto": True} for name in ("gemini", "t5", "basic")}
        self.failing = False

    def status(self):
        return {"engines": self.engines, "auto": auto_engine(self.engines), "open_circuits": []}

    def suggest(self, text, tasks, language, engine):
        if self.failing:
            raise EngineUnavailable("gemini is down", retry_after=5)
        return {"suggestions": [dict(EDIT, engine="gemini")], "engine": "gemini"}

    def rewrite(self, text, style, engine):
        return {"text": text.upper(), "engine": engine if engine != "auto" else "gemini"}


class Rules:
    def suggest(self, text, tasks, language):
        return [dict(EDIT, engine="basic")]


@pytest.fixture()
def service(monkeypatch):
    settings = Settings(cache_ttl_suggestions_s=0, status_interval_s=0)  # every entry is past its TTL at once
    api = Ingress(settings, FakeHandle(Router()), FakeHandle(Rules()), FakeHandle(Fallback(settings)))
    monkeypatch.setitem(app.dependency_overrides, current, lambda: api)
    with TestClient(app) as client:
        yield client, api, api.router


def test_the_mode_is_read_and_switched_one_field_at_a_time(service):
    client, api, router = service
    first = client.get("/v1/admin/fallback").json()
    assert first["mode"] == {"useCache": False, "basicMode": False, "skipAI": False, "maxRetries": 2} and first["shared"] is True
    changed = client.put("/v1/admin/fallback", json={"maxRetries": 0}).json()
    assert changed["mode"]["maxRetries"] == 0 and changed["mode"]["useCache"] is False
    assert client.get("/readyz").json()["fallback"]["mode"]["maxRetries"] == 0
    for bad in ({"maxRetries": 11}, {"maxRetries": -1}, {"fastMode": True}, {"useCache": "sometimes"}):
        answer = client.put("/v1/admin/fallback", json=bad)
        assert answer.status_code == 422 and answer.json()["error"]["code"] == "validation_error"


def test_basic_mode_sends_every_request_to_the_rule_engine(service):
    client, api, router = service
    client.put("/v1/admin/fallback", json={"basicMode": True})
    answer = client.post("/v1/suggestions", json={"text": "Thsi is it.", "engine": "gemini"})
    assert answer.status_code == 200 and answer.json()["engine"] == "basic"
    assert router.called("suggest") == 0
    assert client.post("/v1/rewrite", json={"text": "hi there", "style": "formal"}).json()["engine"] == "basic"


def test_skip_ai_answers_from_the_rules_and_refuses_rewrites(service):
    client, api, router = service
    client.put("/v1/admin/fallback", json={"skipAI": True})
    assert client.post("/v1/suggestions", json={"text": "Thsi is it."}).json()["engine"] == "basic"
    refused = client.post("/v1/rewrite", json={"text": "hi there", "style": "formal"})
    assert refused.status_code == 503 and refused.headers["retry-after"] == "60" and "skipAI" in refused.json()["error"]["message"]


def test_use_cache_serves_an_expired_answer_marked_stale_when_engines_fail(service):
    client, api, router = service
    fresh = client.post("/v1/suggestions", json={"text": "Thsi is it.", "engine": "gemini"})
    assert fresh.json()["engine"] == "gemini" and fresh.json()["stale"] is False
    router.target.failing = True
    failed = client.post("/v1/suggestions", json={"text": "Thsi is it.", "engine": "gemini"})
    assert failed.status_code == 503 and failed.headers["retry-after"] == "5"
    client.put("/v1/admin/fallback", json={"useCache": True})
    stale = client.post("/v1/suggestions", json={"text": "Thsi is it.", "engine": "gemini"})
    assert stale.status_code == 200 and stale.json()["stale"] is True and stale.json()["cached"] is True
    assert stale.json()["suggestions"] == fresh.json()["suggestions"]
    never_seen = client.post("/v1/suggestions", json={"text": "Never asked before.", "engine": "gemini"})
    assert never_seen.status_code == 503  # nothing cached to fall back on


def test_while_draining_new_requests_get_503_with_retry_after(service):
    client, api, router = service
    asyncio.run(api.fallback.update(draining=True))
    refused = client.post("/v1/suggestions", json={"text": "Thsi is it."})
    assert refused.status_code == 503 and int(refused.headers["retry-after"]) > 0
    assert "shutting down" in refused.json()["error"]["message"]
    assert client.get("/healthz").status_code == 200
