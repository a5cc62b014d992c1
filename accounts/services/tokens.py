"""API tokens: 256 random bits, shown once, stored as SHA-256 (a fast hash is enough for
secrets with that much entropy; there is nothing to brute-force). Failed lookups are still
throttled per client address, like failed log-ins: that caps what a leaked list of old tokens
or a noisy scanner can try."""

import hashlib
import secrets
from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts import throttle
from accounts.models import Account, ApiToken
from accounts.services.roles import owner_require
from config.prepared import PreparedRead

TOKEN_PREFIX = "cl_"
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(seconds=60)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def api_token_create(*, account: Account, user, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the secret, which is never available again."""
    owner_require(user=user, account=account, action="create API tokens")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name."})
    if account.api_tokens.filter(name=name, revoked_at__isnull=True).exists():
        raise ValidationError({"name": f"An active token named “{name}” already exists."})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        account=account, name=name, prefix=raw[:10], digest=token_digest(raw), created_by=user
    )
    token.full_clean()
    try:
        with transaction.atomic():
            token.save()
    except IntegrityError:
        raise ValidationError({"name": f"An active token named “{name}” already exists."}) from None
    return token, raw


def api_token_revoke(*, token: ApiToken, user) -> None:
    owner_require(user=user, account=token.account_id, action="revoke API tokens")
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_authenticate(*, raw: str, request: HttpRequest | None = None) -> ApiToken | None:
    """The active token for this secret, or None. Records when it was last used.

    Given the request, an unknown or revoked token is a failed sign-in of its client address
    (counted with failed log-ins, see accounts.throttle): once the address is paused every
    token from it is refused with SignInPaused (a RateLimited with `retry_after`) until the
    cool-off has passed. A valid token is refused too (a pause that still answered valid ones
    would keep telling right guesses from wrong ones): the address's recent failures come with
    the token, in the same query, and only a count at the limit asks axes.

    Nothing is cached between requests: a revoked token fails on the next request in every
    process.
    """
    window = throttle.api_token_window(request) if request is not None else None
    if request is not None and window is None:
        throttle.api_token_throttle_check(request)
    token = _active_token(raw, window)
    if token is None:
        if request is not None:
            if window is not None:
                throttle.api_token_throttle_check(request)
            throttle.api_token_failure_record(request)
        return None
    if window is not None:
        throttle.api_token_failures_check(request, token.address_failures)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def _active_tokens(digest: str):
    # digest is unique: at most one row, no ordering needed. The user who made the token is
    # who the API's writes act as (request.api_token.created_by): read with it.
    return ApiToken.objects.select_related("account__plan", "created_by").filter(
        digest=digest, revoked_at__isnull=True
    )


_DIGEST = ApiToken._meta.get_field("digest")
# The token with its account and plan (request.account) and its maker, compiled once per
# connection.
_ACTIVE_TOKEN = PreparedRead(lambda digest: _active_tokens(digest).order_by(), digest=_DIGEST)
# The same, with the client address's recent failed sign-ins (accounts.throttle).
_ACTIVE_TOKEN_AND_FAILURES = PreparedRead(
    lambda digest, address, since: (
        _active_tokens(digest)
        .order_by()
        .annotate(address_failures=throttle.address_failures(address=address, since=since))
    ),
    digest=_DIGEST,
    address=AccessAttempt._meta.get_field("ip_address"),
    since=AccessAttempt._meta.get_field("attempt_time"),
)


def _active_token(raw: str, window: tuple[str, datetime] | None = None) -> ApiToken | None:
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 128:
        return None
    if window is None:
        return _ACTIVE_TOKEN.first(digest=token_digest(raw))
    address, since = window
    return _ACTIVE_TOKEN_AND_FAILURES.first(digest=token_digest(raw), address=address, since=since)
