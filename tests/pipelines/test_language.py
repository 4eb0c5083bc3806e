"""Language detection: real models, real confidence; other languages get no English matches."""

from __future__ import annotations

import pytest

from pipelines import languagetool as lt
from pipelines.language import VARIANTS, detect, name
from pipelines.rules import check

GERMAN = (
    "Gestern sind wir mit dem Zug nach Hamburg gefahren. Das Wetter war schön, und wir haben am Hafen "
    "Fischbrötchen gegessen. Am Abend haben wir Freunde getroffen und lange über die Arbeit gesprochen."
)
FRENCH = (
    "Nous avons passé le week-end à la campagne chez mes grands-parents. Il faisait beau, alors nous avons "
    "fait une longue promenade dans la forêt avant de préparer le dîner ensemble."
)


def respond(form: dict) -> dict:
    """What the /v2/check route does with a form."""
    req = lt.parse_check_form(form)
    if req.auto:
        req = lt.with_detected(req, *detect(req.text))
    return lt.check_response(req, check(req.text, None, req.variant) if req.variant else [])


@pytest.mark.parametrize("text, code, language", [(GERMAN, "de", "German"), (FRENCH, "fr", "French")])
def test_other_languages_are_detected_and_get_no_matches(text, code, language):
    found, confidence = detect(text)
    assert found == code and confidence > 0.9 and name(found) == language
    assert len(check(text, ("spelling",), "en-US")) > 3  # what checking it as English would do
    body = respond({"text": text, "language": "auto"})
    assert body["matches"] == []
    assert body["language"]["code"] == code
    assert body["language"]["detectedLanguage"] == {"name": language, "code": code, "confidence": confidence, "source": "ngram"}


@pytest.mark.parametrize(
    "text",
    ["Their going to the libary tomorrow.", "Priya and Oluwaseun met Siobhan in Reykjavik last June.", "This are a exampel sentence."],
)
def test_english_with_mistakes_and_names_is_english(text):
    code, confidence = detect(text)
    assert code == "en" and 0.5 < confidence <= 1.0
    body = respond({"text": text, "language": "auto"})
    assert body["language"]["code"] == "en-US"
    assert bool(body["matches"]) == ("Priya" not in text)


def test_auto_takes_the_preferred_variant_for_english():
    body = respond({"text": "My favourite colour is grey, and the theatre is near.", "language": "auto", "preferredVariants": "en-GB,de-DE"})
    assert body["language"]["code"] == "en-GB" and body["matches"] == []
    body = respond({"text": "My favourite colour is grey, and the theatre is near.", "language": "auto"})
    assert body["language"]["code"] == "en-US" and {m["replacements"][0]["value"] for m in body["matches"]} == {"favorite", "color", "theater"}


def test_languages_listed_are_the_variants_checked():
    assert {language["longCode"] for language in lt.languages_payload()} == set(VARIANTS)
    with pytest.raises(lt.LanguageToolRequestError, match="not a language code"):
        lt.parse_check_form({"text": "Hallo", "language": "de-DE"})
