"""The HTTP contract (API.md) as pydantic models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from pipelines.vocabulary import EngineChoice, Style, Task

Language = Literal["auto", "en", "en-US", "en-GB", "en-CA", "en-AU"]
TEXT_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"  # what check_text accepts, for the OpenAPI document


def check_text(value: str) -> str:
    """Text the engines can work on: not blank, no NUL, valid Unicode (ValueError says why)."""
    if not value.strip():
        raise ValueError("text must contain at least one non-space character")
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate, e.g. "\ud800" in the JSON
        raise ValueError(f"text is not valid Unicode: a lone surrogate at character {exc.start}") from None
    return value


class _TextRequest(BaseModel):
    model_config = {"extra": "forbid"}

    text: str = Field(
        description="The text to work on (plain text): not blank, no NUL; 413 past the configured length (20,000 by default).",
        examples=["This are a exampel sentence."],
        json_schema_extra={"pattern": TEXT_PATTERN},
    )

    @field_validator("text")
    @classmethod
    def _well_formed(cls, value: str) -> str:
        return check_text(value)


class SuggestionsRequest(_TextRequest):
    tasks: list[Task] | None = Field(None, description="Categories to check; all when omitted.")
    engine: EngineChoice = EngineChoice.AUTO
    language: Language = Field(
        "en-US",
        description="English variant whose spelling is checked; `auto` detects the language first and answers 422 "
        "`unsupported_language` for text that is not English.",
    )


class RewriteRequest(_TextRequest):
    style: Style
    engine: EngineChoice = EngineChoice.AUTO


class AnalysisRequest(_TextRequest):
    pass


class Suggestion(BaseModel):
    offset: int = Field(description="Start, as a Python str index (Unicode code points) into the submitted text.")
    length: int
    original: str
    replacement: str | None = Field(description="Null for a hint that has no mechanical fix.")
    category: Task
    message: str
    engine: str
    rule: str


class SuggestionsResponse(BaseModel):
    suggestions: list[Suggestion]
    engine: str
    cached: bool
    stale: bool = Field(False, description="True when engines failed and this is a cached answer past its TTL (FallbackMode.useCache).")
    request_id: str


class RewriteResponse(BaseModel):
    text: str
    engine: str
    cached: bool
    stale: bool = Field(False, description="True when engines failed and this is a cached answer past its TTL (FallbackMode.useCache).")
    request_id: str


class AnalysisResponse(BaseModel):
    model_config = {"extra": "allow"}

    readability: dict
    counts: dict
    long_sentences: list[dict]
    passive_voice: list[dict]
    repeated_words: list[dict]
    issues: dict
    cached: bool
    stale: bool = Field(False, description="True when engines failed and this is a cached answer past its TTL (FallbackMode.useCache).")
    request_id: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    request_id: str


class ErrorBody(BaseModel):
    """The one error shape (LanguageTool's plain text `Error: ...` under /v2/)."""

    error: ErrorDetail


_ERRORS = {
    400: "The request is malformed (not JSON, not UTF-8, an unknown field value).",
    401: "No valid API key: missing, unknown or revoked.",
    403: "The key lacks the role this needs.",
    404: "No such resource.",
    413: "The text is longer than the configured limit; the message says the limit.",
    422: "The body does not validate; the message names each field.",
    429: "The caller's rate limit is used up; Retry-After says when to come back.",
    503: "A dependency cannot answer now; Retry-After says when to try again.",
}
_LIMIT_HEADERS = {
    name: {"description": meaning, "schema": {"type": "integer"}}
    for name, meaning in [
        ("Retry-After", "Seconds until a request would be counted again."),
        ("RateLimit-Limit", "Requests allowed per window."),
        ("RateLimit-Remaining", "Requests left in the window."),
        ("RateLimit-Reset", "Seconds until the oldest counted request leaves the window."),
    ]
}


def error_responses(*statuses: int, plain: bool = False) -> dict:
    """OpenAPI `responses` for these error statuses, in the JSON shape or (plain) LanguageTool's text."""
    content = {"text/plain": {"schema": {"type": "string", "pattern": "^Error: "}}} if plain else None
    responses = {}
    for status in statuses:
        responses[status] = {"description": _ERRORS[status], **({"content": content} if plain else {"model": ErrorBody})}
        if status in (429, 503):
            responses[status]["headers"] = {"Retry-After": _LIMIT_HEADERS["Retry-After"]} if status == 503 else _LIMIT_HEADERS
    return responses


def languagetool_check_form(language_codes: list[str], query: bool = False) -> dict:
    """OpenAPI for /v2/check's form body, or (query) its query string: LanguageTool's own fields.
    `data`, the markup form of `text`, is described but left out of the schema: it is a JSON
    document inside a form field."""
    words = {"type": "string", "description": "comma-separated ids"}
    fields = {
        "text": {"type": "string", "pattern": r"^[^\x00]*$", "description": "the text to check (or send `data` instead); no NUL"},
        "language": {"type": "string", "enum": [*language_codes, "auto"]},
        "motherTongue": {"type": "string"},
        "enabledRules": words, "disabledRules": words, "enabledCategories": words, "disabledCategories": words,
        "level": {"type": "string", "enum": ["default", "picky"]},
        "engine": {"type": "string", "enum": [str(choice) for choice in EngineChoice], "description": "this server's extension"},
        "username": {"type": "string", "description": "with apiKey: the key's owner"},
        "apiKey": {"type": "string", "description": "an API key, for LanguageTool clients"},
    }
    required = ["text", "language"]
    if query:
        return {"parameters": [{"name": name, "in": "query", "required": name in required, "schema": schema}
                               for name, schema in fields.items()]}
    schema = {"type": "object", "required": required, "properties": fields}
    return {"requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": schema}}}}
