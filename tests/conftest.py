"""Real parts on loopback, started once per test session.

- Ray (once, with logical CPUs so fractional deployments fit) and Serve on a free port.
- redis-server (the Debian package) on a free port.
- A fake of Gemini's REST API, reached through the real google-genai SDK.
- A tiny random T5 built offline and loaded through the same code as a real checkpoint.

Apps are started lazily, so a run of pure unit tests starts none of this.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import httpx
import pytest

from support.gemini_fake import FakeGemini


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, timeout_s: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"timed out waiting for {what}")


@pytest.fixture(scope="session")
def serve_port():
    """Ray and Serve, once per session; yields Serve's HTTP port."""
    import ray
    from ray import serve

    port = free_port()
    ray.init(num_cpus=8, include_dashboard=False, log_to_driver=False, configure_logging=False)
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    yield port
    serve.shutdown()
    ray.shutdown()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (Debian: apt-get install redis-server); `make test` installs it")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir), "--maxmemory", "2gb", "--maxmemory-policy", "allkeys-lru"],
        stdout=subprocess.DEVNULL,
    )
    import redis

    wait_until(lambda: redis.Redis(port=port).ping(), 10, "redis-server")
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def gemini():
    fake = FakeGemini().start()
    yield fake
    fake.stop()


@pytest.fixture()
def gemini_script(gemini):
    """The fake Gemini, reset after the test that scripts it."""
    yield gemini
    gemini.reset()


@pytest.fixture(scope="session")
def tiny_t5(tmp_path_factory):
    from pipelines.models import build_random

    return str(build_random(tmp_path_factory.mktemp("models") / "t5", shape="tiny"))


def _deploy(port: int, name: str, prefix: str, settings: dict) -> str:
    from ray import serve

    from serve.graph import build_app

    serve.run(build_app(settings), name=name, route_prefix=prefix)
    url = f"http://127.0.0.1:{port}{prefix.rstrip('/')}"
    wait_until(lambda: httpx.get(f"{url}/readyz", timeout=5).status_code == 200, 120, f"app {name} ready")
    return url


@pytest.fixture(scope="session")
def base_url(serve_port, tmp_path_factory):
    """The service on its embedded defaults: no Redis, no Gemini key, no T5 model."""
    missing = tmp_path_factory.mktemp("no-model")
    return _deploy(serve_port, "defaults", "/", {"t5_model_path": str(missing)})


@pytest.fixture(scope="session")
def full_url(serve_port, redis_url, gemini, tiny_t5):
    """Every part live: Redis cache, Gemini (fake REST API, real SDK) and a tiny T5."""
    return _deploy(
        serve_port,
        "full",
        "/full",
        {
            "redis_url": redis_url,
            "google_ai_api_key": "test-key",
            "gemini_base_url": gemini.url,
            "gemini_timeout_s": 2.0,
            "t5_model_path": tiny_t5,
            "t5_max_new_tokens": 24,
            "breaker_failures": 2,
            "breaker_cooldown_s": 3.0,
        },
    )


@pytest.fixture(scope="session")
def t5_url(serve_port, tiny_t5):
    """A tiny T5 but no Gemini key: `auto` must pick T5."""
    return _deploy(serve_port, "t5only", "/t5only", {"t5_model_path": tiny_t5, "t5_max_new_tokens": 24})


@pytest.fixture(scope="session")
def http():
    with httpx.Client(timeout=60) as client:
        yield client
