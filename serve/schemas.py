"""The HTTP contract (API.md) as pydantic models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from pipelines.vocabulary import EngineChoice, Style, Task

Language = Literal["en", "en-US", "en-GB", "en-CA", "en-AU"]


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

    text: str = Field(description="The text to work on (plain text).", examples=["This are a exampel sentence."])

    @field_validator("text")
    @classmethod
    def _well_formed(cls, value: str) -> str:
        return check_text(value)


class SuggestionsRequest(_TextRequest):
    tasks: list[Task] | None = Field(None, description="Categories to check; all when omitted.")
    engine: EngineChoice = EngineChoice.AUTO
    language: Language = Field("en-US", description="English variant whose spelling is checked.")


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
    request_id: str


class RewriteResponse(BaseModel):
    text: str
    stale: bool = Field(False, description="True when engines failed and this is a cached answer past its TTL (FallbackMode.useCache).")
    engine: str
    cached: bool
    request_id: str


class AnalysisResponse(BaseModel):
    model_config = {"extra": "allow"}
    stale: bool = Field(False, description="True when engines failed and this is a cached answer past its TTL (FallbackMode.useCache).")

    readability: dict
    counts: dict
    long_sentences: list[dict]
    passive_voice: list[dict]
    repeated_words: list[dict]
    issues: dict
    cached: bool
    request_id: str
    stale: bool = Field(False, description="True when engines failed and this is a cached answer past its TTL (FallbackMode.useCache).")
