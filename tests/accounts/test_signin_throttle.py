"""Failed sign-ins pause sign-in per e-mail and per client address (django-axes): on the login
page in plain words with status 429, and for API tokens with the API's 429 and Retry-After."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts import throttle
from accounts.services import api_token_authenticate
from tests.conftest import PASSWORD
from tests.html import select_one, text_of

LIMIT = 5
COOL_OFF = timedelta(minutes=15)
WRONG = "not-the-password-1"


@pytest.fixture(autouse=True)
def throttle_settings(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = COOL_OFF


def _client(address: str = "203.0.113.7") -> Client:
    return Client(REMOTE_ADDR=address)


def _log_in(client: Client, email: str, password: str = WRONG):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def _fail(client: Client, email: str, times: int) -> list[int]:
    return [_log_in(client, email).status_code for _ in range(times)]


def _age_attempts(by: timedelta) -> None:
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - by)


# --- the login page ---------------------------------------------------------------------------


def test_the_fifth_wrong_password_pauses_logging_in_and_says_so(alice):
    client = _client()
    assert _fail(client, "alice@brand.test", LIMIT - 1) == [422] * (LIMIT - 1)
    assert AccessAttempt.objects.get().failures_since_start == LIMIT - 1

    response = _log_in(client, "alice@brand.test")
    assert response.status_code == 429
    assert [t.name for t in response.templates][0] == "accounts/login.html"
    message = text_of(response, "[data-testid=signin-paused]")
    assert "Too many failed log-ins" in message
    assert "Try again in 15 minutes" in message
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    # Still the login form, with the e-mail kept.
    assert select_one(response, "form input[name=username]")["value"] == "alice@brand.test"
    assert AccessAttempt.objects.get().failures_since_start == LIMIT


def test_the_right_password_does_not_open_a_paused_account(alice):
    client = _client()
    _fail(client, "alice@brand.test", LIMIT)
    response = _log_in(client, "alice@brand.test", PASSWORD)
    assert response.status_code == 429
    assert client.get(reverse("accounts:settings")).status_code == 302


def test_an_email_is_paused_from_every_address(alice):
    for number in range(LIMIT):
        _fail(_client(f"198.51.100.{number + 1}"), "Alice@Brand.TEST", 1)
    # Every case of the e-mail counted as one.
    attempts = AccessAttempt.objects.all()
    assert {a.username for a in attempts} == {"alice@brand.test"}

    assert _log_in(_client("192.0.2.50"), "alice@brand.test", PASSWORD).status_code == 429
    # Another e-mail from that fresh address is not affected.
    assert _log_in(_client("192.0.2.50"), "charlie@other.test", WRONG).status_code == 422


def test_an_address_is_paused_for_every_email(alice, charlie):
    client = _client("203.0.113.9")
    for number in range(LIMIT):
        _log_in(client, f"guess{number}@nowhere.test")
    # Charlie's right password from that address waits too; from elsewhere it works.
    assert _log_in(client, "charlie@other.test", PASSWORD).status_code == 429
    assert _log_in(_client("203.0.113.10"), "charlie@other.test", PASSWORD).status_code == 302


def test_the_pause_reads_the_same_for_an_email_without_an_account(reference_data):
    response = None
    for _ in range(LIMIT):
        response = _log_in(_client(), "nobody@nowhere.test")
    assert response.status_code == 429
    assert "Too many failed log-ins" in text_of(response, "[data-testid=signin-paused]")


def test_the_pause_ends_after_the_cool_off_and_tries_during_it_do_not_extend_it(alice):
    client = _client()
    _fail(client, "alice@brand.test", LIMIT)
    _age_attempts(timedelta(minutes=10))

    response = _log_in(client, "alice@brand.test")
    assert response.status_code == 429
    assert 4 * 60 < int(response["Retry-After"]) <= 5 * 60
    assert "Try again in 5 minutes" in text_of(response, "[data-testid=signin-paused]")
    assert AccessAttempt.objects.get().failures_since_start == LIMIT

    _age_attempts(timedelta(minutes=5, seconds=1))
    assert _log_in(client, "alice@brand.test", PASSWORD).status_code == 302


def test_a_successful_log_in_does_not_wipe_the_address_count(alice, charlie):
    client = _client()
    _fail(client, "alice@brand.test", LIMIT - 1)
    assert _log_in(client, "charlie@other.test", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    # One more failure from the address, for any e-mail, reaches the limit.
    assert _log_in(client, "someone@else.test").status_code == 429


def test_a_too_long_email_is_refused_by_the_form_not_stored(reference_data):
    email = "a" * 250 + "@x.test"
    response = _log_in(_client(), email)
    assert response.status_code == 422
    assert not AccessAttempt.objects.exists()


# --- the client address -------------------------------------------------------------------------


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_the_address_is_remote_addr_unless_proxies_are_trusted(settings):
    settings.CASTLESS_TRUSTED_PROXY_COUNT = 0
    request = _request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert throttle.client_address(request) == "10.0.0.1"

    settings.CASTLESS_TRUSTED_PROXY_COUNT = 1
    # nginx appended the address it saw; whatever is left of it the client wrote.
    request = _request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert throttle.client_address(request) == "198.51.100.4"
    settings.CASTLESS_TRUSTED_PROXY_COUNT = 2
    assert throttle.client_address(request) == "6.6.6.6"
    # Too few hops, or junk: the connection's address.
    settings.CASTLESS_TRUSTED_PROXY_COUNT = 3
    assert throttle.client_address(request) == "10.0.0.1"
    settings.CASTLESS_TRUSTED_PROXY_COUNT = 1
    request = _request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="'; drop table")
    assert throttle.client_address(request) == "10.0.0.1"


# --- API tokens -------------------------------------------------------------------------------


def _api(address: str, token: str) -> Client:
    return Client(REMOTE_ADDR=address, headers={"Authorization": f"Bearer {token}"})


def test_guessing_tokens_pauses_the_address_with_429_and_retry_after(alice_token):
    guesser = _api("203.0.113.20", "cl_" + "x" * 43)
    statuses = [guesser.get("/api/v2/me").status_code for _ in range(LIMIT - 1)]
    assert statuses == [401] * (LIMIT - 1)

    paused = guesser.get("/api/v2/me")
    assert paused.status_code == 429
    assert paused["Content-Type"].startswith("application/json")
    wait = int(paused["Retry-After"])
    assert 14 * 60 < wait <= 15 * 60
    body = paused.json()
    assert body["retry_after"] == wait
    assert "sign-in is paused" in body["error"]
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == (None, "203.0.113.20")
    assert attempt.failures_since_start == LIMIT

    # A valid token from the paused address waits too (or the pause would tell right guesses
    # from wrong ones); from another address it works.
    assert _api("203.0.113.20", alice_token).get("/api/v2/me").status_code == 429
    assert _api("203.0.113.21", alice_token).get("/api/v2/me").status_code == 200
    # Refusals during the pause are not counted again.
    assert AccessAttempt.objects.get().failures_since_start == LIMIT


def test_requests_without_a_token_are_not_counted(reference_data):
    client = Client(REMOTE_ADDR="203.0.113.30")
    for _ in range(LIMIT + 1):
        assert client.get("/api/v2/me").status_code == 401
    assert not AccessAttempt.objects.exists()


def test_token_failures_count_against_the_address_not_an_email(alice):
    request = RequestFactory().get("/api/v2/me", REMOTE_ADDR="203.0.113.40")
    for _ in range(LIMIT - 1):
        assert api_token_authenticate(raw="cl_wrong", request=request) is None
        request = RequestFactory().get("/api/v2/me", REMOTE_ADDR="203.0.113.40")
    with pytest.raises(throttle.SignInPaused) as paused:
        api_token_authenticate(raw="cl_wrong", request=request)
    assert paused.value.retry_after > 14 * 60
    # Other addresses, and Alice's e-mail on the login page, are not paused.
    assert _log_in(_client("203.0.113.41"), "alice@brand.test", PASSWORD).status_code == 302


def test_without_a_request_a_token_lookup_is_not_throttled(alice_token):
    for _ in range(LIMIT + 1):
        assert api_token_authenticate(raw="cl_wrong") is None
    assert api_token_authenticate(raw=alice_token) is not None


# --- how long a pause lasts ---------------------------------------------------------------------


def test_the_pause_lasts_until_enough_rows_age_out(reference_data):
    rows = [("a@x.test", 3, 12), ("b@x.test", 1, 8), ("c@x.test", 1, 2)]
    for username, failures, minutes_ago in rows:
        _attempt("203.0.113.50", username, failures, minutes_ago, path="/accounts/login/")
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.50")
    # 5 failures in all: the address is paused until the oldest row (12 minutes ago, holding
    # the failures that make the limit) ages out, 3 minutes from now.
    wait = throttle.signin_retry_after(request, {"username": "d@x.test"})
    assert 2 * 60 < wait <= 3 * 60
    assert throttle.pause_in_words(wait) == "3 minutes"
    assert throttle.pause_in_words(1) == "1 minute"


def _attempt(
    address: str, username: str | None, failures: int, minutes_ago: int, path: str = "/api/v2/me"
) -> None:
    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address=address,
        user_agent="test",
        failures_since_start=failures,
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info=path,
    )
    # attempt_time is set on create; age it afterwards.
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=timezone.now() - timedelta(minutes=minutes_ago)
    )


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [("203.0.113.60", None, 2, 1)],
        # Log-in failures (with an e-mail) of the address count too; other addresses and rows
        # older than the cool-off do not.
        [("203.0.113.60", "a@x.test", 3, 2), ("203.0.113.61", None, 4, 1)],
        [("203.0.113.60", None, 4, 20), ("203.0.113.60", "b@x.test", 1, 14)],
        [("203.0.113.60", None, 3, 1), ("203.0.113.60", "a@x.test", 2, 3)],
    ],
)
def test_the_token_lookup_counts_an_addresses_failures_as_axes_does(alice_token, rows):
    from axes.handlers.proxy import AxesProxyHandler

    for row in rows:
        _attempt(*row)
    request = RequestFactory().get("/api/v2/me", REMOTE_ADDR="203.0.113.60")
    axes_count = AxesProxyHandler.get_failures(request, {"username": None})
    axes_allows = AxesProxyHandler.is_allowed(request, {"username": None})
    request = RequestFactory().get("/api/v2/me", REMOTE_ADDR="203.0.113.60")
    if axes_allows:
        token = api_token_authenticate(raw=alice_token, request=request)
        assert token.address_failures == axes_count
    else:
        with pytest.raises(throttle.SignInPaused):
            api_token_authenticate(raw=alice_token, request=request)


def test_a_whitelisted_address_at_the_limit_is_still_answered(alice_token, settings):
    settings.AXES_IP_WHITELIST = ["203.0.113.70"]
    settings.AXES_NEVER_LOCKOUT_WHITELIST = True
    _attempt("203.0.113.70", None, LIMIT, 1)
    request = RequestFactory().get("/api/v2/me", REMOTE_ADDR="203.0.113.70")
    assert api_token_authenticate(raw=alice_token, request=request) is not None


def test_a_blacklisted_address_is_refused_without_a_failure(alice_token, settings):
    settings.AXES_IP_BLACKLIST = ["203.0.113.71"]
    request = RequestFactory().get("/api/v2/me", REMOTE_ADDR="203.0.113.71")
    with pytest.raises(throttle.SignInPaused):
        api_token_authenticate(raw=alice_token, request=request)
