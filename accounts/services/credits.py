"""The credit ledger.

`Account.credit_balance` (spendable) and `Account.credits_reserved` (held for work in progress)
change only here, through conditional UPDATEs that the database applies atomically; each change
writes its ledger entry in the same transaction. Races this prevents: two requests spending the
same last credits (the `credit_balance >= amount` condition, checked by the UPDATE itself), and a
draft settled twice by a duplicated task (the `state = held` condition on the reservation).
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Account, CreditEntry, CreditReservation
from config.refusals import InsufficientCredits


def _record(*, account_id: int, kind: str, amount: int, reason: str, reservation=None, by=None):
    # Our UPDATE holds the account row lock until commit, so these are our own balances.
    balance, reserved = Account.objects.filter(pk=account_id).values_list(
        "credit_balance", "credits_reserved"
    )[0]
    return CreditEntry.objects.create(
        account_id=account_id,
        kind=kind,
        amount=amount,
        reason=reason[:200],
        reservation=reservation,
        balance_after=balance,
        reserved_after=reserved,
        created_by=by,
    )


def _insufficient(account_id: int, required: int) -> InsufficientCredits:
    balance, reserved = Account.objects.filter(pk=account_id).values_list(
        "credit_balance", "credits_reserved"
    )[0]
    return InsufficientCredits(required=required, available=balance, reserved=reserved)


def _check_amount(amount: int) -> None:
    if amount <= 0:
        raise ValueError(f"credit amounts are positive, not {amount}")


@transaction.atomic
def credits_grant(*, account: Account, amount: int, reason: str, by=None) -> CreditEntry:
    _check_amount(amount)
    Account.objects.filter(pk=account.pk).update(credit_balance=F("credit_balance") + amount)
    return _record(
        account_id=account.pk, kind=CreditEntry.GRANT, amount=amount, reason=reason, by=by
    )


@transaction.atomic
def credits_charge(*, account: Account, amount: int, reason: str, by=None) -> CreditEntry:
    """Spend credits outright (e.g. a promotion). Raises InsufficientCredits."""
    _check_amount(amount)
    changed = Account.objects.filter(pk=account.pk, credit_balance__gte=amount).update(
        credit_balance=F("credit_balance") - amount
    )
    if not changed:
        raise _insufficient(account.pk, amount)
    return _record(
        account_id=account.pk, kind=CreditEntry.CHARGE, amount=amount, reason=reason, by=by
    )


@transaction.atomic
def credits_reserve(
    *, account: Account, amounts: list[int], reason: str, by=None
) -> list[CreditReservation]:
    """Hold credits for several pieces of work at once (one per draft), all or nothing."""
    for amount in amounts:
        _check_amount(amount)
    total = sum(amounts)
    changed = Account.objects.filter(pk=account.pk, credit_balance__gte=total).update(
        credit_balance=F("credit_balance") - total,
        credits_reserved=F("credits_reserved") + total,
    )
    if not changed:
        raise _insufficient(account.pk, total)
    reservations = CreditReservation.objects.bulk_create(
        [CreditReservation(account_id=account.pk, amount=a, reason=reason[:200]) for a in amounts]
    )
    _record(account_id=account.pk, kind=CreditEntry.RESERVE, amount=total, reason=reason, by=by)
    return reservations


def credits_capture(*, reservation: CreditReservation) -> bool:
    """Spend held credits: the work was delivered. False when already settled."""
    return _settle(reservation=reservation, state=CreditReservation.CAPTURED)


def credits_release(*, reservation: CreditReservation) -> bool:
    """Give held credits back: the work failed. False when already settled."""
    return _settle(reservation=reservation, state=CreditReservation.RELEASED)


@transaction.atomic
def _settle(*, reservation: CreditReservation, state: str) -> bool:
    changed = CreditReservation.objects.filter(
        pk=reservation.pk, state=CreditReservation.HELD
    ).update(state=state, settled_at=timezone.now())
    if not changed:
        return False
    amount = reservation.amount
    updates = {"credits_reserved": F("credits_reserved") - amount}
    if state == CreditReservation.RELEASED:
        updates["credit_balance"] = F("credit_balance") + amount
    Account.objects.filter(pk=reservation.account_id).update(**updates)
    kind = CreditEntry.CAPTURE if state == CreditReservation.CAPTURED else CreditEntry.RELEASE
    _record(
        account_id=reservation.account_id,
        kind=kind,
        amount=amount,
        reason=reservation.reason,
        reservation=reservation,
    )
    reservation.state = state
    return True
