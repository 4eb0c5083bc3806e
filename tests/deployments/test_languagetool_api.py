"""/v2/check and /v2/languages, used by the real language_tool_python client over HTTP."""

from __future__ import annotations

import language_tool_python


def test_the_real_languagetool_client_finds_and_corrects_errors(base_url):
    tool = language_tool_python.LanguageTool("en-US", remote_server=base_url + "/")
    try:
        text = "Hello 😀 world. This are a exampel sentence."
        matches = tool.check(text)
        assert {m.rule_id for m in matches} >= {"MORFOLOGIK_RULE_EN_US", "EN_A_VS_AN"}
        assert tool.correct(text) == "Hello 😀 world. This is an example sentence."
        spelling = next(m for m in matches if m.rule_id == "MORFOLOGIK_RULE_EN_US")
        assert text[spelling.offset : spelling.offset + spelling.error_length] == "exampel"
    finally:
        tool.close()


def test_client_rule_filters_reach_the_server(base_url):
    tool = language_tool_python.LanguageTool("en-US", remote_server=base_url + "/")
    try:
        tool.disabled_rules = {"MORFOLOGIK_RULE_EN_US"}
        assert "MORFOLOGIK_RULE_EN_US" not in {m.rule_id for m in tool.check("This are a exampel sentence.")}
    finally:
        tool.close()


def test_wire_errors_are_plain_text_like_languagetools(base_url, http):
    r = http.post(f"{base_url}/v2/check", data={"text": "Hi."})
    assert r.status_code == 400 and r.text.startswith("Error: ") and "language" in r.text
    r = http.post(f"{base_url}/v2/check", data={"text": "x" * 20_001, "language": "en-US"})
    assert r.status_code == 413 and r.text.startswith("Error: ")
    r = http.post(f"{base_url}/v2/check", data={"text": "Hi.", "language": "en-US", "engine": "gemini"})
    assert r.status_code == 503 and r.text.startswith("Error: ") and int(r.headers["retry-after"]) > 0
    r = http.post(f"{base_url}/v2/check", data={"text": "Hi.", "language": "en-US", "engine": "gpt"})
    assert r.status_code == 400 and r.text == "Error: Unknown engine 'gpt', use auto, gemini, t5 or basic"


def test_check_by_query_string_and_languages(base_url, http):
    r = http.get(f"{base_url}/v2/check", params={"text": "Teh cat.", "language": "en-GB"})
    assert r.status_code == 200
    body = r.json()
    assert body["language"]["code"] == "en-GB" and [m["replacements"][0]["value"] for m in body["matches"]] == ["The"]
    languages = http.get(f"{base_url}/v2/languages").json()
    assert {"name": "English (US)", "code": "en", "longCode": "en-US"} in languages
    assert http.get(f"{base_url}/v2/healthcheck").text == "OK"


def test_check_answers_come_from_the_same_cache_as_suggestions(base_url, http):
    text = "Their going too the libary now, cache check 42."
    first = http.post(f"{base_url}/v2/check", data={"text": text, "language": "en-US"})
    suggestions = http.post(f"{base_url}/v1/suggestions", json={"text": text, "language": "en-US"})
    assert first.status_code == 200 and suggestions.json()["cached"] is True


def _check(http, base_url: str, **form) -> dict:
    r = http.post(f"{base_url}/v2/check", data=form)
    assert r.status_code == 200, r.text
    return r.json()


def test_language_variants_and_levels_over_http(base_url, http):
    us = _check(http, base_url, text="My favourite colour.", language="en-US")
    assert [m["replacements"][0]["value"] for m in us["matches"]] == ["favorite", "color"]
    assert _check(http, base_url, text="My favourite colour.", language="en-GB")["matches"] == []
    assert [m["replacements"][0]["value"] for m in _check(http, base_url, text="My favorite color.", language="en-GB")["matches"]] == ["favourite", "colour"]
    for language, expected in (("en-US", ["favorite", "color"]), ("en-GB", []), ("en-AU", [])):  # /v1 too
        r = http.post(f"{base_url}/v1/suggestions", json={"text": "My favourite colour.", "language": language, "tasks": ["spelling"]})
        assert r.status_code == 200 and [s["replacement"] for s in r.json()["suggestions"]] == expected, (language, r.text)
    text = "In order to win, we must try."
    assert _check(http, base_url, text=text, language="en-US")["matches"] == []
    assert [m["rule"]["id"] for m in _check(http, base_url, text=text, language="en-US", level="picky")["matches"]] == ["WORDY_PHRASE"]


def test_auto_detects_the_language_over_http(base_url, http):
    german = "Gestern sind wir mit dem Zug nach Hamburg gefahren. Das Wetter war schön, und wir haben am Hafen gegessen."
    body = _check(http, base_url, text=german, language="auto")
    assert body["matches"] == []
    assert body["language"]["detectedLanguage"]["code"] == "de" and body["language"]["detectedLanguage"]["confidence"] > 0.9
    body = _check(http, base_url, text="Their going to the libary tomorrow.", language="auto")
    assert body["language"]["code"] == "en-US" and body["language"]["detectedLanguage"]["source"] == "ngram"
    assert {m["replacements"][0]["value"] for m in body["matches"]} == {"They're", "library"}
