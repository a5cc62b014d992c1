"""Idempotency keys (stored by the API's `Idempotency-Key` handling) outlive their day here.

A key is kept until its `expires_at` (the API stores a day ahead); the reaper's sweep
(`services.jobs.reaping.abandoned_work_reap`) deletes the expired ones of every account, so the
table holds at most a day of keys whether or not an account ever sends a key again.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from identities.models import IdempotencyKey


def idempotency_keys_purge(*, now: datetime | None = None, account=None) -> int:
    """Delete the expired keys (of `account` only, when given); how many were deleted."""
    expired = IdempotencyKey.objects.filter(expires_at__lte=now or timezone.now())
    if account is not None:
        expired = expired.filter(account=account)
    deleted, _ = expired.delete()
    return deleted
