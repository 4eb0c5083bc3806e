"""What needs no Ray: production refuses to start without a key secret, the command that
makes the first key, X-Forwarded-For believed only from a trusted proxy, and rate limits
(in memory, and shared by two replicas through a real redis-server)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from serve.ratelimit import MemoryWindows, RateLimiter
from serve.security import KEY_PREFIX, ApiKeys, SecurityConfigError, key_hash, server_secret
from serve.settings import Settings
from serve.store import Store

ROOT = Path(__file__).resolve().parents[2]


def test_production_requires_keys_and_refuses_to_start_without_a_secret():
    production = Settings(node_env="production")
    assert production.api_keys_required and not Settings().api_keys_required
    with pytest.raises(SecurityConfigError, match="WRITING_API_KEY_SECRET"):
        server_secret(production)
    assert server_secret(Settings(node_env="production", api_key_secret="s" * 64)) == b"s" * 64


def test_the_secret_never_shows_in_the_settings_repr():
    settings = Settings(api_key_secret="very-secret-value", google_ai_api_key="AIza-secret")
    assert "very-secret-value" not in repr(settings) and "very-secret-value" not in str(settings.model_dump())


def test_the_hash_depends_on_the_secret():
    key = KEY_PREFIX + "x" * 43
    assert key_hash(b"one", key) != key_hash(b"two", key) and len(key_hash(b"one", key)) == 64


@pytest.mark.parametrize(
    "peer, forwarded, client",
    [
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not a proxy: its header is ignored
        ("10.0.0.5", "198.51.100.1", "198.51.100.1"),  # the trusted proxy names the client
        ("10.0.0.5", "6.6.6.6, 198.51.100.1, 10.0.0.7", "198.51.100.1"),  # a forged first hop is skipped
        ("10.0.0.5", None, "10.0.0.5"),
    ],
)
def test_a_client_behind_a_proxy_is_known_only_through_a_trusted_proxy(peer, forwarded, client):
    limiter = RateLimiter(Settings(trusted_proxies=["10.0.0.0/8"]))
    assert limiter.client_address(peer, forwarded) == client


def test_a_key_gets_its_most_generous_roles_limit_and_the_window_moves():
    limiter = RateLimiter(Settings(rate_limit_max=2, rate_limit_window_s=60, rate_limit_roles={"admin": 5}))
    assert limiter.limit_for({"writer"}) == 2 and limiter.limit_for({"writer", "admin"}) == 5

    async def hits():
        return [await limiter.hit("ip:1.2.3.4", {"writer"}) for _ in range(3)]

    first, second, third = asyncio.run(hits())
    assert (first.allowed, second.allowed, third.allowed) == (True, True, False)
    assert (first.remaining, second.remaining, third.remaining) == (1, 0, 0) and 0 < third.reset_s <= 60


def test_the_first_admin_key_comes_from_the_command_line(mongodb_uri):
    env = {**os.environ, "MONGODB_URI": mongodb_uri, "WRITING_API_KEY_SECRET": "cli-secret-" + "x" * 32}
    command = [sys.executable, "-m", "serve", "keys", "create", "--role", "admin", "--role", "writer", "--user", "root"]
    made = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip().splitlines()[-1]
    assert key.startswith(KEY_PREFIX) and "shown once" in made.stdout

    async def verify():
        settings = Settings(mongodb_uri=mongodb_uri, api_key_secret=env["WRITING_API_KEY_SECRET"])
        store = Store(settings)
        try:
            return await ApiKeys.from_settings(settings, store).verify(key)
        finally:
            await store.close()

    record = asyncio.run(verify())
    assert record.user == "root" and record.roles == ["admin", "writer"]
    refused = subprocess.run([*command[:-1], "   "], env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert refused.returncode == 2 and "user must name" in refused.stderr


def test_the_serve_command_refuses_production_without_a_key_secret():
    env = {k: v for k, v in os.environ.items() if k != "WRITING_API_KEY_SECRET"} | {"NODE_ENV": "production"}
    run = subprocess.run([sys.executable, "-m", "serve", "run"], env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 1 and run.stdout.startswith("cannot start: NODE_ENV=production needs WRITING_API_KEY_SECRET")


def test_without_redis_the_window_moves_in_memory_and_idle_callers_are_forgotten():
    windows = MemoryWindows(window_s=1)
    windows.SWEEP_EVERY = 4
    assert [windows.hit("ip:a", 2).allowed for _ in range(3)] == [True, True, False]
    refused = windows.hit("ip:a", 2)
    assert (refused.remaining, refused.reset_s) == (0, 1)
    time.sleep(1.05)
    assert windows.hit("ip:a", 2).allowed and windows.hit("ip:a", 2).allowed and not windows.hit("ip:a", 2).allowed
    time.sleep(1.05)
    windows.hit("ip:b", 2)  # the fourth hit since the last sweep: "ip:a" has been idle a whole window
    assert set(windows._times) == {"ip:b"}


def test_replicas_sharing_redis_share_one_window_and_an_unreachable_redis_falls_back_to_memory(redis_url):
    settings = Settings(redis_url=redis_url, rate_limit_max=3, rate_limit_window_s=2)
    one, two = RateLimiter(settings), RateLimiter(settings)  # two ingress replicas
    caller = f"ip:203.0.113.{os.getpid() % 250}"

    async def run():
        first = [await (one if k % 2 else two).hit(caller, ()) for k in range(4)]
        other = await one.hit(caller + "9", ())
        await asyncio.sleep(2.1)
        later = await two.hit(caller, ())
        return first, other, later

    first, other, later = asyncio.run(run())
    assert [w.allowed for w in first] == [True, True, True, False]
    assert [w.remaining for w in first] == [2, 1, 0, 0] and 0 < first[-1].reset_s <= 2
    assert other.allowed and other.remaining == 2  # another caller has its own window
    assert later.allowed and later.remaining == 2  # the window moved on

    down = RateLimiter(Settings(redis_url="redis://127.0.0.1:1/0", rate_limit_max=1, rate_limit_window_s=60))
    answers = asyncio.run(_hits(down, "ip:a", 2))
    assert [w.allowed for w in answers] == [True, False]  # counted in this replica instead


async def _hits(limiter, caller, n):
    return [await limiter.hit(caller, ()) for _ in range(n)]
