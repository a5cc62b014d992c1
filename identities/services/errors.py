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


def rate_limit_check(*, recent, per_minute: int, what: str) -> None:
    """429 when `recent` (a queryset with `created_at`) holds `per_minute` rows of the last
    minute. Counted from the rows themselves, so every web machine sees the same window."""
    from datetime import timedelta

    from django.utils import timezone

    since = timezone.now() - timedelta(minutes=1)
    window = recent.filter(created_at__gte=since).order_by("created_at")
    count = window.count()
    if count < per_minute:
        return
    oldest = window.values_list("created_at", flat=True).first()
    wait = max(1, int((oldest + timedelta(minutes=1) - timezone.now()).total_seconds()) + 1)
    raise ApiError(
        status=429,
        error=f"Too many {what}: at most {per_minute} a minute. Try again in {wait} s.",
        extra={"retry_after": wait},
        headers={"Retry-After": str(wait)},
    )
