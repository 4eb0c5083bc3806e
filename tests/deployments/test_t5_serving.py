"""T5 through Serve and HTTP: the engine interface the router calls, batching under
concurrent callers, and readiness for a random model."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from serve.local import call_deployment
from support.suggestions import applied

TEXT = "She dont know wich option is better. This are good."


def test_engine_t5_answers_with_edits_that_reproduce_the_models_text(t5_url, http):
    r = http.post(f"{t5_url}/v1/suggestions", json={"text": TEXT, "engine": "t5", "tasks": ["grammar", "spelling"]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["engine"] == "t5" and all(s["engine"] == "t5" for s in body["suggestions"])
    assert applied(TEXT, body["suggestions"]) == call_deployment("t5only", "T5", "transform", TEXT, "grammar")


def test_concurrent_callers_share_model_calls(t5_url):
    before = call_deployment("t5only", "T5", "stats")
    with httpx.Client(timeout=60) as client, ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda i: client.post(f"{t5_url}/v1/suggestions", json={
            "text": f"Request number {i} are here.", "engine": "t5", "tasks": ["grammar"]}), range(48)))
    assert all(a.status_code == 200 for a in answers)
    after = call_deployment("t5only", "T5", "stats")
    batches, items = after["batches"] - before["batches"], after["items"] - before["items"]
    assert items == 48 and batches < items  # some model calls carried several requests


def test_a_random_model_is_ready_for_engine_t5_and_readyz_says_why_auto_skips_it(t5_url, http):
    r = http.post(f"{t5_url}/v1/rewrite", json={"text": "Make it short.", "style": "paraphrase", "engine": "t5"})
    assert r.status_code == 200 and r.json()["engine"] == "t5"
    ready = http.get(f"{t5_url}/readyz").json()
    t5 = ready["engines"]["t5"]
    assert t5["live"] is True and t5["auto"] is False and "random" in t5["reason"] and t5["version"]
    assert ready["auto"] != "t5"
    auto = http.post(f"{t5_url}/v1/suggestions", json={"text": TEXT, "tasks": ["grammar"]})
    assert auto.status_code == 200 and auto.json()["engine"] != "t5"
