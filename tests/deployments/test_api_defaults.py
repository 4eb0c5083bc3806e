"""The service on its embedded defaults, through real HTTP: rules answer, in-replica cache."""

from __future__ import annotations

import uuid

import pytest

from support.suggestions import applied

EXAMPLE = "This are a exampel sentence."


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert body["error"]["request_id"] == response.headers["x-request-id"]
    return body["error"]


def test_suggestions_fix_both_errors_of_the_readme_example(base_url, http):
    r = http.post(f"{base_url}/v1/suggestions", json={"text": EXAMPLE})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["engine"] == "basic"
    for s in body["suggestions"]:
        assert EXAMPLE[s["offset"] : s["offset"] + s["length"]] == s["original"]
        assert s["engine"] == "basic"
    assert applied(EXAMPLE, body["suggestions"]) == "This is an example sentence."
    assert {s["category"] for s in body["suggestions"]} >= {"grammar", "spelling"}
    assert body["request_id"] == r.headers["x-request-id"]


def test_tasks_filter_categories(base_url, http):
    r = http.post(f"{base_url}/v1/suggestions", json={"text": EXAMPLE, "tasks": ["spelling"]})
    assert r.status_code == 200
    assert [s["original"] for s in r.json()["suggestions"]] == ["exampel"]


def test_request_id_is_taken_from_the_caller(base_url, http):
    rid = "trace-" + uuid.uuid4().hex
    r = http.post(f"{base_url}/v1/suggestions", json={"text": EXAMPLE}, headers={"X-Request-ID": rid})
    assert r.headers["x-request-id"] == rid
    assert r.json()["request_id"] == rid


def test_second_identical_call_is_served_from_cache(base_url, http):
    text = f"Their going to the libary tomorrow {uuid.uuid4().hex[:6]}."
    first = http.post(f"{base_url}/v1/suggestions", json={"text": text}).json()
    second = http.post(f"{base_url}/v1/suggestions", json={"text": text}).json()
    assert (first["cached"], second["cached"]) == (False, True)
    assert second["suggestions"] == first["suggestions"]
    other_tasks = http.post(f"{base_url}/v1/suggestions", json={"text": text, "tasks": ["spelling"]}).json()
    assert other_tasks["cached"] is False


def test_analysis_counts_and_readability(base_url, http):
    text = f"The cat sat on the mat. It was happy {uuid.uuid4().hex[:4]}.\n\nA second paragraph is here."
    r = http.post(f"{base_url}/v1/analysis", json={"text": text})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["counts"]["sentences"] == 3
    assert body["counts"]["paragraphs"] == 2
    assert isinstance(body["readability"]["flesch_reading_ease"], (int, float))
    assert set(body["issues"]) >= {"grammar", "spelling", "clarity", "concision", "tone"}
    assert body["cached"] is False
    assert http.post(f"{base_url}/v1/analysis", json={"text": text}).json()["cached"] is True


def test_rewrite_with_the_rules(base_url, http):
    r = http.post(f"{base_url}/v1/rewrite", json={"text": "In order to win, we can't stop.", "style": "formal"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["engine"] == "basic"
    assert "cannot" in body["text"]


def test_paraphrase_needs_a_model(base_url, http):
    explicit = http.post(f"{base_url}/v1/rewrite", json={"text": "Hello there.", "style": "paraphrase", "engine": "basic"})
    assert_error(explicit, 422, "validation_error")
    auto = http.post(f"{base_url}/v1/rewrite", json={"text": "Hello there.", "style": "paraphrase"})
    assert_error(auto, 503, "engine_unavailable")
    assert int(auto.headers["retry-after"]) > 0


def test_asking_for_an_engine_that_is_not_configured_is_a_503_with_retry_after(base_url, http):
    for engine in ("gemini", "t5"):
        r = http.post(f"{base_url}/v1/suggestions", json={"text": EXAMPLE, "engine": engine})
        error = assert_error(r, 503, "engine_unavailable")
        assert engine in error["message"]
        assert int(r.headers["retry-after"]) > 0


@pytest.mark.parametrize(
    "payload, status, code, mentions",
    [
        ({"text": ""}, 422, "validation_error", "text"),
        ({"text": "   \n "}, 422, "validation_error", "text"),
        ({"text": 123}, 422, "validation_error", "text"),
        ({}, 422, "validation_error", "text"),
        ({"text": "Hi.", "engine": "gpt"}, 422, "validation_error", "engine"),
        ({"text": "Hi.", "tasks": ["poetry"]}, 422, "validation_error", "tasks"),
        ({"text": "Hi.", "language": "xx"}, 422, "validation_error", "language"),
        ({"text": "Hi.", "colour": "red"}, 422, "validation_error", "colour"),
        ({"text": "x" * 20_001}, 413, "text_too_long", "20000"),
    ],
)
def test_bad_input_gets_a_clear_4xx_in_the_shared_shape(base_url, http, payload, status, code, mentions):
    r = http.post(f"{base_url}/v1/suggestions", json=payload)
    error = assert_error(r, status, code)
    assert mentions in error["message"]


def test_malformed_json_is_a_400(base_url, http):
    r = http.post(f"{base_url}/v1/suggestions", content=b'{"text": "unterminated', headers={"content-type": "application/json"})
    assert_error(r, 400, "bad_request")


def test_unknown_path_and_method_use_the_shared_shape(base_url, http):
    assert_error(http.get(f"{base_url}/v1/nothing-here"), 404, "not_found")
    assert_error(http.get(f"{base_url}/v1/suggestions"), 405, "method_not_allowed")


def test_health_and_readiness_say_which_engines_are_live(base_url, http):
    assert http.get(f"{base_url}/healthz").json() == {"status": "ok"}
    r = http.get(f"{base_url}/readyz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ready"
    assert body["auto"] == "basic"
    assert body["engines"]["basic"]["live"] is True
    assert body["engines"]["gemini"]["live"] is False and "GOOGLE_AI_API_KEY" in body["engines"]["gemini"]["reason"]
    assert body["engines"]["t5"]["live"] is False and "no model" in body["engines"]["t5"]["reason"]
    assert body["cache"]["backend"] == "memory"


def test_openapi_and_editor_page_are_served(base_url, http):
    spec = http.get(f"{base_url}/openapi.json").json()
    assert {"/v1/suggestions", "/v1/rewrite", "/v1/analysis", "/healthz", "/readyz"} <= set(spec["paths"])
    page = http.get(f"{base_url}/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
