"""Which language a text is in, and which language variants the rule engine checks.

`detect(text)` uses Lingua's n-gram models (the `lingua-language-detector` package ships
them; nothing is downloaded), in its low-accuracy mode (trigrams: ~90 MB, ~10 s to load
once) over all 75 languages it knows. Short, misspelt or name-heavy English confuses
n-grams ("Priya and Oluwaseun met Siobhan" reads as Dutch), so a text whose words (names
left out) are mostly English dictionary words is English whatever the n-grams say, and so
is a text the n-grams are unsure of; the confidence is then the larger of the n-gram
confidence in English and that share of words.
"""

from __future__ import annotations

import re

from pipelines.rules import LANGUAGES
from pipelines.rules.words import loaded_once

# Variants the rules check, by code; `en` accepts every variant's spelling.
VARIANTS = {
    "en": "English",
    "en-US": "English (US)",
    "en-GB": "English (GB)",
    "en-CA": "English (Canadian)",
    "en-AU": "English (Australian)",
}
assert set(VARIANTS) == set(LANGUAGES)
ENGLISH_SHARE = 0.7  # a text whose words are mostly English dictionary words is English
SURE = 0.5  # below this the n-grams cannot tell, and the text is taken as English
_WORD = re.compile(r"[A-Za-z]+")


@loaded_once
def _detector():
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().with_preloaded_language_models().build()


def _english_share(text: str) -> tuple[float, int]:
    """Share of the words found in the English dictionary, names (capitalised mid-sentence) left out."""
    from pipelines.rules.spelling import dictionary

    known, words = dictionary(), []
    for m in _WORD.finditer(text):
        before = text[: m.start()].rstrip()
        if m.group().islower() or not before or before[-1] in ".!?":
            words.append(m.group().lower())
    return (sum(1 for w in words if w in known) / len(words) if words else 0.0), len(words)


def detect(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, confidence in 0..1) of the text's language; ("en", 0.0) when there is nothing to go on."""
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return "en", 0.0
    english = next((v.value for v in values if v.language.iso_code_639_1.name == "EN"), 0.0)
    top = values[0]
    if top.language.iso_code_639_1.name == "EN":
        return "en", round(top.value, 3)
    share, words = _english_share(text)
    if (words >= 3 and share >= ENGLISH_SHARE) or top.value < SURE:
        return "en", round(max(english, share if words >= 3 else 0.0), 3)
    return top.language.iso_code_639_1.name.lower(), round(top.value, 3)


def name(code: str) -> str:
    """A display name for a detected code: "de" -> "German"."""
    if code in VARIANTS:
        return VARIANTS[code]
    from lingua import IsoCode639_1, Language

    try:
        return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())).name.title()
    except AttributeError:
        return code
