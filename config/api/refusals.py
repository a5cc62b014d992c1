"""Domain refusals as the seed API answers them: one row per refusal type.

Every row gives the status; most bodies are just {"error": summary, "detail": problems}, and
the rows that add keys or headers say which (clients read `retry_after`, `identity_code`,
`blocked_term`, … by these names, so they are part of the API, not of the refusal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from config.api.errors import ApiError
from config.refusals import (
    AbovePlan,
    AlreadyPromoted,
    AlreadyUploaded,
    CreationPaused,
    InsufficientCredits,
    InvalidInput,
    LinkExpired,
    NameTaken,
    NotFound,
    NotPromotable,
    RateLimited,
    Refusal,
    SlotsFull,
    TooManyJobs,
    TooManyStreams,
)
from identities.briefs.request import BriefError
from identities.extraction.result import ExtractionError


def _nothing(refusal: Any) -> dict:
    return {}


@dataclass(frozen=True)
class Answer:
    status: int
    extra: Callable[[Any], dict] = _nothing
    headers: Callable[[Any], dict] = _nothing


def _credits(short: InsufficientCredits) -> dict:
    return {
        "required_credits": short.required,
        "in_progress_credits": short.reserved,
        "user_credits": short.available,
    }


def _blocked(error: BriefError) -> dict:
    return {"blocked_term": error.blocked_term} if error.blocked_term else {}


def _faces(refusal: NotPromotable) -> dict:
    return {} if refusal.faces_found is None else {"faces_found": refusal.faces_found}


def _retry(seconds: int) -> Callable[[Any], dict]:
    return lambda refusal: {"Retry-After": str(seconds)}


ANSWERS: dict[type[Refusal], Answer] = {
    InvalidInput: Answer(400),
    BriefError: Answer(400, extra=_blocked),
    ExtractionError: Answer(400, extra=lambda error: {"code": error.code, **error.extra}),
    NotPromotable: Answer(400, extra=_faces),
    InsufficientCredits: Answer(402, extra=_credits),
    AbovePlan: Answer(403),
    LinkExpired: Answer(403),
    NotFound: Answer(404),
    NameTaken: Answer(409),
    AlreadyUploaded: Answer(409),
    AlreadyPromoted: Answer(409, extra=lambda refusal: {"identity_code": refusal.identity_code}),
    RateLimited: Answer(
        429,
        extra=lambda refusal: {"retry_after": refusal.retry_after},
        headers=lambda refusal: {"Retry-After": str(refusal.retry_after)},
    ),
    # Fixed waits, as the seed API has always sent them: clients already schedule by them.
    TooManyJobs: Answer(
        429, extra=lambda refusal: {"active_jobs": refusal.cap}, headers=_retry(30)
    ),
    SlotsFull: Answer(
        429, extra=lambda refusal: {"identity_slots": refusal.limit}, headers=_retry(3600)
    ),
    TooManyStreams: Answer(
        429,
        extra=lambda refusal: {"open_streams": refusal.cap},
        headers=lambda refusal: {"Retry-After": str(refusal.retry_after)},
    ),
    CreationPaused: Answer(503),
}


def refusal_api_error(refusal: Refusal) -> ApiError:
    """The seed's status, body and headers for `refusal` (its most specific row)."""
    for kind in type(refusal).__mro__:
        answer = ANSWERS.get(kind)
        if answer is not None:
            return ApiError(
                status=answer.status,
                error=refusal.summary,
                detail=list(refusal.problems),
                extra=answer.extra(refusal),
                headers=answer.headers(refusal),
            )
    # A refusal type without a row is a bug of this table: fail loudly (a 500), never guess.
    raise TypeError(f"{type(refusal).__name__} has no API answer")
