"""Parallel creates of one account on PostgreSQL: never more jobs in progress than the plan's
cap, never more credits reserved than the balance (the reservation's UPDATE locks the account's
row; the jobs are counted after it), and a refusal for both tells the limit first."""

import pytest

from accounts.models import Account, CreditEntry, CreditReservation
from config.refusals import InsufficientCredits, TooManyJobs
from identities.models import Draft, Job
from identities.services.jobs import job_create
from tests import races
from tests.conftest import require_postgres
from tests.pipeline import creation_request


def race(account, user, count: int) -> list[str]:
    return races.race(
        lambda: job_create(
            account=account, user=user, request=creation_request(variations=2), enqueue=False
        ),
        count,
        {InsufficientCredits: "credits", TooManyJobs: "cap"},
        done="created",
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_creates_respect_the_plans_cap_on_jobs_in_progress(charlie):
    require_postgres()
    account = charlie.membership.account
    cap = account.plan.concurrent_jobs
    outcomes = race(account, charlie, cap + 4)
    assert outcomes.count("created") == cap and outcomes.count("cap") == 4
    assert Job.objects.filter(account=account).count() == cap
    assert Draft.objects.filter(job__account=account).count() == 2 * cap
    reserved = Account.objects.get(pk=account.pk).credits_reserved
    assert reserved == sum(
        Draft.objects.filter(job__account=account).values_list("credits", flat=True)
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_creates_never_overspend(charlie):
    require_postgres()
    account = charlie.membership.account
    price = job_quote_of_two()
    Account.objects.filter(pk=account.pk).update(credit_balance=2 * price + price // 2)
    outcomes = race(account, charlie, 4)
    assert outcomes.count("created") == 2 and outcomes.count("credits") == 2
    balance, reserved = Account.objects.values_list("credit_balance", "credits_reserved").get(
        pk=account.pk
    )
    assert (balance, reserved) == (price // 2, 2 * price)
    assert CreditReservation.objects.filter(account=account, state="held").count() == 4
    assert CreditEntry.objects.filter(account=account, kind=CreditEntry.RESERVE).count() == 2


def job_quote_of_two() -> int:
    from identities.services.jobs import job_quote

    return job_quote(request=creation_request(variations=2))


@pytest.mark.django_db
def test_a_create_short_of_credits_and_over_the_cap_is_told_the_cap(charlie):
    account = charlie.membership.account
    for _ in range(account.plan.concurrent_jobs):
        job_create(account=account, user=charlie, request=creation_request(variations=1))
    Account.objects.filter(pk=account.pk).update(credit_balance=0)
    with pytest.raises(TooManyJobs):
        job_create(account=account, user=charlie, request=creation_request(variations=1))
    assert Job.objects.filter(account=account).count() == account.plan.concurrent_jobs
