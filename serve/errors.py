"""The one error shape: {"error": {"code", "message", "request_id"}} with the right status.

Deployments raise these; they cross DeploymentHandles intact (Ray re-raises the
original type), and the ingress maps every one of them to the shared shape.
"""

from __future__ import annotations


class ServiceError(Exception):
    status = 500
    code = "internal_error"

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message, retry_after)
        self.message = message
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}


class BadRequest(ServiceError):
    status, code = 400, "bad_request"


class Unauthorized(ServiceError):
    status, code = 401, "unauthorized"


class Forbidden(ServiceError):
    status, code = 403, "forbidden"


class NotFound(ServiceError):
    status, code = 404, "not_found"


class Conflict(ServiceError):
    status, code = 409, "conflict"


class TextTooLong(ServiceError):
    status, code = 413, "text_too_long"


class Unprocessable(ServiceError):
    status, code = 422, "validation_error"


class UnsupportedLanguage(Unprocessable):
    code = "unsupported_language"


class RateLimited(ServiceError):
    status, code = 429, "rate_limited"


class Unavailable(ServiceError):
    """A dependency (an engine, the cache backend) cannot answer now. Every 503 says
    when to retry: seconds for a passing fault, a minute for a missing engine."""

    status, code = 503, "unavailable"

    def __init__(self, message: str, retry_after: int = 5):
        super().__init__(message, retry_after)


class EngineUnavailable(Unavailable):
    code = "engine_unavailable"


def error_body(code: str, message: str, request_id: str) -> dict:
    return {"error": {"code": code, "message": message, "request_id": request_id}}


class EngineBusy(EngineUnavailable):
    """The engine asked to be called again later (a 429 and its Retry-After): a retry waits that long."""


class EngineRejected(EngineUnavailable):
    """The engine refused the request for a reason a retry cannot fix (a bad key, blocked content)."""

    code = "engine_rejected"
