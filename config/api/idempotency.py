"""`Idempotency-Key` on POSTs that create something (the IETF httpapi draft's semantics).

A client whose answer was lost (a dropped connection after the commit) retries with the same
key and gets the first answer again instead of a second job or charge:
- same key, same request (method, path, body) → the stored status, body and headers, plus
  `Idempotent-Replayed: true`;
- same key, another request → 422;
- same key while the first request still runs → 409 with Retry-After (the key is claimed by
  an insert committed before the work starts, so exactly one of two racing requests runs);
- kept KEEP_FOR per account; expired keys are purged lazily when the account uses a key
  again, and by the reaper's sweep (`identities.services.idempotency.idempotency_keys_purge`).
Answers that say "try again later" (429, 5xx, an unhandled error) are not kept: the retry
with the same key runs again.

One line per operation: `@decorate_view(idempotent)` under its `@router.post(...)`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from datetime import timedelta
from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone

from config.api.auth import BearerToken
from config.api.errors import ApiError, FieldError, error_response
from config.api.refusals import refusal_api_error
from config.refusals import Refusal
from identities.models import IdempotencyKey
from identities.services.idempotency import idempotency_keys_purge

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(hours=24)
# Headers a client acts on; replayed with the body.
_KEPT_HEADERS = ("Content-Type", "Location", "Retry-After")

# For the OpenAPI document of every idempotent operation.
OPENAPI_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": (
        "A unique key (1–255 printable ASCII characters, e.g. a UUID) to retry this request "
        "safely for 24 hours: the same key with the same body answers the first response "
        "again; with another body 422; while the first request still runs 409."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"},
}


def _header_error(status: int, error: str, message: str, **headers) -> ApiError:
    return ApiError(
        status=status,
        error=error,
        detail=[FieldError(HEADER, message, "header")],
        headers=headers,
    )


def _clean_key(raw: str) -> str:
    # The draft sends a structured-field string ("…"); plain tokens are accepted as well.
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not 1 <= len(key) <= 255 or not all(" " <= char <= "~" for char in key):
        raise _header_error(
            400, "Validation error", "Use 1 to 255 printable ASCII characters, e.g. a UUID."
        )
    return key


def _fingerprint(request) -> str:
    body = request.body
    # Key order and whitespace do not make another request; a body that is not JSON counts
    # byte for byte.
    with contextlib.suppress(ValueError, UnicodeDecodeError, RecursionError):
        body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def _claim(*, account, key: str, fingerprint: str) -> IdempotencyKey | None:
    """The new in-progress row, or None when the key already has one (committed at once)."""
    now = timezone.now()
    idempotency_keys_purge(now=now, account=account)
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                account=account, key=key, fingerprint=fingerprint, expires_at=now + KEEP_FOR
            )
    except IntegrityError:
        return None


def _replay(*, account, key: str, fingerprint: str) -> HttpResponse:
    stored = IdempotencyKey.objects.filter(account=account, key=key).first()
    if stored is None:  # the first request failed and let the key go meanwhile
        raise _header_error(
            409,
            "Request in progress",
            "Retry: the first request with this key ended.",
            **{"Retry-After": "1"},
        )
    if stored.fingerprint != fingerprint:
        raise _header_error(
            422,
            "Idempotency key reused",
            "This key was used for another request; use a new key for a new request.",
        )
    if stored.status is None:
        raise _header_error(
            409,
            "Request in progress",
            "A request with this key is still running; retry shortly for its answer.",
            **{"Retry-After": "1"},
        )
    response = HttpResponse(stored.body, status=stored.status)
    for name, value in stored.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def _keeps(response) -> bool:
    return response.status_code < 500 and response.status_code != 429


def idempotent(run):
    """Wraps a django-ninja operation's `run` (see the module docstring)."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        raw = request.headers.get(HEADER)
        if raw is None:
            return run(request, *args, **kwargs)
        try:
            key = _clean_key(raw)
            # Keys are per account: authenticate first (the operation does it again, cheaply);
            # a refused token is answered here, so its failure is counted once.
            BearerToken()(request)
            fingerprint = _fingerprint(request)
        except Refusal as refusal:
            return error_response(refusal_api_error(refusal))
        except ApiError as error:
            return error_response(error)
        except RequestDataTooBig:
            return run(request, *args, **kwargs)  # answered 413 by the operation
        account = request.account
        claim = _claim(account=account, key=key, fingerprint=fingerprint)
        if claim is None:
            try:
                return _replay(account=account, key=key, fingerprint=fingerprint)
            except ApiError as error:
                return error_response(error)
        try:
            response = run(request, *args, **kwargs)
        except BaseException:
            claim.delete()
            raise
        if not _keeps(response):
            claim.delete()
            return response
        claim.status = response.status_code
        claim.body = response.content.decode("utf-8", errors="replace")
        claim.headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
        claim.save(update_fields=["status", "body", "headers"])
        return response

    return wrapper
