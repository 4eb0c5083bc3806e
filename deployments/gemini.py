"""Gemini: the google-genai async client with structured JSON output.

Gemini returns the corrected or rewritten text; offsets are never trusted to the
model: its text is aligned with the input here (pipelines.align).

Failures leave by kind, for the Router to act on: a timeout, a 5xx or a dropped
connection is `EngineUnavailable` (worth a retry); a 429 is `EngineBusy` carrying
Gemini's Retry-After; a 400 is `EngineRejected` (this request, never retried); a
401/403/404 means the key or model is wrong: `EngineRejected`, and the engine reports
itself not live with the reason until a check of the key passes. The key is checked
with a cheap call (models.get) at start and, while rejected, every
`gemini_key_recheck_s`. The SDK's own retries are off: the Router retries within the
request's budget and falls back.
"""

from __future__ import annotations

import asyncio
import time

from pydantic import BaseModel, Field

from pipelines.align import align
from pipelines.vocabulary import CORRECTION_TASKS, Engine, Style, Task
from serve.errors import EngineBusy, EngineRejected, EngineUnavailable
from serve import metrics
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
        from google.genai import errors, types

        self._settings = settings
        self._log = get_logger(settings)
        self._types, self._errors = types, errors
        self.client = None
        self._rejected: str | None = None  # why the key or model was refused; None while they work
        self._checked_at = float("-inf")
        self._checking: asyncio.Task | None = None
        if settings.gemini_configured:
            self.client = genai.Client(
                api_key=settings.google_ai_api_key,
                http_options=types.HttpOptions(
                    base_url=settings.gemini_base_url,
                    timeout=int(settings.gemini_timeout_s * 1000),
                    retry_options=types.HttpRetryOptions(attempts=1),
                ),
            )
            self._check_key_now()

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
        if self._rejected:
            raise EngineRejected(f"Gemini is not usable: {self._rejected}", retry_after=int(self._settings.gemini_key_recheck_s))
        started = time.perf_counter()
        try:
            response = await asyncio.wait_for(
                self.client.aio.models.generate_content(
                    model=self._settings.gemini_model,
                    contents=text,
                    config=self._types.GenerateContentConfig(
                        system_instruction=instruction,
                        temperature=0,
                        response_mime_type="application/json",
                        response_schema=CorrectedText,
                    ),
                ),
                self._settings.gemini_timeout_s + 1,  # the SDK's own timeout, should a read hang past it
            )
            answer = CorrectedText.model_validate_json(response.text or "")
        except Exception as exc:
            raise self._classified(exc) from None
        finally:
            metrics.ai_latency(Engine.GEMINI.value, time.perf_counter() - started)
        self._rejected = None
        return answer.text

    def _classified(self, exc: Exception) -> EngineUnavailable:
        """The failure as the kind the Router acts on, with a log line an operator can act on."""
        if isinstance(exc, self._errors.APIError):
            what = f"{exc.code} {exc.status}: {exc.message}"
            if exc.code == 429:
                headers = getattr(exc.response, "headers", None) or {}
                wait = _seconds(headers.get("retry-after"))
                self._log.warning("Gemini is rate limiting (%s); retry after %s s", what, wait)
                return EngineBusy(f"Gemini is rate limiting ({what})", retry_after=wait)
            if exc.code in (401, 403, 404):
                self._refused(what)
                return EngineRejected(f"Gemini is not usable: {self._rejected}", retry_after=int(self._settings.gemini_key_recheck_s))
            if exc.code < 500:
                self._log.warning("Gemini refused the request (%s); not retried", what)
                return EngineRejected(f"Gemini refused the request ({what})", retry_after=60)
            self._log.warning("Gemini failed (%s)", what)
            return EngineUnavailable(f"Gemini failed ({what})")
        if isinstance(exc, TimeoutError) or "Timeout" in type(exc).__name__:
            self._log.warning("Gemini did not answer within %s s", self._settings.gemini_timeout_s)
            return EngineUnavailable(f"Gemini timed out after {self._settings.gemini_timeout_s} s")
        self._log.warning("Gemini call failed: %s: %s", type(exc).__name__, exc)
        return EngineUnavailable(f"Gemini did not answer usably ({type(exc).__name__})")

    def _refused(self, what: str) -> None:
        if self._rejected is None:
            self._log.error(
                "Gemini refused the key or model (%s): Gemini is off until a check passes; fix GOOGLE_AI_API_KEY or "
                "WRITING_GEMINI_MODEL (checked again every %s s)", what, self._settings.gemini_key_recheck_s
            )
        self._rejected = f"key or model refused ({what})"

    def _check_key_now(self) -> None:
        """At start: one models.get, synchronously; only a refusal turns Gemini off (an outage is the Router's)."""
        self._checked_at = time.monotonic()
        try:
            self.client.models.get(model=self._settings.gemini_model)
        except self._errors.APIError as exc:
            if exc.code in (401, 403, 404):
                self._refused(f"{exc.code} {exc.status}: {exc.message}")
        except Exception as exc:
            self._log.warning("Gemini key check could not run (%s: %s); calls will tell", type(exc).__name__, exc)

    async def _check_key(self) -> None:
        try:
            await self.client.aio.models.get(model=self._settings.gemini_model)
            self._log.warning("Gemini accepts the key again")
            self._rejected = None
        except self._errors.APIError as exc:
            if exc.code in (401, 403, 404):
                self._rejected = f"key or model refused ({exc.code} {exc.status}: {exc.message})"
        except Exception:
            pass  # an outage says nothing about the key

    async def status(self) -> dict:
        if self._rejected and time.monotonic() - self._checked_at > self._settings.gemini_key_recheck_s:
            if self._checking is None or self._checking.done():
                self._checked_at = time.monotonic()
                self._checking = asyncio.get_running_loop().create_task(self._check_key())
        live = self.client is not None and self._rejected is None
        return {
            "live": live,
            "reason": None if live else self._rejected or "GOOGLE_AI_API_KEY is not set",
            "version": self._settings.gemini_model,
            "tasks": sorted(CORRECTION_TASKS),
            "styles": list(Style),
            "auto": True,
        }


def _seconds(value: str | None, default: int = 5) -> int:
    """A Retry-After in seconds (an HTTP date counts as the default)."""
    try:
        return max(1, int(float(value)))
    except (TypeError, ValueError):
        return default
