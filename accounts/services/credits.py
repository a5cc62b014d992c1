"""The credit ledger.

`Account.credit_balance` (spendable) and `Account.credits_reserved` (held for work in progress)
change only here, through conditional UPDATEs that the database applies atomically; each change
writes its ledger entry in the same transaction. Races this prevents: two requests spending the
same last credits (the `credit_balance >= amount` condition, checked by the UPDATE itself), and a
draft settled twice by a duplicated task (the `state = held` condition on the reservation).
"""

import functools

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Account, CreditEntry, CreditReservation
from config.prepared import PreparedInsert
from config.refusals import InsufficientCredits

_ENTRIES = PreparedInsert(CreditEntry)
_RESERVATIONS = PreparedInsert(CreditReservation)


@functools.cache
def _move_sql(vendor: str, *, conditional: bool) -> str:
    meta, quote = Account._meta, connection.ops.quote_name
    table, key = quote(meta.db_table), quote(meta.pk.column)
    balance = quote(meta.get_field("credit_balance").column)
    reserved = quote(meta.get_field("credits_reserved").column)
    condition = f" AND {balance} >= %s" if conditional else ""
    return (
        f"UPDATE {table} SET {balance} = {balance} + %s, {reserved} = {reserved} + %s"
        f" WHERE {key} = %s{condition} RETURNING {balance}, {reserved}"
    )


def _move(account_id: int, *, balance: int = 0, reserved: int = 0, needs: int | None = None):
    """Add to the account's spendable and reserved credits in one UPDATE, applied only while
    `credit_balance >= needs` when that is given: their new values, or None when it was not.

    One statement that changes and reads (RETURNING), so the ledger entry records this
    change's balances without a second query; the row stays locked until commit.
    """
    params = [balance, reserved, account_id]
    if needs is not None:
        params.append(needs)
    with connection.cursor() as cursor:
        cursor.execute(_move_sql(connection.vendor, conditional=needs is not None), params)
        return cursor.fetchone()


def _change(
    account_id: int,
    *,
    kind: str,
    amount: int,
    reason: str,
    balance: int = 0,
    reserved: int = 0,
    needs: int | None = None,
    reservation=None,
    by=None,
) -> CreditEntry | None:
    """Move the account's credits (`_move`) and write the ledger entry with the balances the
    move returned; None, having changed nothing, when `needs` was more than the balance."""
    entry = CreditEntry(
        account_id=account_id,
        kind=kind,
        amount=amount,
        reason=reason[:200],
        reservation=reservation,
        created_by=by,
    )
    if connection.vendor == "postgresql":
        found = _moved_and_written(entry, balance=balance, reserved=reserved, needs=needs)
        return entry if found is not None else None
    balances = _move(account_id, balance=balance, reserved=reserved, needs=needs)
    if balances is None:
        return None
    entry.balance_after, entry.reserved_after = balances
    _ENTRIES.insert([entry])
    return entry


def _moved_and_written(
    entry: CreditEntry,
    *,
    balance: int,
    reserved: int,
    needs: int | None,
    held: list[int] | None = None,
) -> list[int] | None:
    """PostgreSQL: `_move` and the entry's INSERT in one statement (a data-modifying WITH),
    and with `held`, the reservations of those amounts too; a round trip or two fewer for
    every change. Fills in the entry; the reservations' keys in the order of `held` (an
    empty list without it), or None, having changed nothing, when `needs` was more than the
    balance."""
    entry.created_at = timezone.now()
    params = [balance, reserved, entry.account_id]
    if needs is not None:
        params.append(needs)
    params += [
        entry.account_id,
        entry.kind,
        entry.amount,
        entry.reason,
        entry.reservation_id,
        entry.created_by_id,
        entry.created_at,
    ]
    if held is not None:
        params += [entry.account_id, entry.reason, entry.created_at, held]
    sql = _change_sql(conditional=needs is not None, holds=held is not None)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    entry.pk, entry.balance_after, entry.reserved_after, keys = row
    entry._state.adding, entry._state.db = False, connection.alias
    return keys or []


@functools.cache
def _change_sql(*, conditional: bool, holds: bool) -> str:
    quote = connection.ops.quote_name
    entries, reservations = CreditEntry._meta, CreditReservation._meta
    balance = quote(Account._meta.get_field("credit_balance").column)
    reserved = quote(Account._meta.get_field("credits_reserved").column)
    # Typed, as the statement's own SELECT lists give their values no column to take a type
    # from.
    write = (
        f"INSERT INTO {quote(entries.db_table)} (account_id, kind, amount, reason,"
        " reservation_id, balance_after, reserved_after, created_by_id, created_at)"
        " SELECT %s::bigint, %s::varchar, %s::integer, %s::varchar, %s::bigint,"
        f" {balance}, {reserved}, %s::bigint, %s::timestamptz FROM moved"
        " RETURNING id, balance_after, reserved_after"
    )
    sql = f"WITH moved AS ({_move_sql('postgresql', conditional=conditional)}), entry AS ({write})"
    if not holds:
        return sql + " SELECT id, balance_after, reserved_after, NULL FROM entry"
    hold = (
        f"INSERT INTO {quote(reservations.db_table)} (account_id, amount, state, reason,"
        " created_at, settled_at)"
        f" SELECT %s::bigint, held.amount, '{CreditReservation.HELD}', %s::varchar,"
        " %s::timestamptz, NULL"
        " FROM entry, unnest(%s::integer[]) WITH ORDINALITY AS held(amount, position)"
        " ORDER BY held.position RETURNING id"
    )
    # One session's keys come from the sequence in the order its rows are inserted.
    return (
        sql + f", hold AS ({hold}) SELECT id, balance_after, reserved_after,"
        " (SELECT array_agg(id ORDER BY id) FROM hold) FROM entry"
    )


def _insufficient(account_id: int, required: int) -> InsufficientCredits:
    balance, reserved = Account.objects.filter(pk=account_id).values_list(
        "credit_balance", "credits_reserved"
    )[0]
    return InsufficientCredits(required=required, available=balance, reserved=reserved)


def _check_amount(amount: int) -> None:
    if amount <= 0:
        raise ValueError(f"credit amounts are positive, not {amount}")


# Each change is one transaction, or part of the caller's without a savepoint of its own (a
# create's two fewer statements): nothing here fails half-way but on a database error, which
# ends the caller's transaction anyway. A refusal is raised after the block, having changed
# nothing, so a caller may catch it and go on in its transaction.
_ledger_transaction = transaction.atomic(savepoint=False)


def credits_grant(*, account: Account, amount: int, reason: str, by=None) -> CreditEntry:
    _check_amount(amount)
    with _ledger_transaction:
        return _change(
            account.pk, kind=CreditEntry.GRANT, amount=amount, reason=reason, balance=amount, by=by
        )


def credits_charge(*, account: Account, amount: int, reason: str, by=None) -> CreditEntry:
    """Spend credits outright (e.g. a promotion). Raises InsufficientCredits."""
    _check_amount(amount)
    with _ledger_transaction:
        entry = _change(
            account.pk,
            kind=CreditEntry.CHARGE,
            amount=amount,
            reason=reason,
            balance=-amount,
            needs=amount,
            by=by,
        )
    if entry is None:
        raise _insufficient(account.pk, amount)
    return entry


def credits_reserve(
    *, account: Account, amounts: list[int], reason: str, by=None
) -> list[CreditReservation]:
    """Hold credits for several pieces of work at once (one per draft), all or nothing."""
    for amount in amounts:
        _check_amount(amount)
    total = sum(amounts)
    reason = reason[:200]
    with _ledger_transaction:
        if connection.vendor == "postgresql":
            reservations = _reserved_in_one_statement(account.pk, amounts, reason=reason, by=by)
            if reservations is not None:
                return reservations
        else:
            entry = _change(
                account.pk,
                kind=CreditEntry.RESERVE,
                amount=total,
                reason=reason,
                balance=-total,
                reserved=total,
                needs=total,
                by=by,
            )
            if entry is not None:
                return _RESERVATIONS.insert(
                    [
                        CreditReservation(account_id=account.pk, amount=a, reason=reason)
                        for a in amounts
                    ]
                )
    raise _insufficient(account.pk, total)


def _reserved_in_one_statement(
    account_id: int, amounts: list[int], *, reason: str, by
) -> list[CreditReservation] | None:
    """PostgreSQL: the move, its entry and the reservations in one statement; None when the
    balance was short (nothing changed)."""
    total = sum(amounts)
    entry = CreditEntry(
        account_id=account_id, kind=CreditEntry.RESERVE, amount=total, reason=reason, created_by=by
    )
    keys = _moved_and_written(entry, balance=-total, reserved=total, needs=total, held=amounts)
    if keys is None:
        return None
    reservations = []
    for key, amount in zip(keys, amounts, strict=True):
        reservation = CreditReservation(
            pk=key, account_id=account_id, amount=amount, reason=reason, created_at=entry.created_at
        )
        reservation._state.adding, reservation._state.db = False, connection.alias
        reservations.append(reservation)
    return reservations


def credits_capture(*, reservation: CreditReservation) -> bool:
    """Spend held credits: the work was delivered. False when already settled."""
    return _settle(reservation=reservation, state=CreditReservation.CAPTURED)


def credits_release(*, reservation: CreditReservation) -> bool:
    """Give held credits back: the work failed. False when already settled."""
    return _settle(reservation=reservation, state=CreditReservation.RELEASED)


def _settle(*, reservation: CreditReservation, state: str) -> bool:
    with _ledger_transaction:
        changed = CreditReservation.objects.filter(
            pk=reservation.pk, state=CreditReservation.HELD
        ).update(state=state, settled_at=timezone.now())
        if not changed:
            return False
        amount = reservation.amount
        released = state == CreditReservation.RELEASED
        _change(
            reservation.account_id,
            kind=CreditEntry.RELEASE if released else CreditEntry.CAPTURE,
            amount=amount,
            reason=reservation.reason,
            balance=amount if released else 0,
            reserved=-amount,
            reservation=reservation,
        )
        reservation.state = state
        return True
