"""config.prepared: a queryset compiled once per connection answers what the queryset answers,
for every call's own values, and nothing is remembered between calls but the SQL."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Account, ApiToken
from accounts.services import api_token_authenticate, api_token_create, api_token_revoke
from config.prepared import PreparedRead

_ACCOUNT = ApiToken._meta.get_field("account")
_CREATED = ApiToken._meta.get_field("created_at")


def _tokens(account, since):
    return (
        ApiToken.objects.select_related("account__plan")
        .filter(account=account, created_at__gte=since)
        .annotate(same_account=Count("account__api_tokens"))
        .order_by("name")
    )


TOKENS = PreparedRead(_tokens, account=_ACCOUNT, since=_CREATED)


def _fields(token: ApiToken) -> tuple:
    return (
        token.pk,
        token.name,
        token.digest,
        token.created_at,
        token.last_used_at,
        token.account.name,
        token.account.credit_balance,
        token.account.plan.code,
        token.same_account,
    )


def test_a_prepared_read_answers_as_its_queryset_for_each_calls_values(alice, charlie):
    for name in ("b", "a"):
        api_token_create(account=alice.membership.account, user=alice, name=name)
    api_token_create(account=charlie.membership.account, user=charlie, name="c")
    since = timezone.now() - timedelta(hours=1)
    for account in (alice.membership.account, charlie.membership.account):
        expected = [_fields(t) for t in _tokens(account.pk, since)]
        assert [_fields(t) for t in TOKENS.run(account=account.pk, since=since)] == expected
    assert [t.name for t in TOKENS.run(account=alice.membership.account.pk, since=since)] == [
        "a",
        "b",
    ]
    # A window after every token: nothing (the datetime reaches the SQL in its database form).
    later = timezone.now() + timedelta(minutes=1)
    assert TOKENS.run(account=alice.membership.account.pk, since=later) == []


def test_the_queryset_is_built_once_and_its_sql_run_with_new_values(alice, charlie):
    builds = []

    def build(account):
        builds.append(account)
        return Account.objects.filter(pk=account)

    accounts = PreparedRead(build, account=Account._meta.get_field("id"))
    wanted = [persona.membership.account for persona in (alice, charlie, alice)]
    with CaptureQueriesContext(connection) as context:
        found = [accounts.first(account=account.pk) for account in wanted]
    assert [(a.pk, a.name) for a in found] == [(a.pk, a.name) for a in wanted]
    assert len(builds) == 1
    assert len(context.captured_queries) == 3
    assert len({query["sql"].split("WHERE")[0] for query in context.captured_queries}) == 1


def test_a_read_refuses_none_and_unnamed_values(alice):
    with pytest.raises(ValueError):
        TOKENS.run(account=None, since=timezone.now())
    with pytest.raises(TypeError):
        TOKENS.run(account=1)


def test_a_value_that_does_not_reach_the_sql_is_refused(alice):
    ignored = PreparedRead(lambda account: Account.objects.all(), account=_ACCOUNT)
    with pytest.raises(TypeError, match="do not reach the SQL"):
        ignored.run(account=1)


def test_a_revoked_token_stops_working_on_the_next_request(alice, rf):
    token, secret = api_token_create(account=alice.membership.account, user=alice, name="ci")
    request = rf.get("/api/v2/me", REMOTE_ADDR="203.0.113.9")
    assert api_token_authenticate(raw=secret, request=request).pk == token.pk
    api_token_revoke(token=token, user=alice)
    request = rf.get("/api/v2/me", REMOTE_ADDR="203.0.113.9")
    assert api_token_authenticate(raw=secret, request=request) is None
    assert api_token_authenticate(raw=secret) is None
