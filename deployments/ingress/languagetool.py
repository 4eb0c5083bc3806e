"""LanguageTool's HTTP API v2 (/v2/check, /v2/languages, /v2/healthcheck), so LanguageTool
clients and editor plug-ins work against this service. Its errors are LanguageTool's
plain text (`Error: ...`); the app's one error handler answers /v2/ paths that way."""

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from deployments.ingress.auth import require
from deployments.ingress.deps import ingress_of
from deployments.ingress.events import track
from pipelines import languagetool
from pipelines.edits import Edit
from pipelines.vocabulary import EngineChoice
from serve.errors import BadRequest
from serve.schemas import check_text, error_responses, languagetool_check_form

router = APIRouter(prefix="/v2", tags=["languagetool"])
CODES = [language["longCode"] for language in languagetool.languages_payload()]


async def _form(request: Request) -> dict[str, str]:
    """The form body, with the query string overriding it as LanguageTool does; strict UTF-8."""
    try:
        form = dict(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError:
        raise BadRequest("the form body is not valid UTF-8") from None
    form.update(request.query_params)
    return form


@router.post(
    "/check",
    response_class=JSONResponse,
    dependencies=[require("writer")],
    responses=error_responses(400, 401, 403, 413, 429, 503, plain=True),
    openapi_extra=languagetool_check_form(CODES),
)
@router.get(
    "/check",
    response_class=JSONResponse,
    dependencies=[require("writer")],
    responses=error_responses(400, 401, 403, 413, 429, 503, plain=True),
    openapi_extra=languagetool_check_form(CODES, query=True),
)
async def check(request: Request):
    """LanguageTool's /v2/check: form fields `text` or `data`, `language`, rule and category filters, `level`.

    Extension: an `engine` field (auto, gemini, t5, basic) picks the engine as on /v1/suggestions.
    """
    api = ingress_of(request.app)
    form = await _form(request)
    try:
        req = languagetool.parse_check_form(form)
    except languagetool.LanguageToolRequestError as exc:
        raise BadRequest(exc.message) from None
    engine = form.get("engine", EngineChoice.AUTO)
    if engine not in set(EngineChoice):
        *others, last = EngineChoice
        raise BadRequest(f"Unknown engine '{engine}', use {', '.join(others)} or {last}")
    api.check_length(req.text)
    edits: list = []
    if req.text.strip():
        try:
            check_text(req.text)
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
        if req.auto:  # language=auto: the Analyzer detects (its replicas hold the models), then the variant or none
            req = languagetool.with_detected(req, *await api.analyzer.detect.remote(req.text))
        if req.variant:
            result, cached = await api.suggest(req.text, None, req.variant, engine)
            track(request, api, "check", result, cached)
            edits = [Edit(**s) for s in result["suggestions"]]
    elif req.auto:
        req = languagetool.with_detected(req, "en", 0.0)
    return languagetool.check_response(req, edits)


@router.get("/languages")
@router.post("/languages")
async def languages() -> list[dict]:
    return languagetool.languages_payload()


@router.get("/healthcheck", response_class=PlainTextResponse)
async def healthcheck() -> str:
    return "OK"
