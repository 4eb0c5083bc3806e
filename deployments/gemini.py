"""Gemini: the google-genai async client with structured JSON output.

Gemini returns the corrected or rewritten text; offsets are never trusted to the
model: its text is aligned with the input here (pipelines.align).
"""

from __future__ import annotations

import time

from pydantic import BaseModel, Field

from pipelines.align import align
from pipelines.vocabulary import CORRECTION_TASKS, Engine, Style, Task
from serve.errors import EngineUnavailable
from serve.logging import get_logger
from serve.settings import Settings

# How each task and style reads in an instruction to the model.
_TASK_WORDS = {
    Task.GRAMMAR: "grammar and punctuation mistakes",
    Task.SPELLING: "spelling mistakes",
    Task.CLARITY: "unclear wording",
    Task.CONCISION: "wordy phrasing",
    Task.TONE: "tone that does not suit the text",
}
_STYLE_WORDS = {
    Style.FORMAL: "more formal, for professional readers",
    Style.SIMPLE: "simpler, with plain words and short sentences",
    Style.CONCISE: "more concise, without losing meaning",
    Style.PARAPHRASE: "reworded (a paraphrase) with the same meaning",
}


class CorrectedText(BaseModel):
    """The JSON shape Gemini must answer in."""

    text: str = Field(description="The whole input text with the requested changes applied.")


class Gemini:
    def __init__(self, settings: Settings):
        from google import genai
        from google.genai import types
        from ray.util import metrics

        self._settings = settings
        self._log = get_logger(settings.log_level)
        self._types = types
        self.client = None
        if settings.gemini_configured:
            self.client = genai.Client(
                api_key=settings.google_ai_api_key,
                http_options=types.HttpOptions(
                    base_url=settings.gemini_base_url,
                    timeout=int(settings.gemini_timeout_s * 1000),
                    retry_options=types.HttpRetryOptions(attempts=2, initial_delay=0.2, max_delay=1.0),
                ),
            )
        self._latency = metrics.Histogram(
            "ai_latency_seconds", "Engine call latency.", boundaries=[0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10], tag_keys=("engine",)
        )

    async def suggest(self, text: str, tasks: list[str], language: str) -> list[dict]:
        """Edits for the correction tasks asked for; style hints are the rule engine's."""
        wanted = [Task(t) for t in tasks if t in CORRECTION_TASKS]
        instruction = (
            f"You are a copy editor for {language} English. Fix only these problems: "
            f"{', '.join(_TASK_WORDS[t] for t in wanted)}. Keep everything else exactly as written: "
            "the same words, line breaks and spacing. Answer with the whole corrected text."
        )
        corrected = await self._ask(instruction, text)
        return [e.to_dict() for e in align(text, corrected, Engine.GEMINI) if e.category in wanted]

    async def rewrite(self, text: str, style: str) -> str:
        instruction = f"Rewrite the text to be {_STYLE_WORDS[Style(style)]}. Keep its language and paragraph breaks. Answer with the rewritten text only."
        return await self._ask(instruction, text)

    async def _ask(self, instruction: str, text: str) -> str:
        if self.client is None:
            raise EngineUnavailable("Gemini is not configured (GOOGLE_AI_API_KEY is not set)", retry_after=60)
        started = time.perf_counter()
        try:
            response = await self.client.aio.models.generate_content(
                model=self._settings.gemini_model,
                contents=text,
                config=self._types.GenerateContentConfig(
                    system_instruction=instruction,
                    temperature=0,
                    response_mime_type="application/json",
                    response_schema=CorrectedText,
                ),
            )
            answer = CorrectedText.model_validate_json(response.text or "")
        except Exception as exc:
            self._log.warning("Gemini call failed: %s: %s", type(exc).__name__, exc)
            raise EngineUnavailable(f"Gemini did not answer usably ({type(exc).__name__})") from None
        finally:
            self._latency.observe(time.perf_counter() - started, tags={"engine": Engine.GEMINI.value})
        return answer.text

    def status(self) -> dict:
        return {
            "live": self.client is not None,
            "reason": None if self.client else "GOOGLE_AI_API_KEY is not set",
            "version": self._settings.gemini_model,
            "tasks": sorted(CORRECTION_TASKS),
            "styles": list(Style),
            "auto": True,
        }
