"""The HTTP contract (API.md) as pydantic models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

Engine = Literal["auto", "gemini", "t5", "basic"]
Task = Literal["grammar", "spelling", "clarity", "concision", "tone"]
Style = Literal["formal", "simple", "concise", "paraphrase"]


class _TextRequest(BaseModel):
    model_config = {"extra": "forbid"}

    text: str = Field(description="The text to work on (plain text).", examples=["This are a exampel sentence."])

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text must contain at least one non-space character")
        return value


class SuggestionsRequest(_TextRequest):
    tasks: list[Task] | None = Field(None, description="Categories to check; all when omitted.")
    engine: Engine = "auto"
    language: Literal["en", "en-US", "en-GB", "en-AU", "en-CA", "en-NZ", "en-ZA"] = "en"


class RewriteRequest(_TextRequest):
    style: Style
    engine: Engine = "auto"


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
    engine: str
    cached: bool
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
    request_id: str
