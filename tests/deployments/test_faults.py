"""A failing dependency gives a slower or degraded answer, never a failed request."""

from __future__ import annotations

import uuid

import pytest
from ray import serve

from support.services import RedisServer, deploy, wait_until


@pytest.fixture()
def flaky_redis_app(serve_port, tmp_path_factory):
    redis_server = RedisServer(tmp_path_factory.mktemp("flaky-redis")).start()
    missing = tmp_path_factory.mktemp("no-model")
    url = deploy(serve_port, "flakyredis", "/flakyredis", {"redis_url": redis_server.url, "t5_model_path": str(missing)})
    yield url, redis_server
    serve.delete("flakyredis", _blocking=False)  # replicas drain in the background
    if redis_server.proc.poll() is None:
        redis_server.stop()


def test_when_redis_dies_requests_still_succeed_and_readiness_says_why(flaky_redis_app, http):
    url, redis_server = flaky_redis_app
    text = f"This are a exampel sentence {uuid.uuid4().hex[:6]}."
    assert http.post(f"{url}/v1/suggestions", json={"text": text}).json()["cached"] is False
    assert http.post(f"{url}/v1/suggestions", json={"text": text}).json()["cached"] is True

    redis_server.stop()
    during = http.post(f"{url}/v1/suggestions", json={"text": text})
    assert during.status_code == 200
    assert during.json()["cached"] is False and during.json()["suggestions"]
    ready = http.get(f"{url}/readyz")
    assert ready.status_code == 503 and int(ready.headers["retry-after"]) > 0
    assert any("cache backend redis is unreachable" in reason for reason in ready.json()["reasons"])

    redis_server.start()  # same port: the cache comes back without a restart
    wait_until(lambda: http.get(f"{url}/readyz").status_code == 200, 30, "readiness after redis returns")
    http.post(f"{url}/v1/suggestions", json={"text": text})
    assert http.post(f"{url}/v1/suggestions", json={"text": text}).json()["cached"] is True
