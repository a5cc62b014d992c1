import threading

import pytest
from django.db import connection

from accounts.models import Account, CreditEntry, CreditReservation
from accounts.services import (
    InsufficientCredits,
    credits_capture,
    credits_charge,
    credits_grant,
    credits_release,
    credits_reserve,
)
from tests.conftest import require_postgres


@pytest.fixture
def account(alice):
    return alice.membership.account


def _reload(account) -> Account:
    account.refresh_from_db()
    return account


def test_grant_adds_to_the_balance_and_writes_a_ledger_entry(account):
    before = account.credit_balance
    entry = credits_grant(account=account, amount=25, reason="Gift")
    assert _reload(account).credit_balance == before + 25
    assert entry.kind == CreditEntry.GRANT
    assert entry.balance_after == before + 25


def test_reserve_moves_credits_from_available_to_reserved(account):
    before = account.credit_balance
    reservations = credits_reserve(account=account, amounts=[2, 2, 2], reason="Job 1")
    account = _reload(account)
    assert [r.amount for r in reservations] == [2, 2, 2]
    assert account.credit_balance == before - 6
    assert account.credits_reserved == 6
    assert account.ledger.filter(kind=CreditEntry.RESERVE, amount=6).count() == 1


def test_reserve_returns_the_stored_rows_in_the_order_of_the_amounts(account, alice):
    # On PostgreSQL the move, its ledger entry and the reservations are one statement, whose
    # keys come back as an array: each returned reservation must be the stored row of its
    # amount, and the entry must carry the balances the move left.
    before = account.credit_balance
    reservations = credits_reserve(
        account=account, amounts=[3, 1, 4, 1, 5], reason="Job 2", by=alice
    )
    stored = {r.pk: r for r in CreditReservation.objects.filter(account=account)}
    assert [stored[r.pk].amount for r in reservations] == [3, 1, 4, 1, 5]
    assert all(stored[r.pk].state == CreditReservation.HELD for r in reservations)
    assert all(stored[r.pk].created_at == r.created_at for r in reservations)
    entry = account.ledger.get(kind=CreditEntry.RESERVE)
    assert (entry.amount, entry.reason, entry.created_by) == (14, "Job 2", alice)
    assert (entry.balance_after, entry.reserved_after) == (before - 14, 14)
    # A settlement finds the row it was handed.
    assert credits_capture(reservation=reservations[2])
    assert CreditReservation.objects.get(pk=reservations[2].pk).state == CreditReservation.CAPTURED
    assert _reload(account).credits_reserved == 10


def test_a_change_returns_its_stored_ledger_entry(account, alice):
    before = account.credit_balance
    entry = credits_charge(account=account, amount=7, reason="Promotion", by=alice)
    stored = CreditEntry.objects.get(pk=entry.pk)
    assert (stored.kind, stored.amount, stored.created_by) == (CreditEntry.CHARGE, 7, alice)
    assert stored.balance_after == entry.balance_after == before - 7
    assert stored.created_at == entry.created_at


def test_reserve_refuses_more_than_the_balance_and_changes_nothing(account):
    before = account.credit_balance
    with pytest.raises(InsufficientCredits) as caught:
        credits_reserve(account=account, amounts=[before, 1], reason="Too big")
    assert caught.value.required == before + 1
    assert caught.value.available == before
    assert caught.value.reserved == 0
    account = _reload(account)
    assert account.credit_balance == before
    assert not CreditReservation.objects.filter(account=account).exists()


def test_capture_spends_reserved_credits_exactly_once(account):
    before = account.credit_balance
    (reservation,) = credits_reserve(account=account, amounts=[4], reason="Draft")
    assert credits_capture(reservation=reservation) is True
    assert credits_capture(reservation=reservation) is False
    assert credits_release(reservation=reservation) is False
    account = _reload(account)
    assert account.credit_balance == before - 4
    assert account.credits_reserved == 0
    assert account.ledger.filter(kind=CreditEntry.CAPTURE).count() == 1


def test_release_returns_reserved_credits_exactly_once(account):
    before = account.credit_balance
    (reservation,) = credits_reserve(account=account, amounts=[4], reason="Draft")
    assert credits_release(reservation=reservation) is True
    assert credits_release(reservation=reservation) is False
    account = _reload(account)
    assert account.credit_balance == before
    assert account.credits_reserved == 0


def test_charge_refuses_when_the_balance_is_short(account):
    credits_charge(account=account, amount=account.credit_balance, reason="Spend all")
    with pytest.raises(InsufficientCredits):
        credits_charge(account=account, amount=1, reason="One more")
    assert _reload(account).credit_balance == 0


def test_amounts_must_be_positive(account):
    with pytest.raises(ValueError):
        credits_grant(account=account, amount=0, reason="Nothing")
    with pytest.raises(ValueError):
        credits_reserve(account=account, amounts=[3, -1], reason="Negative")


def test_the_database_refuses_a_negative_balance(account):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=account.pk).update(credit_balance=-1)


def test_ledger_reconstructs_the_balance(account):
    reservations = credits_reserve(account=account, amounts=[1, 2, 3], reason="Job")
    credits_capture(reservation=reservations[0])
    credits_release(reservation=reservations[1])
    credits_charge(account=account, amount=50, reason="Promotion")
    totals = {kind: 0 for kind, _ in CreditEntry.KIND_CHOICES}
    for entry in account.ledger.all():
        totals[entry.kind] += entry.amount
    account = _reload(account)
    available = totals["grant"] - totals["reserve"] + totals["release"] - totals["charge"]
    reserved = totals["reserve"] - totals["capture"] - totals["release"]
    assert account.credit_balance == available
    assert account.credits_reserved == reserved == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reservations_never_overspend(alice):
    """30 threads each try to reserve 7 credits from a balance of 100: exactly 14 succeed."""
    require_postgres()
    account = alice.membership.account
    Account.objects.filter(pk=account.pk).update(credit_balance=100)
    barrier = threading.Barrier(30)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt():
        try:
            barrier.wait()
            credits_reserve(account=account, amounts=[7], reason="race")
            result = "ok"
        except InsufficientCredits:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    account.refresh_from_db()
    assert outcomes.count("ok") == 14
    assert outcomes.count("refused") == 16
    assert account.credit_balance == 2
    assert account.credits_reserved == 98
    assert CreditReservation.objects.filter(account=account).count() == 14


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_captures_of_one_reservation_settle_it_once(alice):
    require_postgres()
    account = alice.membership.account
    (reservation,) = credits_reserve(account=account, amounts=[5], reason="draft")
    barrier = threading.Barrier(10)
    results: list[bool] = []

    def attempt(settle):
        try:
            barrier.wait()
            results.append(settle(reservation=CreditReservation.objects.get(pk=reservation.pk)))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(credits_capture if i % 2 else credits_release,))
        for i in range(10)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    account.refresh_from_db()
    assert results.count(True) == 1
    assert account.credits_reserved == 0
    assert account.ledger.filter(kind__in=["capture", "release"]).count() == 1
