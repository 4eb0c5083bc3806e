"""The ingress without Serve: FastAPI's TestClient, fake handles behind it.

What a caller notices: which engine answers, what is cached, the error shape."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from deployments.ingress import app
from deployments.ingress.deps import current
from deployments.ingress.service import Ingress
from deployments.router import auto_engine
from serve.settings import Settings
from support.handles import FakeHandle

EDIT = {"offset": 0, "length": 4, "original": "Thsi", "replacement": "This", "category": "spelling", "message": "m", "rule": "R", "engine": "basic"}


class Engines:
    def __init__(self, live=("basic",)):
        self.engines = {
            name: {"live": name in live, "reason": None if name in live else "off", "version": f"{name}-1", "auto": True}
            for name in ("gemini", "t5", "basic")
        }

    def status(self):
        return {"engines": self.engines, "auto": auto_engine(self.engines)}

    def suggest(self, text, tasks, language, engine):
        return {"suggestions": [dict(EDIT, engine="gemini")], "engine": "gemini"}

    def rewrite(self, text, style, engine):
        return {"text": text.upper(), "engine": auto_engine(self.engines)}


class Rules:
    def suggest(self, text, tasks, language):
        return [dict(EDIT, message=f"checked as {language}")]

    def detect(self, text):
        return ("de", 0.93) if " der " in text else ("en", 0.97)

    def analyze(self, text):
        return {"readability": {}, "counts": {"words": len(text.split())}, "long_sentences": [], "passive_voice": [],
                "repeated_words": [], "issues": {}}


@pytest.fixture()
def service(request):
    settings = Settings(max_text_chars=50, inline_rules_max_chars=getattr(request, "param", 0))
    router, analyzer = FakeHandle(Engines()), FakeHandle(Rules())
    api = Ingress(settings, router, analyzer)
    app.dependency_overrides[current] = lambda: api
    with TestClient(app) as client:
        yield client, router, analyzer
    app.dependency_overrides.clear()


def test_rule_engine_work_goes_straight_to_the_analyzer_and_a_repeat_is_cached(service):
    client, router, analyzer = service
    first = client.post("/v1/suggestions", json={"text": "Thsi is it."})
    second = client.post("/v1/suggestions", json={"text": "Thsi is it."})
    assert first.status_code == 200 and second.status_code == 200
    assert first.json()["engine"] == "basic" and first.json()["cached"] is False
    assert second.json()["cached"] is True and second.json()["suggestions"] == first.json()["suggestions"]
    assert analyzer.called("suggest") == 1 and router.called("suggest") == 0


@pytest.mark.parametrize("service", [20], indirect=True)
def test_short_texts_are_checked_in_the_ingress_itself_and_longer_ones_on_the_analyzer(service):
    client, router, analyzer = service
    short = client.post("/v1/suggestions", json={"text": "Thsi is it."}).json()  # the real rule engine, in this process
    assert short["engine"] == "basic" and any(s["replacement"] == "This" for s in short["suggestions"])
    assert analyzer.called("suggest") == 0
    longer = client.post("/v1/suggestions", json={"text": "Thsi is a longer text."}).json()
    assert longer["suggestions"][0]["message"] == "checked as en-US" and analyzer.called("suggest") == 1
    analysed = client.post("/v1/analysis", json={"text": "One short line."}).json()
    assert analysed["counts"]["words"] == 3 and analyzer.called("analyze") == 0
    assert router.called("suggest") == 0


def test_a_live_model_engine_is_reached_through_the_router(service):
    client, router, analyzer = service
    router.target.engines["gemini"].update(live=True, reason=None)
    client.app.dependency_overrides[current]().engines._status.value = None  # as after a status refresh
    body = client.post("/v1/suggestions", json={"text": "Thsi is it."}).json()
    assert body["engine"] == "gemini" and router.called("suggest") == 1 and analyzer.called("suggest") == 0


def test_after_an_idle_spell_the_first_request_sees_the_engine_that_came_back(service):
    client, router, analyzer = service
    api = client.app.dependency_overrides[current]()
    assert client.post("/v1/suggestions", json={"text": "Thsi is one."}).json()["engine"] == "basic"
    router.target.engines["gemini"].update(live=True, reason=None)  # Gemini returns while no request comes
    api.engines._status._at -= 3 * api.settings.status_interval_s  # a little while: the known status serves, a refresh starts
    assert client.post("/v1/suggestions", json={"text": "Thsi is two."}).json()["engine"] == "basic"
    router.target.engines["gemini"].update(live=False, reason="off")
    api.engines._status._at -= 60 * api.settings.status_interval_s  # idle long: the request waits for the router's word
    assert client.post("/v1/suggestions", json={"text": "Thsi is three."}).json()["engine"] == "basic"
    router.target.engines["gemini"].update(live=True, reason=None)
    api.engines._status._at -= 60 * api.settings.status_interval_s
    assert client.post("/v1/suggestions", json={"text": "Thsi is four."}).json()["engine"] == "gemini"


def test_analysis_is_cached_per_text(service):
    client, _, analyzer = service
    answers = [client.post("/v1/analysis", json={"text": t}).json() for t in ("one two", "one two", "three")]
    assert [a["cached"] for a in answers] == [False, True, False]
    assert analyzer.called("analyze") == 2


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"text": "x" * 51}, 413, "text_too_long"),
        ({"text": "   "}, 422, "validation_error"),
        ({"text": "a\x00b"}, 422, "validation_error"),
        ({"text": "fine", "engine": "gpt"}, 422, "validation_error"),
        ({"text": "fine", "tasks": ["poetry"]}, 422, "validation_error"),
    ],
)
def test_bad_input_gets_a_clear_4xx_in_the_one_error_shape(service, body, status, code):
    client, _, _ = service
    r = client.post("/v1/suggestions", json=body, headers={"X-Request-ID": "rid-1"})
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code and r.json()["error"]["request_id"] == "rid-1"


def test_malformed_json_and_lone_surrogate_bytes_are_400_or_422_never_500(service):
    client, _, _ = service
    assert client.post("/v1/suggestions", content=b"{not json", headers={"content-type": "application/json"}).status_code == 400
    r = client.post("/v1/analysis", content=b'{"text": "\\ud800 x"}', headers={"content-type": "application/json"})
    assert r.status_code == 422 and "surrogate" in r.json()["error"]["message"]


def test_languagetool_errors_are_plain_text_and_bad_utf8_is_400(service):
    client, _, _ = service
    r = client.post("/v2/check", content=b"language=en-US&text=caf\xe9", headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400 and r.text.startswith("Error: ")
    r = client.post("/v2/check", data={"text": "x" * 51, "language": "en-US"})
    assert r.status_code == 413 and r.text.startswith("Error: ")
    r = client.post("/v2/check", data={"text": "Thsi is it.", "language": "en-US"})
    assert r.status_code == 200 and r.json()["matches"][0]["replacements"][0]["value"] == "This"


def test_method_not_allowed_says_which_methods_are(service):
    client, _, _ = service
    r = client.get("/v1/suggestions")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed" and "POST" in r.headers["allow"]


def test_no_live_engine_is_a_503_with_retry_after(service):
    client, router, _ = service
    router.target.engines["basic"].update(live=False)
    r = client.post("/v1/suggestions", json={"text": "fine"})
    assert r.status_code == 503 and r.headers["retry-after"] and r.json()["error"]["code"] == "engine_unavailable"


def test_language_auto_checks_english_and_refuses_other_languages_by_name(service):
    client, _, _ = service
    english = client.post("/v1/suggestions", json={"text": "Thsi is it.", "language": "auto"})
    assert english.status_code == 200 and english.json()["suggestions"][0]["message"] == "checked as en"
    german = client.post("/v1/suggestions", json={"text": "Das ist der Hund.", "language": "auto"})
    assert german.status_code == 422, german.text
    assert german.json()["error"]["code"] == "unsupported_language" and "German" in german.json()["error"]["message"]


def test_an_allowed_origin_reads_the_rate_limit_headers_and_a_stranger_gets_no_cors(tmp_path):
    origin = "https://editor.example"
    api = Ingress(Settings(cors_origins=[origin], rate_limit_max=5, log_dir=str(tmp_path)), FakeHandle(Engines()), FakeHandle(Rules()))
    app.dependency_overrides[current] = lambda: api
    try:
        with TestClient(app) as client:
            plain = client.post("/v1/suggestions", json={"text": "Thsi is it."})
            browser = client.post("/v1/suggestions", json={"text": "Thsi is it."}, headers={"Origin": origin})
            stranger = client.post("/v1/suggestions", json={"text": "Thsi is it."}, headers={"Origin": "https://evil.example"})
    finally:
        app.dependency_overrides.clear()
    assert [r.status_code for r in (plain, browser, stranger)] == [200, 200, 200]
    assert [r.headers["RateLimit-Remaining"] for r in (plain, browser, stranger)] == ["4", "3", "2"]
    assert plain.headers["Vary"] == "Origin" and "access-control-allow-origin" not in plain.headers
    assert browser.headers["Access-Control-Allow-Origin"] == origin and browser.headers["Vary"] == "Origin"
    assert "ratelimit-remaining" in browser.headers["Access-Control-Expose-Headers"].lower()
    assert not any(name.startswith("access-control-") for name in stranger.headers) and "vary" not in stranger.headers
