"""Gemini (real SDK, fake REST API) and the router's fallbacks (T5 through Serve: test_t5_serving.py)."""

from __future__ import annotations

import time
import uuid

from serve.settings import Settings
from support.suggestions import applied

EXAMPLE = "This are a exampel sentence."


def unique(text: str) -> str:
    return f"{text} Ref {uuid.uuid4().hex[:8]}."


def test_gemini_answers_through_the_real_sdk(full_url, http, gemini_script):
    text = unique(EXAMPLE)
    gemini_script.answers[text] = text.replace("This are a exampel", "This is an example")
    r = http.post(f"{full_url}/v1/suggestions", json={"text": text, "engine": "gemini", "tasks": ["grammar", "spelling"]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["engine"] == "gemini"
    assert applied(text, body["suggestions"]) == gemini_script.answers[text]
    assert {s["original"] for s in body["suggestions"]} == {"are", "a", "exampel"}
    sent = gemini_script.requests[-1]
    assert sent["model"] == "gemini-2.5-flash"
    config = sent["body"]["generationConfig"]
    assert config["responseMimeType"] == "application/json" and config["temperature"] == 0
    assert "text" in str(config.get("responseSchema") or config.get("responseJsonSchema"))


def test_auto_prefers_gemini_when_a_key_is_configured(full_url, http, gemini_script):
    text = unique("She dont like it.")
    gemini_script.answers[text] = text.replace("dont", "doesn't")
    body = http.post(f"{full_url}/v1/suggestions", json={"text": text}).json()
    assert body["engine"] == "gemini"
    assert any(s["original"] == "dont" and s["replacement"] == "doesn't" for s in body["suggestions"])


def test_gemini_rewrite(full_url, http, gemini_script):
    text = unique("gonna fix it soon")
    gemini_script.answers[text] = "I will fix it soon."
    body = http.post(f"{full_url}/v1/rewrite", json={"text": text, "style": "formal", "engine": "gemini"}).json()
    assert body == {"text": "I will fix it soon.", "engine": "gemini", "cached": False, "stale": False, "request_id": body["request_id"]}


def test_when_gemini_fails_auto_falls_back_and_explicit_gets_503(full_url, http, gemini_script):
    gemini_script.mode = "error"
    r = http.post(f"{full_url}/v1/suggestions", json={"text": unique(EXAMPLE), "engine": "gemini"})
    assert r.status_code == 503 and r.json()["error"]["code"] == "engine_unavailable"
    assert int(r.headers["retry-after"]) > 0
    fallback = http.post(f"{full_url}/v1/suggestions", json={"text": unique(EXAMPLE)})
    assert fallback.status_code == 200
    assert fallback.json()["engine"] == "basic"  # the tiny T5 is random: auto skips it
    # two failures open the circuit (breaker_failures=2): readiness says so
    gemini_status = http.get(f"{full_url}/readyz").json()["engines"]["gemini"]
    assert gemini_status["circuit"] == "open" and gemini_status["live"] is False
    # once Gemini is back and the cooldown (3 s) passes, a trial call closes the circuit
    gemini_script.mode = "ok"
    time.sleep(3.5)
    recovered = http.post(f"{full_url}/v1/suggestions", json={"text": unique(EXAMPLE), "engine": "gemini"})
    assert recovered.status_code == 200 and recovered.json()["engine"] == "gemini"


def test_gemini_timeout_and_unparseable_answers_fall_back(full_url, http, gemini_script):
    gemini_script.mode, gemini_script.delay_s = "slow", 5.0  # over gemini_timeout_s=2
    started = time.monotonic()
    slow = http.post(f"{full_url}/v1/suggestions", json={"text": unique(EXAMPLE)})
    assert slow.status_code == 200 and slow.json()["engine"] == "basic"
    assert time.monotonic() - started < 15
    gemini_script.mode = "garbage"
    r = http.post(f"{full_url}/v1/suggestions", json={"text": unique(EXAMPLE), "engine": "gemini"})
    assert r.status_code == 503


def test_redis_cache_is_shared_and_expires_per_kind(full_url, http, redis_url, gemini_script):
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    text = unique(EXAMPLE)
    first = http.post(f"{full_url}/v1/suggestions", json={"text": text, "engine": "basic"}).json()
    second = http.post(f"{full_url}/v1/suggestions", json={"text": text, "engine": "basic"}).json()
    assert (first["cached"], second["cached"]) == (False, True)
    http.post(f"{full_url}/v1/analysis", json={"text": text})
    ttls = sorted(client.ttl(k) for k in client.scan_iter("writing:cache:*"))
    assert len(ttls) == 2
    kept = Settings().cache_stale_s  # entries outlive their TTL by this, for FallbackMode.useCache
    assert 3500 + kept < ttls[0] <= 3600 + kept and 7100 + kept < ttls[1] <= 7200 + kept  # suggestions 1 h, analysis 2 h
    assert http.get(f"{full_url}/readyz").json()["cache"]["backend"] == "redis"
