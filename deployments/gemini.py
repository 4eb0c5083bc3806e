"""Gemini: the google-genai async client with structured JSON output.

Gemini returns the corrected or rewritten text; offsets are never trusted to the
model: the router aligns its text with the input (pipelines.align).
"""

from __future__ import annotations

import time

from pydantic import BaseModel, Field
from ray import serve

from serve.errors import EngineUnavailable
from serve.logging import get_logger
from serve.settings import Settings

_TASK_WORDS = {
    "grammar": "grammar and punctuation mistakes",
    "spelling": "spelling mistakes",
    "clarity": "unclear wording",
    "concision": "wordy phrasing",
    "tone": "tone that does not suit the text",
}
_STYLE_WORDS = {
    "formal": "more formal, for professional readers",
    "simple": "simpler, with plain words and short sentences",
    "concise": "more concise, without losing meaning",
    "paraphrase": "reworded (a paraphrase) with the same meaning",
}


class CorrectedText(BaseModel):
    """The JSON shape Gemini must answer in."""

    text: str = Field(description="The whole input text with the requested changes applied.")


class GeminiEditor:
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

    async def correct(self, text: str, tasks: list[str]) -> str:
        wanted = ", ".join(_TASK_WORDS[t] for t in tasks if t in _TASK_WORDS)
        instruction = (
            f"You are a copy editor. Fix only these problems: {wanted}. Keep everything else exactly as written: "
            "the same words, line breaks and spacing. Answer with the whole corrected text."
        )
        return await self._ask(instruction, text)

    async def rewrite(self, text: str, style: str) -> str:
        instruction = f"Rewrite the text to be {_STYLE_WORDS[style]}. Keep its language and paragraph breaks. Answer with the rewritten text only."
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
            self._latency.observe(time.perf_counter() - started, tags={"engine": "gemini"})
        return answer.text

    def status(self) -> dict:
        return {
            "live": self.client is not None,
            "reason": None if self.client else "GOOGLE_AI_API_KEY is not set",
            "model": self._settings.gemini_model,
            "version": self._settings.gemini_model,
        }


Gemini = serve.deployment(GeminiEditor, name="Gemini", ray_actor_options={"num_cpus": 0.1}, max_ongoing_requests=64)
