"""LanguageTool's HTTP API v2 wire format, so LanguageTool clients can use this service.

Pure functions: parse a /v2/check form into a CheckRequest, and turn our edits into
LanguageTool's JSON. Offsets on the wire are UTF-16 code units (Java string
indices), as LanguageTool counts them; our edits use Python str indices.

`level=picky` adds the style hints (`STYLE_TASKS`: long sentences, passive voice,
wordy phrases, informal words); the default level returns grammar and spelling.

`language=auto`: `parse_check_form` leaves the language open (`CheckRequest.auto`); the
caller runs `pipelines.language.detect` on `req.text` and passes its answer to
`with_detected`. Only the English variants in `pipelines.language.VARIANTS` are checked:
`req.variant` is the rules' language code, or None for text in another language, which
gets the detected language and no matches.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from typing import Mapping

from pipelines import language as languages
from pipelines.edits import Edit
from pipelines.rules.spelling import spelling_rule
from pipelines.text import sentence_spans
from pipelines.vocabulary import STYLE_TASKS

SOFTWARE = {
    "name": "LanguageTool",
    "version": "6.6",
    "buildDate": "2026-11-25 00:00:00 +0000",
    "apiVersion": 1,
    "premium": False,
    "premiumHint": "This server is compatible with LanguageTool's API; its checks come from its own engines.",
    "status": "",
}
CONTEXT_SIZE = 40
DEFAULT_VARIANT = "en-US"  # what `auto` checks English text as, unless preferredVariants names another
# (name, short code, long code) of each language checked; the short code is shared by all variants.
LANGUAGES = [(name, code.split("-")[0], code) for code, name in languages.VARIANTS.items()]
_BY_CODE = {long.lower(): (name, long) for name, _, long in LANGUAGES}


@dataclass(frozen=True)
class LTRule:
    description: str
    issue_type: str
    category_id: str
    category_name: str
    type_name: str = "Other"


_TYPOS = ("TYPOS", "Possible Typo")
_GRAMMAR = ("GRAMMAR", "Grammar")
_CASING = ("CASING", "Capitalization")
_TYPOGRAPHY = ("TYPOGRAPHY", "Typography")
_CONFUSED = ("CONFUSED_WORDS", "Commonly Confused Words")
_MISC = ("MISC", "Miscellaneous")
_STYLE = ("STYLE", "Style")
_REDUNDANCY = ("REDUNDANCY", "Redundant Phrases")
_PUNCTUATION = ("PUNCTUATION", "Punctuation")

RULES: dict[str, LTRule] = {
    **{spelling_rule(code): LTRule("Possible spelling mistake", "misspelling", *_TYPOS, "UnknownWord") for code in languages.VARIANTS},
    "SPLIT_WORDS": LTRule("Words written together or apart", "misspelling", *_TYPOS),
    "EN_CONTRACTION_SPELLING": LTRule("Spelling of contractions", "misspelling", *_TYPOS),
    "A_LOT": LTRule("'alot' for 'a lot'", "misspelling", *_TYPOS),
    "EN_A_VS_AN": LTRule("Use of 'a' vs. 'an'", "misspelling", *_MISC),
    "ENGLISH_WORD_REPEAT_RULE": LTRule("Word repetition (e.g. 'will will')", "duplication", *_MISC),
    "UPPERCASE_SENTENCE_START": LTRule("Checks that a sentence starts with an uppercase letter", "typographical", *_CASING),
    "I_LOWERCASE": LTRule("'i' instead of 'I'", "typographical", *_CASING),
    "EN_PROPER_NOUN_CASE": LTRule("Proper noun without a capital", "typographical", *_CASING),
    "MIXED_CASE_WORD": LTRule("Capital letters inside a word", "typographical", *_CASING),
    "CAPITAL_AFTER_COMMA": LTRule("Capital letter after a comma", "typographical", *_CASING),
    "PUNCTUATION_PARAGRAPH_END": LTRule("No punctuation at the end of a paragraph", "typographical", *_PUNCTUATION),
    "DOUBLE_PUNCTUATION": LTRule("Two consecutive dots or commas", "typographical", *_PUNCTUATION),
    "THINK_COMMA": LTRule("Comma before a 'that' clause", "typographical", *_PUNCTUATION),
    "SENT_START_CONJUNCTIVE_LINKING_ADVERB_COMMA": LTRule("Comma after a linking adverb at the start of a sentence", "typographical", *_PUNCTUATION),
    "INTRO_PHRASE_COMMA": LTRule("Comma after an introductory phrase", "style", *_PUNCTUATION, "Hint"),
    "WHITESPACE_RULE": LTRule("Whitespace repetition (bad formatting)", "whitespace", *_TYPOGRAPHY),
    "COMMA_PARENTHESIS_WHITESPACE": LTRule("Use of whitespace before comma and before/after parentheses", "whitespace", *_TYPOGRAPHY),
    "COULD_OF": LTRule("'could of' for 'could have'", "grammar", *_GRAMMAR),
    "AGREEMENT_SENT_START": LTRule("Subject-verb agreement at sentence start", "grammar", *_GRAMMAR),
    "SUBJECT_VERB_AGREEMENT": LTRule("Subject-verb agreement", "grammar", *_GRAMMAR),
    "PAST_TIME_AGREEMENT": LTRule("Verb agreement in a sentence about the past", "grammar", *_GRAMMAR),
    "THERE_S_MANY": LTRule("'there's' with a plural noun", "grammar", *_GRAMMAR),
    "MD_BASEFORM": LTRule("Modal verb followed by a form other than the base form", "grammar", *_GRAMMAR),
    "DID_BASEFORM": LTRule("'did' followed by a form other than the base form", "grammar", *_GRAMMAR),
    "PAST_PARTICIPLE_AS_PAST": LTRule("Past participle used as simple past", "grammar", *_GRAMMAR),
    "IRREGULAR_FORM": LTRule("Irregular verb forms", "grammar", *_GRAMMAR),
    "MORE_COMPARATIVE": LTRule("'more' with a comparative", "grammar", *_GRAMMAR),
    "MUCH_UNCOUNTABLE": LTRule("'many' or 'few' with an uncountable noun", "grammar", *_GRAMMAR),
    "BORROW_LEND": LTRule("'borrow' for 'lend'", "grammar", *_CONFUSED),
    "TOO_LONG_SENTENCE": LTRule("Readability: sentence over 30 words", "style", *_STYLE, "Hint"),
    "PASSIVE_VOICE": LTRule("Passive voice", "style", *_STYLE, "Hint"),
    "WORDY_PHRASE": LTRule("Wordy phrase", "style", *_REDUNDANCY, "Hint"),
    "INFORMAL_LANGUAGE": LTRule("Informal language", "register", *_STYLE, "Hint"),
}
# Rules named by category (ours) when their id is not listed: model engines' rules, new rules.
_BY_CATEGORY = {
    "spelling": LTRule("Possible spelling mistake", "misspelling", *_TYPOS, "UnknownWord"),
    "grammar": LTRule("Grammar", "grammar", *_GRAMMAR),
    "clarity": LTRule("Clarity", "style", *_STYLE, "Hint"),
    "concision": LTRule("Concision", "style", *_REDUNDANCY, "Hint"),
    "tone": LTRule("Tone", "register", *_STYLE, "Hint"),
}


def lt_rule(edit: Edit) -> LTRule:
    if edit.rule in RULES:
        return RULES[edit.rule]
    if edit.rule.startswith("CONFUSION_"):
        words = edit.rule.removeprefix("CONFUSION_").replace("_", " ").lower()
        return LTRule(f"Commonly confused words ({words})", "grammar", *_CONFUSED)
    return _BY_CATEGORY[edit.category]


class LanguageToolRequestError(Exception):
    """A request LanguageTool itself would refuse (a bad parameter); answered as plain text `Error: ...`."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class CheckRequest:
    text: str  # what is checked: text parts, with markup replaced by its interpretAs
    document: str  # what offsets refer to: the text, or every text and markup part in order
    positions: list[int]  # document index of each checked character, plus len(document)
    language: dict
    detected: dict
    enabled_rules: set[str] = field(default_factory=set)
    disabled_rules: set[str] = field(default_factory=set)
    enabled_categories: set[str] = field(default_factory=set)
    disabled_categories: set[str] = field(default_factory=set)
    enabled_only: bool = False
    picky: bool = False
    auto: bool = False  # language=auto: call with_detected before checking
    preferred: tuple[str, ...] = ()  # preferredVariants, for English found by `auto`

    @property
    def variant(self) -> str | None:
        """The rules' language code to check the text with; None when the text is in a language not checked."""
        code = self.language.get("code", "")
        return code if code in languages.VARIANTS else None

    def wants(self, edit: Edit) -> bool:
        rule = lt_rule(edit)
        if self.enabled_only:
            return edit.rule in self.enabled_rules or rule.category_id in self.enabled_categories
        if edit.rule in self.disabled_rules or rule.category_id in self.disabled_categories:
            return False
        explicitly = edit.rule in self.enabled_rules or rule.category_id in self.enabled_categories
        return explicitly or self.picky or edit.category not in STYLE_TASKS


def languages_payload() -> list[dict]:
    return [{"name": name, "code": code, "longCode": long} for name, code, long in sorted(LANGUAGES)]


def _language(code: str) -> dict:
    found = _BY_CODE.get(code.lower())
    if found is None:
        raise LanguageToolRequestError(f"'{code}' is not a language code known to this server. Supported: {', '.join(l for *_, l in LANGUAGES)}")
    return {"name": found[0], "code": found[1]}


def _split(value: str | None) -> set[str]:
    return {part for part in (value or "").split(",") if part}


def parse_check_form(form: Mapping[str, str]) -> CheckRequest:
    for old in ("enabled", "disabled", "autodetect", "preferredvariants"):
        if old in form:
            raise LanguageToolRequestError(f"You specified '{old}', which is a v1 parameter; use the v2 names (see the API documentation)")
    text, data = form.get("text"), form.get("data")
    if text is not None and data is not None:
        raise LanguageToolRequestError("Set only 'text' or 'data' parameter, not both")
    if text is None and data is None:
        raise LanguageToolRequestError("Missing 'text' or 'data' parameter")
    code = form.get("language") or ""
    if not code:
        raise LanguageToolRequestError("Missing 'language' parameter, e.g. 'language=en-US' or 'language=auto'")
    auto = code.lower() == "auto"
    language = {"name": "", "code": ""} if auto else _language(code)
    if form.get("preferredVariants") and not auto:
        raise LanguageToolRequestError("You specified 'preferredVariants' but you didn't specify 'language=auto'")
    level = form.get("level", "default")
    if level not in ("default", "picky"):
        raise LanguageToolRequestError(f"Unknown level '{level}', use 'default' or 'picky'")
    enabled_only = form.get("enabledOnly", "false").lower() in ("true", "yes")
    enabled_rules, enabled_categories = _split(form.get("enabledRules")), _split(form.get("enabledCategories"))
    disabled_rules, disabled_categories = _split(form.get("disabledRules")), _split(form.get("disabledCategories"))
    if enabled_only and not (enabled_rules or enabled_categories):
        raise LanguageToolRequestError("You must specify enabled rules or categories when using enabledOnly=true")
    if enabled_only and (disabled_rules or disabled_categories):
        raise LanguageToolRequestError("You cannot specify disabled rules or categories using enabledOnly=true")
    if data is not None:
        checked, document, positions = _annotated(data)
    else:
        checked, document, positions = text, text, list(range(len(text) + 1))
    return CheckRequest(
        text=checked,
        document=document,
        positions=positions,
        language=language,
        detected={**language, "confidence": 1.0, "source": None},
        enabled_rules=enabled_rules,
        disabled_rules=disabled_rules,
        enabled_categories=enabled_categories,
        disabled_categories=disabled_categories,
        enabled_only=enabled_only,
        picky=level == "picky",
        auto=auto,
        preferred=tuple(v.strip() for v in form.get("preferredVariants", "").split(",") if v.strip()),
    )


def with_detected(req: CheckRequest, code: str, confidence: float) -> CheckRequest:
    """`req` for `language=auto`, given `pipelines.language.detect(req.text)`'s answer."""
    if code == "en":
        variant = next((v for v in req.preferred if v in languages.VARIANTS and v != "en"), DEFAULT_VARIANT)
        language = {"name": languages.VARIANTS[variant], "code": variant}
    else:
        language = {"name": languages.name(code), "code": code}
    return replace(req, language=language, detected={**language, "confidence": confidence, "source": "ngram"})


def _annotated(data: str) -> tuple[str, str, list[int]]:
    try:
        parsed = json.loads(data)
    except json.JSONDecodeError as exc:
        raise LanguageToolRequestError(f"Could not parse JSON from 'data' parameter: {exc.msg}") from None
    if not isinstance(parsed, dict) or ("text" in parsed) == ("annotation" in parsed):
        raise LanguageToolRequestError("'data' must be a JSON object with either 'text' or 'annotation'")
    if "text" in parsed:
        if not isinstance(parsed["text"], str):
            raise LanguageToolRequestError("'text' in 'data' must be a string")
        return parsed["text"], parsed["text"], list(range(len(parsed["text"]) + 1))
    items = parsed["annotation"]
    if not isinstance(items, list):
        raise LanguageToolRequestError("'annotation' in 'data' must be a list")
    checked, document, positions = [], [], []
    at = 0
    for item in items:
        if not isinstance(item, dict):
            raise LanguageToolRequestError("Each 'annotation' item must be an object")
        if "text" in item and "markup" in item:
            raise LanguageToolRequestError("Only one of 'text' and 'markup' is allowed in an annotation item")
        if "text" in item and "interpretAs" in item:
            raise LanguageToolRequestError("'interpretAs' is only allowed with 'markup'")
        if "text" in item:
            part = str(item["text"])
            checked.append(part)
            positions.extend(range(at, at + len(part)))
        elif "markup" in item:
            part = str(item["markup"])
            shown = str(item.get("interpretAs", ""))
            checked.append(shown)
            positions.extend([at] * len(shown))  # checked in place of the markup, found at its start
        else:
            raise LanguageToolRequestError("Each annotation item needs 'text' or 'markup'")
        document.append(part)
        at += len(part)
    positions.append(at)
    return "".join(checked), "".join(document), positions


class UTF16:
    """Python str index -> UTF-16 code unit index, for one text."""

    def __init__(self, text: str):
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def __call__(self, index: int) -> int:
        return index + bisect_right(self._astral, index - 1)


def check_response(req: CheckRequest, edits: list[Edit]) -> dict:
    """LanguageTool's /v2/check answer for `edits` on `req.text`."""
    doc, units = req.document, UTF16(req.document)
    sentences = sentence_spans(req.text)
    starts = [s for s, _ in sentences]
    matches = []
    for edit in sorted(edits, key=lambda e: (e.offset, e.length)):
        if not req.wants(edit):
            continue
        start = req.positions[edit.offset]
        end = req.positions[edit.offset + edit.length - 1] + 1 if edit.length else start + 1
        end = min(max(end, start + 1), len(doc))  # LanguageTool matches are never empty
        if start >= len(doc):
            start = max(0, len(doc) - 1)
        rule = lt_rule(edit)
        context_start, context_end = max(0, start - CONTEXT_SIZE), min(len(doc), end + CONTEXT_SIZE)
        prefix = "..." if context_start > 0 else ""
        context = prefix + doc[context_start:context_end].replace("\n", " ") + ("..." if context_end < len(doc) else "")
        sentence_index = max(0, bisect_right(starts, edit.offset) - 1)
        sentence = req.text[slice(*sentences[sentence_index])].strip() if sentences else ""
        matches.append(
            {
                "message": edit.message,
                "shortMessage": rule.description if rule.type_name != "UnknownWord" else "Spelling mistake",
                "replacements": [] if edit.replacement is None else [{"value": edit.replacement}],
                "offset": units(start),
                "length": units(end) - units(start),
                "context": {
                    "text": context,
                    "offset": len(prefix) + units(start) - units(context_start),
                    "length": units(end) - units(start),
                },
                "sentence": sentence,
                "type": {"typeName": rule.type_name},
                "rule": {
                    "id": edit.rule,
                    "description": rule.description,
                    "issueType": rule.issue_type,
                    "category": {"id": rule.category_id, "name": rule.category_name},
                    **({"tags": ["picky"]} if edit.category in STYLE_TASKS else {}),
                },
                "ignoreForIncompleteSentence": False,
                "contextForSureMatch": 0,
                "engine": edit.engine,
            }
        )
    text_units = UTF16(req.text)
    return {
        "software": SOFTWARE,
        "warnings": {"incompleteResults": False},
        "language": {**req.language, "detectedLanguage": req.detected},
        "matches": matches,
        "sentenceRanges": [[text_units(s), text_units(e)] for s, e in sentences],
    }
