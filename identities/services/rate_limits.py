"""Per-minute limits shared by several services (creation jobs, promotions)."""

from datetime import timedelta

from django.utils import timezone

from config.refusals import RateLimited


def rate_limit_check(*, recent, per_minute: int, what: str, count: int | None = None) -> None:
    """RateLimited when `recent` (a queryset with `created_at`) holds `per_minute` rows of the
    last minute. Counted from the rows themselves, so every web machine sees the same window;
    `count`, when the caller has counted them already, spares the count below the limit."""
    if count is not None and count < per_minute:
        return
    since = timezone.now() - timedelta(minutes=1)
    window = recent.filter(created_at__gte=since).order_by("created_at")
    if count is None:
        count = window.count()
    if count < per_minute:
        return
    oldest = window.values_list("created_at", flat=True).first()
    wait = max(1, int((oldest + timedelta(minutes=1) - timezone.now()).total_seconds()) + 1)
    raise RateLimited(retry_after=wait, what=what, per_minute=per_minute)
