"""Work that must survive a dying worker: claim, renew, finish, fail and reap by lease.

django-q2 can run a task twice, or lose it when a worker dies, so rows that stand for work
(drafts, preprocessing jobs, webhook deliveries) keep their own status, attempt counter and
lease. Every state change here is one conditional UPDATE, so two runs of one task, or a reaper
racing a live worker, can never both win:

- a claim bumps `attempts` and sets a lease only where the row is waiting, or working with a
  lease that ran out; the caller gets the attempt number it now holds;
- renew, finish and fail are guarded by that attempt number, so a run that outlived its lease
  (and lost the row to a newer attempt) changes nothing;
- the reaper only reads which leases ran out (and which waiting rows no task ever picked
  up); it hands those rows back to a claim, or fails the ones out of attempts.

Imports nothing from the project: each domain describes its rows with a `LeaseSpec`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LeaseSpec:
    """Which rows are work, and the names of their state columns.

    `waiting` and `working` may be the same status (a webhook delivery stays pending between
    attempts; its lease column is also its "next attempt due" time).
    """

    model: type[Model]
    waiting: str
    working: str
    max_attempts: int
    scope: Q = field(default_factory=Q)
    status_field: str = "status"
    attempts_field: str = "attempts"
    lease_field: str = "lease_until"
    created_field: str = "created_at"

    def rows(self) -> QuerySet:
        return self.model.objects.filter(self.scope)

    def _q(self, **lookups) -> Q:
        return Q(**{self._name(key): value for key, value in lookups.items()})

    def _name(self, key: str) -> str:
        column, _, lookup = key.partition("__")
        real = {
            "status": self.status_field,
            "attempts": self.attempts_field,
            "lease": self.lease_field,
        }[column]
        return f"{real}__{lookup}" if lookup else real


# How long a claim holds its row without a heartbeat (settings.CASTLESS_TASK_LEASE_SECONDS,
# 20 s by default). Short, so a killed worker's row is free again within seconds; a live run
# renews it four times a lease while it works, so even a render of many minutes never loses
# its row to the reaper.
def task_lease() -> timedelta:
    """How long a claim by a django-q2 task holds its row before its next heartbeat."""
    return timedelta(seconds=settings.CASTLESS_TASK_LEASE_SECONDS)


def heartbeat_every() -> timedelta:
    return task_lease() / 4


def task_lost_after() -> timedelta:
    """A queued task is normally picked up within seconds; a row still waiting after this long
    (three quarters of a lease: 15 s by default) is presumed to have lost its task (a broker
    restart, a commit hook that never ran, a worker killed with tasks it had pulled ahead).
    Re-queueing one that was merely slow costs nothing: the duplicate finds the row claimed,
    or finished, and changes nothing."""
    return task_lease() * 0.75


def lease_claim(
    *, spec: LeaseSpec, pk: int, duration: timedelta, now: datetime | None = None, **fields
) -> int | None:
    """Take the row for this run; returns the attempt now held, or None when another run holds
    it, it is finished, it is not due yet, or it has used all its attempts."""
    now = now or timezone.now()
    due = spec._q(lease__isnull=True) | spec._q(lease__lte=now)
    claimable = (spec._q(status=spec.waiting) & due) | (
        spec._q(status=spec.working) & spec._q(lease__lt=now)
    )
    changed = (
        spec.rows()
        .filter(claimable, spec._q(attempts__lt=spec.max_attempts), pk=pk)
        .update(
            **{
                spec.status_field: spec.working,
                spec.attempts_field: F(spec.attempts_field) + 1,
                spec.lease_field: now + duration,
            },
            **fields,
        )
    )
    if not changed:
        return None
    return spec.rows().values_list(spec.attempts_field, flat=True).get(pk=pk)


def lease_renew(*, spec: LeaseSpec, pk: int, attempt: int, duration: timedelta) -> bool:
    """Push the lease of a row this run still holds further out (a heartbeat)."""
    held = spec.rows().filter(spec._q(status=spec.working, attempts=attempt), pk=pk)
    return bool(held.update(**{spec.lease_field: timezone.now() + duration}))


def lease_finish(*, spec: LeaseSpec, pk: int, attempt: int, status: str, **fields) -> bool:
    """Move a row this run holds to its next state (final, or waiting for a retry); the lease
    column gets what `fields` says, else it is cleared."""
    fields.setdefault(spec.lease_field, None)
    held = spec.rows().filter(spec._q(status=spec.working, attempts=attempt), pk=pk)
    return bool(held.update(**{spec.status_field: status}, **fields))


def lease_release(*, spec: LeaseSpec, pk: int, attempt: int, now: datetime | None = None) -> bool:
    """Hand an expired row back to waiting, keeping its attempt count, so the next claim can
    take it at once. Only while its lease is still out: a heartbeat that came in first keeps it."""
    now = now or timezone.now()
    held = spec.rows().filter(spec._q(status=spec.working, attempts=attempt, lease__lt=now), pk=pk)
    return bool(held.update(**{spec.status_field: spec.waiting, spec.lease_field: None}))


@contextmanager
def lease_heartbeat(
    *,
    spec: LeaseSpec,
    pk: int,
    attempt: int,
    duration: timedelta | None = None,
    every: timedelta | None = None,
) -> Iterator[None]:
    """Keep renewing the lease of a row this run holds while the block runs (a render, a send).

    The renewals run in a thread with its own database connection, closed when the block ends.
    Inside a transaction the claim itself is not committed yet, so nobody else can see the
    lease and a second connection would only wait on the row lock: no heartbeat then.
    """
    if connection.in_atomic_block:
        yield
        return
    duration = duration or task_lease()
    every = (every or heartbeat_every()).total_seconds()
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    if not lease_renew(spec=spec, pk=pk, attempt=attempt, duration=duration):
                        return  # the row is finished or lost to a newer attempt
                except Exception:
                    # A blip of the database: the next beat tries again; if none gets
                    # through, the lease runs out and the row is retried elsewhere.
                    logger.warning("lease heartbeat of %s %s failed", spec.model.__name__, pk)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def lease_fail(*, spec: LeaseSpec, pk: int, attempt: int | None, status: str, **fields) -> bool:
    """Mark unfinished work failed. attempt=None fails it whoever holds it (a reaper giving up,
    an operator); otherwise only the run holding `attempt` may."""
    guard = spec._q(status__in=[spec.waiting, spec.working])
    if attempt is not None:
        guard &= spec._q(attempts=attempt)
    fields.setdefault(spec.lease_field, None)
    return bool(spec.rows().filter(guard, pk=pk).update(**{spec.status_field: status}, **fields))


def lease_expired(*, spec: LeaseSpec, now: datetime | None = None) -> QuerySet:
    """Rows whose worker stopped renewing: working, with a lease in the past."""
    now = now or timezone.now()
    return spec.rows().filter(spec._q(status=spec.working, lease__lt=now))


def lease_lost(*, spec: LeaseSpec, before: datetime) -> QuerySet:
    """Rows still waiting that were created before `before`: their task was lost (a broker
    restart, a commit hook that never ran), so nothing will claim them unless re-queued.
    Only for kinds whose waiting status differs from working."""
    return spec.rows().filter(spec._q(status=spec.waiting), **{f"{spec.created_field}__lt": before})


def lease_exhausted(row: Model, spec: LeaseSpec) -> bool:
    return getattr(row, spec.attempts_field) >= spec.max_attempts
