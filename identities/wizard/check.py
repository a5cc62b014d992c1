"""Where a brief stands, computed on every render: the validated request or every problem, what
it would cost, and the payload the JSON inspector shows. Nothing is written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from config.refusals import FieldError, Refusal
from identities.briefs.payload import to_api_payload
from identities.briefs.request import BriefError, CreationRequest
from identities.briefs.validation import MAX_VARIATIONS, validate_creation_request
from identities.models import Brief
from identities.services.jobs import job_quote
from identities.wizard.convert import brief_to_api


@dataclass(frozen=True)
class BriefCheck:
    """The validated request (or every problem), its cost, its payload."""

    data: dict[str, Any]
    request: CreationRequest | None
    errors: tuple[FieldError, ...] = ()
    blocked_term: str | None = None
    quote: int | None = None
    quote_error: str = ""

    @property
    def payload(self) -> dict[str, Any]:
        """The exact API payload when valid; the best-effort body otherwise."""
        return to_api_payload(self.request) if self.request else self.data

    @property
    def total_drafts(self) -> int | None:
        """How many images Generate would make (the drafts of the job); None while a count of
        variations is one the API refuses, so no impossible job is counted or priced."""
        counts = [_variations(item) for item in self.data["instructions"]]
        return None if None in counts else sum(counts)

    @property
    def can_generate(self) -> bool:
        return self.total_drafts is not None


def _variations(item: Mapping[str, Any]) -> int | None:
    value = item.get("num_variations", 1)
    valid = isinstance(value, int) and not isinstance(value, bool)
    return value if valid and 1 <= value <= MAX_VARIATIONS else None


def brief_check(*, brief: Brief) -> BriefCheck:
    data = brief_to_api(brief)
    try:
        request = validate_creation_request(data)
    except BriefError as error:
        return BriefCheck(
            data=data, request=None, errors=tuple(error.errors), blocked_term=error.blocked_term
        )
    try:
        quote = job_quote(request=request)
    except Refusal as refusal:
        return BriefCheck(data=data, request=request, quote_error=refusal.message)
    return BriefCheck(data=data, request=request, quote=quote)
