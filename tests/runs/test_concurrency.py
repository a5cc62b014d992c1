"""Parallel runs of one account on PostgreSQL: never more credits reserved than the balance,
never more runs in progress than the plan's cap (the account row lock and the ledger's
conditional UPDATE)."""

import pytest

from accounts.models import Account, CreditEntry, CreditReservation
from config.refusals import InsufficientCredits, TooManyJobs
from identities.models import ImageRun
from identities.services.runs import run_start
from tests import races
from tests.conftest import require_postgres

INPUTS = {"prompt": "a model in a linen suit", "engine": "local", "num_images": 4}  # 4 credits


def race(account, count: int) -> list[str]:
    return races.race(
        lambda: run_start(account=account, user=None, inputs=INPUTS, enqueue=False),
        count,
        {InsufficientCredits: "credits", TooManyJobs: "cap"},
        done="started",
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_runs_never_overspend(alice):
    require_postgres()
    account = alice.membership.account
    Account.objects.filter(pk=account.pk).update(credit_balance=10)
    outcomes = race(account, 10)
    assert outcomes.count("started") == 2 and outcomes.count("credits") == 8
    balance, reserved = Account.objects.values_list("credit_balance", "credits_reserved").get(
        pk=account.pk
    )
    assert (balance, reserved) == (2, 8)
    assert ImageRun.objects.count() == 2
    assert CreditReservation.objects.filter(account=account, state="held").count() == 2
    assert CreditEntry.objects.filter(account=account, kind=CreditEntry.RESERVE).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_runs_respect_the_plans_cap_on_runs_in_progress(alice):
    require_postgres()
    account = alice.membership.account
    cap = account.plan.concurrent_jobs
    outcomes = race(account, cap + 4)
    assert outcomes.count("started") == cap and outcomes.count("cap") == 4
    assert ImageRun.objects.filter(status=ImageRun.IN_QUEUE).count() == cap
    assert Account.objects.get(pk=account.pk).credits_reserved == 4 * cap
