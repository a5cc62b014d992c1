"""Refusals shared by several services, worded once."""

from accounts.services import InsufficientCredits
from config.api.errors import ApiError


def payment_required(short: InsufficientCredits) -> ApiError:
    """The seed's 402: what was asked, what is held by work in progress, what is available."""
    return ApiError(
        status=402,
        error="Insufficient credits",
        extra={
            "required_credits": short.required,
            "in_progress_credits": short.reserved,
            "user_credits": short.available,
        },
    )
