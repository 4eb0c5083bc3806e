"""LanguageTool's wire format: UTF-16 offsets, markup, request rules, filters."""

from __future__ import annotations

import json

import pytest
from language_tool_python.match import Match
from language_tool_python.utils import correct

from pipelines import languagetool as lt
from pipelines.edits import Edit
from pipelines.language import detect
from pipelines.rules import check


def response_for(form: dict) -> dict:
    """What the /v2/check route does with a form."""
    req = lt.parse_check_form(form)
    if req.auto:
        req = lt.with_detected(req, *detect(req.text))
    return lt.check_response(req, check(req.text, None, req.variant) if req.variant else [])


def test_the_contracts_emoji_example_counts_utf16_units():
    text = "😀 This is an mistake."
    body = response_for({"text": text, "language": "en-US"})
    (match,) = [m for m in body["matches"] if m["rule"]["id"] == "EN_A_VS_AN"]
    assert (match["offset"], match["length"]) == (11, 2)
    assert match["context"] == {"text": text, "offset": 11, "length": 2}
    assert match["replacements"] == [{"value": "a"}]
    assert match["sentence"] == text
    assert body["sentenceRanges"] == [[0, 22]]


def test_the_python_client_corrects_text_with_emoji_and_accents_before_the_errors():
    text = "Café 😀🎉 — This are a exampel sentence."
    body = response_for({"text": text, "language": "en-US"})
    matches = [Match(m, text) for m in body["matches"]]
    assert correct(text, matches) == "Café 😀🎉 — This is an example sentence."


def test_response_shape_and_key_order():
    body = response_for({"text": "Teh cat sat on the mat.", "language": "auto"})
    assert list(body) == ["software", "warnings", "language", "matches", "sentenceRanges"]
    assert body["software"]["name"] == "LanguageTool" and body["software"]["apiVersion"] == 1
    assert body["language"]["code"] == "en-US" and body["language"]["detectedLanguage"]["code"] == "en-US"
    (match,) = body["matches"]
    assert match["rule"]["category"] == {"id": "TYPOS", "name": "Possible Typo"}
    assert match["rule"]["issueType"] == "misspelling" and match["type"]["typeName"] == "UnknownWord"
    for key in ("message", "shortMessage", "replacements", "offset", "length", "context", "sentence", "type", "rule",
                "ignoreForIncompleteSentence", "contextForSureMatch"):
        assert key in match


def test_annotated_data_offsets_point_into_the_document_with_markup():
    data = {"annotation": [{"markup": "<p>"}, {"text": "A "}, {"markup": "<b>"}, {"text": "exampel"}, {"markup": "</b>"},
                           {"text": " here."}, {"markup": "</p>", "interpretAs": "\n\n"}]}
    req = lt.parse_check_form({"data": json.dumps(data), "language": "en-US"})
    assert req.text == "A exampel here.\n\n"
    body = lt.check_response(req, check(req.text))
    document = "<p>A <b>exampel</b> here.</p>"
    spelled = [m for m in body["matches"] if m["rule"]["id"] == "MORFOLOGIK_RULE_EN_US"]
    assert [document[m["offset"] : m["offset"] + m["length"]] for m in spelled] == ["exampel"]


def test_long_contexts_are_cut_with_dots_and_newlines_become_spaces():
    text = "Many different people arrived at the old station before noon, and then teh\nbus left quickly toward the northern hills."
    (match,) = response_for({"text": text, "language": "en-US"})["matches"]
    context = match["context"]
    assert context["text"].startswith("...") and context["text"].endswith("...") and "\n" not in context["text"]
    assert context["text"][context["offset"] : context["offset"] + context["length"]] == "teh"


@pytest.mark.parametrize(
    "form, message",
    [
        ({"language": "en-US"}, "Missing 'text' or 'data'"),
        ({"text": "a", "data": "{}", "language": "en-US"}, "not both"),
        ({"text": "a"}, "Missing 'language'"),
        ({"text": "a", "language": "xx-YY"}, "not a language code"),
        ({"text": "a", "language": "en-US", "level": "strict"}, "Unknown level"),
        ({"text": "a", "language": "en-US", "enabledOnly": "true"}, "enabled rules or categories"),
        ({"text": "a", "language": "en-US", "enabledOnly": "true", "enabledRules": "X", "disabledRules": "Y"}, "cannot specify disabled"),
        ({"text": "a", "language": "en-US", "preferredVariants": "en-GB"}, "language=auto"),
        ({"text": "a", "language": "en-US", "enabled": "X"}, "v1 parameter"),
        ({"data": "{not json", "language": "en-US"}, "Could not parse JSON"),
        ({"data": json.dumps({"annotation": [{"text": "a", "markup": "<b>"}]}), "language": "en-US"}, "Only one of"),
        ({"data": json.dumps({"annotation": [{"text": "a", "interpretAs": "b"}]}), "language": "en-US"}, "only allowed with 'markup'"),
    ],
)
def test_requests_languagetool_refuses_are_refused_with_its_messages(form, message):
    with pytest.raises(lt.LanguageToolRequestError) as refused:
        lt.parse_check_form(form)
    assert message in refused.value.message


def test_rule_and_category_filters():
    text = "This are a exampel sentence."
    ids = lambda form: {m["rule"]["id"] for m in response_for({"text": text, "language": "en-US", **form})["matches"]}
    everything = ids({})
    assert {"MORFOLOGIK_RULE_EN_US", "EN_A_VS_AN", "AGREEMENT_SENT_START"} <= everything
    assert "MORFOLOGIK_RULE_EN_US" not in ids({"disabledRules": "MORFOLOGIK_RULE_EN_US"})
    assert ids({"disabledCategories": "TYPOS"}) == everything - {"MORFOLOGIK_RULE_EN_US"}
    assert ids({"enabledOnly": "true", "enabledRules": "EN_A_VS_AN"}) == {"EN_A_VS_AN"}
    assert ids({"enabledOnly": "true", "enabledCategories": "TYPOS"}) == {"MORFOLOGIK_RULE_EN_US"}


def test_picky_level_adds_style_hints():
    text = "The report was written by the team. " + "This sentence keeps going " * 8 + "and ends."
    default = {m["rule"]["id"] for m in response_for({"text": text, "language": "en-US"})["matches"]}
    picky = {m["rule"]["id"] for m in response_for({"text": text, "language": "en-US", "level": "picky"})["matches"]}
    assert "PASSIVE_VOICE" not in default and "TOO_LONG_SENTENCE" not in default
    assert {"PASSIVE_VOICE", "TOO_LONG_SENTENCE"} <= picky


def test_model_rules_map_by_category():
    edit = Edit(0, 3, "Teh", "The", "spelling", "m", "T5_SPELLING", "t5")
    assert lt.lt_rule(edit).category_id == "TYPOS"
    assert lt.lt_rule(Edit(0, 3, "are", "is", "grammar", "m", "GEMINI_GRAMMAR", "gemini")).category_id == "GRAMMAR"


def test_languages_payload_has_what_clients_check():
    payload = lt.languages_payload()
    assert payload == sorted(payload, key=lambda l: l["name"])
    assert all(isinstance(l[k], str) for l in payload for k in ("name", "code", "longCode"))
    assert {"en", "en-US", "en-GB"} <= {l["longCode"] for l in payload}
