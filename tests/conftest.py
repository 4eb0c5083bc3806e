"""Real parts on loopback, started once per test session.

- Ray (once, with logical CPUs so fractional deployments fit) and Serve on a free port.
- redis-server (the Debian package) on a free port.
- A fake of Gemini's REST API, reached through the real google-genai SDK.
- A tiny random T5 built offline and loaded through the same code as a real checkpoint.

Apps are started lazily, so a run of pure unit tests starts none of this.
"""

from __future__ import annotations

import os
import tempfile

import httpx
import pytest

from serve.local import serve_runtime_env

os.environ.update(serve_runtime_env(isolated=True))  # before Ray starts: test the data path that `make serve` runs
os.environ.setdefault("RAY_SERVE_PROXY_READY_CHECK_TIMEOUT_S", "60")  # a busy test machine starts HAProxy slowly
os.environ.setdefault("WRITING_LOG_DIR", tempfile.mkdtemp(prefix="writing-logs-"))  # this run's log files, not /var/log

from support.gemini_fake import FakeGemini
from support.services import RedisServer, deploy, free_port


@pytest.fixture(scope="session")
def serve_port():
    """Ray and Serve, once per session; yields Serve's HTTP port."""
    import ray
    from ray import serve

    port = free_port()
    ray.init(num_cpus=16, include_dashboard=False, log_to_driver=False, configure_logging=False, _metrics_export_port=free_port())
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    yield port
    serve.shutdown()
    ray.shutdown()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def mongo(tmp_path_factory):
    """The embedded MongoDB-wire server (mongoeco over SQLite) on a free port, migrated."""
    from serve.mongo import start_migrated

    server = start_migrated(tmp_path_factory.mktemp("mongo") / "writing.sqlite")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mongodb_uri(mongo):
    return mongo.uri


@pytest.fixture(scope="session")
def gemini():
    fake = FakeGemini().start()
    yield fake
    fake.stop()


@pytest.fixture()
def gemini_script(gemini):
    """The fake Gemini, clean for the test that scripts it, and reset after it."""
    gemini.reset()
    yield gemini
    gemini.reset()


@pytest.fixture(scope="session")
def tiny_t5(tmp_path_factory):
    from pipelines.models import CTRANSLATE2_DIR, build_random, convert

    path = build_random(tmp_path_factory.mktemp("models") / "t5", shape="tiny")
    convert(path, path / CTRANSLATE2_DIR)  # both backends can load it
    return str(path)


@pytest.fixture(scope="session")
def base_url(serve_port, tmp_path_factory, mongodb_uri):
    """The service on its embedded defaults: no Redis, no Gemini key, no T5 model; the embedded store."""
    missing = tmp_path_factory.mktemp("no-model")
    return deploy(serve_port, "defaults", "/", {"t5_model_path": str(missing), "mongodb_uri": mongodb_uri})


@pytest.fixture(scope="session")
def full_url(serve_port, redis_url, gemini, tiny_t5, mongodb_uri):
    """Every part live: Redis cache, Gemini (fake REST API, real SDK) and a tiny T5."""
    return deploy(
        serve_port,
        "full",
        "/full",
        {
            "redis_url": redis_url,
            "mongodb_uri": mongodb_uri,
            "google_ai_api_key": "test-key",
            "gemini_base_url": gemini.url,
            "gemini_timeout_s": 2.0,
            "t5_model_path": tiny_t5,
            "breaker_failures": 2,
            "breaker_cooldown_s": 3.0,
        },
    )


@pytest.fixture(scope="session")
def t5_url(serve_port, tiny_t5):
    """A tiny T5 (random: `engine: t5` uses it, `auto` skips it) and no Gemini key."""
    return deploy(serve_port, "t5only", "/t5only", {"t5_model_path": tiny_t5})


@pytest.fixture(scope="session")
def http():
    with httpx.Client(timeout=60) as client:
        yield client
