"""The model-create reference's error body for /api/v1: `{"error": "<Name>", "message": "…"}`.

The reference names its request errors BadRequest (400), UnauthorizedAccess (401), NotFound
(404), RateLimitExceeded, ConcurrencyLimitExceeded and OutOfCredits (all 429) and
InternalServerError (500); clients branch on those names, so every refusal maps to one of them
here (a refusal about one input adds `field`, its key under `inputs`). The plumbing shared
with v2 (Bearer auth, the JSON body checks, idempotency keys) raises v2's envelope; `from_v2`
turns that into this one, so both APIs keep one implementation of each.
"""

from __future__ import annotations

import json
from functools import wraps

from django.http import HttpResponse

from config.api.errors import ApiError
from config.api.idempotency import idempotent
from config.refusals import (
    InsufficientCredits,
    NotFound,
    RateLimited,
    Refusal,
    TooManyJobs,
    TooManyStreams,
)

NAMES = {
    400: "BadRequest",
    401: "UnauthorizedAccess",
    404: "NotFound",
    409: "Conflict",
    413: "PayloadTooLarge",
    422: "UnprocessableEntity",
    429: "RateLimitExceeded",
    500: "InternalServerError",
}


def v1_body(*, status: int, message: str, name: str | None = None, field: str | None = None):
    body = {"error": name or NAMES.get(status, "BadRequest"), "message": message}
    if field:
        body["field"] = field
    return body


def v1_response(status: int, body: dict, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body), status=status, content_type="application/json; charset=utf-8"
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _input_field(refusal: Refusal) -> str | None:
    field = refusal.problems[0].field if refusal.problems else None
    if field is None or field in ("model_name", "inputs", "id", "Authorization"):
        return field
    return f"inputs.{field}"


def _message(refusal: Refusal) -> str:
    if not refusal.problems:
        return refusal.summary
    field = _input_field(refusal)
    text = "; ".join(problem.message for problem in refusal.problems)
    return f"{field}: {text}" if field else text


def refusal_v1(refusal: Refusal) -> tuple[int, dict, dict]:
    """(status, body, headers) for a domain refusal."""
    field = _input_field(refusal)
    if isinstance(refusal, InsufficientCredits):
        message = f"{refusal.required} credits required, {refusal.available} available."
        return 429, v1_body(status=429, name="OutOfCredits", message=message), {}
    if isinstance(refusal, TooManyJobs):
        body = v1_body(status=429, name="ConcurrencyLimitExceeded", message=refusal.summary)
        return 429, body, {"Retry-After": "30"}
    if isinstance(refusal, RateLimited | TooManyStreams):
        body = v1_body(status=429, name="RateLimitExceeded", message=refusal.summary)
        return 429, body, {"Retry-After": str(refusal.retry_after)}
    if isinstance(refusal, NotFound):
        return 404, v1_body(status=404, message=_message(refusal), field=field), {}
    return 400, v1_body(status=400, message=_message(refusal), field=field), {}


def from_v2(error: ApiError) -> tuple[int, dict, dict]:
    """v2's envelope (auth, body parsing, idempotency) in the reference's words."""
    first = error.detail[0] if error.detail else None
    message = first.message if first is not None else error.error
    field = first.field if first is not None and error.status != 401 else None
    return error.status, v1_body(status=error.status, message=message, field=field), error.headers


def idempotent_v1(run):
    """v2's `Idempotency-Key` machinery (claim, replay, conflicts), with its own refusals
    (a bad key, a reused key, a request still running) answered in the v1 body."""
    wrapped = idempotent(run)

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        response = wrapped(request, *args, **kwargs)
        if response.status_code < 400 or response.get("Content-Type", "").find("json") < 0:
            return response
        try:
            body = json.loads(response.content)
        except ValueError:
            return response
        if not (isinstance(body, dict) and isinstance(body.get("detail"), list)):
            return response  # already the v1 body
        detail = body["detail"][0] if body["detail"] else {}
        v1 = v1_body(status=response.status_code, message=detail.get("message", body["error"]))
        if detail.get("field") and response.status_code != 401:
            v1["field"] = detail["field"]
        response.content = json.dumps(v1).encode()
        return response

    return wrapper
