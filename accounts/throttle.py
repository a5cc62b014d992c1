"""Failed sign-ins, counted by django-axes: per e-mail and per client address.

A web log-in with a wrong password and an API request with an unknown token are both failed
sign-ins. axes stores them in the database (every web process sees the same counts) and pauses
sign-in for an e-mail, or for an address, once it has `AXES_FAILURE_LIMIT` failures within the
cool-off; the pause ends a cool-off after the failure that reached the limit. API token
failures have no e-mail, so they count against the address only.

The hooks below are named in the settings (AXES_USERNAME_CALLABLE, AXES_LOCKOUT_PARAMETERS,
AXES_CLIENT_IP_CALLABLE); the views and the token service call the rest.
"""

from __future__ import annotations

import ipaddress
import math
from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import IntegerField, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from config.refusals import RateLimited

# axes reads the e-mail from this key; an API token failure sends None (no account to name).
USERNAME = "username"
# AccessAttempt.username is 255 characters.
_USERNAME_MAX = 255


class SignInPaused(RateLimited):
    """Sign-in is paused for this e-mail or client address after too many failures;
    `retry_after` seconds until it may try again. Answered like every RateLimited (429 with
    Retry-After), with its own sentence: the window is the cool-off, not a minute."""

    def __init__(self, *, retry_after: int, failures: int):
        super().__init__(retry_after=retry_after, what="failed sign-ins", per_minute=failures)
        self.summary = (
            "Too many failed sign-ins from this address: sign-in is paused. "
            f"Try again in {retry_after} s."
        )
        self.args = (self.summary,)


# --- axes hooks (named in the settings) ----------------------------------------------------


def client_address(request) -> str | None:
    """The address failures are counted against.

    REMOTE_ADDR, unless CASTLESS_TRUSTED_PROXY_COUNT proxies in front of the web process each
    append the address they saw to X-Forwarded-For: then the entry the outermost of them added
    (whatever stands left of it, the client wrote itself). A value that is not an IP address is
    ignored, so a forged header can neither choose the bucket nor break the insert.
    """
    remote = _ip_or_none(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.CASTLESS_TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxies:
        return remote
    return _ip_or_none(hops[-proxies]) or remote


def attempt_username(request, credentials: dict | None) -> str | None:
    """The e-mail as the account is stored (lower case), so "Alice@X" and "alice@x" share one
    count; None for an API token failure."""
    if credentials is not None:
        raw = credentials.get(USERNAME)
    else:
        raw = request.POST.get(USERNAME) if request.method == "POST" else None
    if not raw:
        return None
    # As accounts.services.accounts.normalize_email stores it (not imported: the services import
    # this module).
    return str(raw).strip().lower()[:_USERNAME_MAX]


def lockout_parameters(request_or_attempt, credentials: dict | None = None) -> list[str]:
    """Pause per e-mail or per address. Failures without an e-mail (API tokens) count per
    address only: a username filter of None would match every such failure of every address."""
    if credentials is not None and not credentials.get(USERNAME):
        return ["ip_address"]
    return ["username", "ip_address"]


# --- what the views and services ask --------------------------------------------------------


def signin_retry_after(request, credentials: dict | None) -> int:
    """Seconds until this request's e-mail and address may sign in again (0: not paused).

    axes counts every failure of a stored attempt row while the row's latest failure is
    younger than the cool-off; so, per lockout parameter, the pause lasts until enough of the
    newest rows age out that the rest no longer reach the limit. (get_user_attempts is the
    database handler's, which the settings pin as AXES_HANDLER.)
    """
    cool_off = get_cool_off(request)
    limit = get_failure_limit(request, credentials)
    handler = AxesProxyHandler.get_implementation()
    AxesProxyHandler.update_request(request)
    now = timezone.now()
    until = now
    for attempts in handler.get_user_attempts(request, credentials):
        total = 0
        for failures, at in attempts.order_by("-attempt_time").values_list(
            "failures_since_start", "attempt_time"
        ):
            total += failures
            if total >= limit:
                until = max(until, at + cool_off)
                break
    return math.ceil((until - now).total_seconds())


def api_token_throttle_check(request) -> None:
    """SignInPaused when the request's address is paused. Checked before the token is looked
    up, for valid tokens too: a pause that still answered valid ones would keep telling right
    guesses from wrong ones."""
    credentials = _api_credentials()
    if AxesProxyHandler.is_allowed(request, credentials):
        return
    raise _paused(request, credentials)


def api_token_window(request) -> tuple[str, datetime] | None:
    """(address, since): the failures of this address since then are the count axes pauses an
    API token request on, so the token lookup can read them in its own query
    (`address_failures`) and `api_token_failures_check` decide from them. None when axes must
    be asked as well (`api_token_throttle_check`): no usable address, no cool-off, or the
    address is blacklisted (refused whatever its count)."""
    credentials = _api_credentials()
    AxesProxyHandler.update_request(request)
    cool_off = get_cool_off(request)
    address = request.axes_ip_address
    if not address or cool_off is None:
        return None
    if AxesProxyHandler.get_implementation().is_blacklisted(request, credentials):
        return None
    return address, request.axes_attempt_time - cool_off


def address_failures(*, address: str, since: datetime) -> Coalesce:
    """The failed sign-ins of `address` since `since`, as axes's database handler sums them
    (every attempt row of the address, with or without an e-mail), for an annotation."""
    # Grouped by the address (one group: every row has it), so the subquery is one row;
    # order_by() drops the model's ordering, which would split the group.
    recent = (
        AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
        .order_by()
        .values("ip_address")
        .annotate(total=Sum("failures_since_start"))
        .values("total")
    )
    return Coalesce(Subquery(recent, output_field=IntegerField()), 0)


def api_token_failures_check(request, failures: int) -> None:
    """After `api_token_window`: SignInPaused when the address's `failures` reached the limit
    and axes, asked then, agrees (a whitelist may still let it through)."""
    if failures < get_failure_limit(request, _api_credentials()):
        return
    api_token_throttle_check(request)


def api_token_failure_record(request) -> None:
    """Count an unknown or revoked token against the address; SignInPaused when this failure
    reached the limit (the answer to it already says so, as on the login page)."""
    credentials = _api_credentials()
    AxesProxyHandler.user_login_failed(sender=__name__, credentials=credentials, request=request)
    locked = getattr(request, "axes_locked_out", False)
    # AxesMiddleware would swap a locked-out request's response for the login page; the API
    # answers with its own refusal instead.
    request.axes_locked_out = False
    if locked:
        raise _paused(request, credentials)


def pause_in_words(seconds: int) -> str:
    """The wait in whole minutes, rounded up: "15 minutes", "1 minute"."""
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _paused(request, credentials: dict) -> SignInPaused:
    wait = max(1, signin_retry_after(request, credentials))
    return SignInPaused(retry_after=wait, failures=get_failure_limit(request, credentials))


def _api_credentials() -> dict:
    return {USERNAME: None}


def _ip_or_none(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
