"""The lease helper (`identities.leases`) on the rows it guards: drafts here, preprocessing jobs
in test_services_preprocessing. Every change is one conditional UPDATE, so the losers of a
race change nothing."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from identities.leases import (
    lease_claim,
    lease_exhausted,
    lease_expired,
    lease_fail,
    lease_finish,
    lease_heartbeat,
    lease_lost,
    lease_release,
    lease_renew,
    task_lease,
    task_lost_after,
)
from identities.models import Draft
from identities.services.jobs import DRAFT_WORK, job_create
from tests.pipeline import creation_request

MINUTE = timedelta(minutes=1)


@pytest.fixture
def draft(alice) -> Draft:
    job = job_create(
        account=alice.membership.account, user=alice, request=creation_request(variations=1)
    )
    return job.drafts.get()


def _claim(draft, **kwargs):
    return lease_claim(spec=DRAFT_WORK, pk=draft.pk, duration=MINUTE, **kwargs)


def _row(draft) -> Draft:
    draft.refresh_from_db()
    return draft


def test_a_claim_is_held_until_its_lease_runs_out(draft):
    now = timezone.now()
    assert _claim(draft, now=now) == 1
    row = _row(draft)
    assert (row.status, row.attempts, row.lease_until) == (Draft.RUNNING, 1, now + MINUTE)
    assert _claim(draft, now=now + MINUTE / 2) is None  # a duplicate task run
    assert _claim(draft, now=now + 2 * MINUTE) == 2  # the first run's worker died
    assert _row(draft).attempts == 2


def test_claims_stop_at_the_attempt_limit(draft):
    now = timezone.now()
    for attempt in range(1, DRAFT_WORK.max_attempts + 1):
        assert _claim(draft, now=now + 2 * attempt * MINUTE) == attempt
    assert lease_exhausted(_row(draft), DRAFT_WORK)
    assert _claim(draft, now=now + 60 * MINUTE) is None


def test_extra_fields_are_set_by_the_claim(draft):
    now = timezone.now()
    _claim(draft, now=now, started_at=now, worker="host:1")
    row = _row(draft)
    assert (row.started_at, row.worker) == (now, "host:1")


def test_only_the_holding_attempt_renews_or_finishes(draft):
    now = timezone.now()
    _claim(draft, now=now)
    _claim(draft, now=now + 2 * MINUTE)  # attempt 2 took over from a dead attempt 1
    assert not lease_renew(spec=DRAFT_WORK, pk=draft.pk, attempt=1, duration=MINUTE)
    assert lease_renew(spec=DRAFT_WORK, pk=draft.pk, attempt=2, duration=10 * MINUTE)
    assert _row(draft).lease_until > timezone.now() + 9 * MINUTE
    assert not lease_finish(
        spec=DRAFT_WORK, pk=draft.pk, attempt=1, status=Draft.COMPLETED, image="a.jpg"
    )
    assert lease_finish(
        spec=DRAFT_WORK, pk=draft.pk, attempt=2, status=Draft.COMPLETED, image="b.jpg"
    )
    row = _row(draft)
    assert (row.status, row.image.name, row.lease_until) == (Draft.COMPLETED, "b.jpg", None)
    # Finished work is claimed, renewed and failed by nobody.
    assert _claim(draft, now=now + 60 * MINUTE) is None
    assert not lease_fail(spec=DRAFT_WORK, pk=draft.pk, attempt=None, status=Draft.FAILED)


def test_fail_by_a_stale_attempt_changes_nothing_and_without_one_fails_any_holder(draft):
    _claim(draft)
    assert not lease_fail(spec=DRAFT_WORK, pk=draft.pk, attempt=7, status=Draft.FAILED)
    assert lease_fail(
        spec=DRAFT_WORK, pk=draft.pk, attempt=None, status=Draft.FAILED, error_kind="abandoned"
    )
    row = _row(draft)
    assert (row.status, row.error_kind, row.lease_until) == (Draft.FAILED, "abandoned", None)


def test_the_reaper_reads_expired_leases_and_lost_tasks(draft):
    now = timezone.now()
    assert list(lease_lost(spec=DRAFT_WORK, before=now - task_lost_after())) == []
    assert list(lease_lost(spec=DRAFT_WORK, before=now + task_lost_after())) == [draft]
    _claim(draft, now=now)
    assert list(lease_lost(spec=DRAFT_WORK, before=now + task_lost_after())) == []
    assert list(lease_expired(spec=DRAFT_WORK, now=now + MINUTE / 2)) == []
    assert list(lease_expired(spec=DRAFT_WORK, now=now + 2 * MINUTE)) == [draft]


def test_a_task_lease_is_short_and_renewed_faster_than_it_runs_out(settings):
    from identities.leases import heartbeat_every

    assert task_lease() == timedelta(seconds=20)
    assert task_lease() >= heartbeat_every() * 3
    assert task_lost_after() < task_lease()
    settings.CASTLESS_TASK_LEASE_SECONDS = 6
    assert (task_lease(), heartbeat_every()) == (timedelta(seconds=6), timedelta(seconds=1.5))


def test_an_expired_claim_is_released_to_waiting_keeping_its_attempts(draft):
    now = timezone.now()
    _claim(draft, now=now)
    assert not lease_release(spec=DRAFT_WORK, pk=draft.pk, attempt=1, now=now)  # still held
    assert not lease_release(spec=DRAFT_WORK, pk=draft.pk, attempt=2, now=now + 2 * MINUTE)
    assert lease_release(spec=DRAFT_WORK, pk=draft.pk, attempt=1, now=now + 2 * MINUTE)
    row = _row(draft)
    assert (row.status, row.attempts, row.lease_until) == (Draft.PENDING, 1, None)
    assert _claim(draft) == 2


def _heartbeats() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("heartbeat-")]


def _pending_draft(alice) -> Draft:
    # Outside a test transaction the sync-mode task runs at commit: put the draft back.
    job = job_create(
        account=alice.membership.account, user=alice, request=creation_request(variations=1)
    )
    draft = job.drafts.get()
    Draft.objects.filter(pk=draft.pk).update(status=Draft.PENDING, attempts=0, lease_until=None)
    return draft


BEAT = {"duration": timedelta(seconds=2), "every": timedelta(seconds=0.05)}


@pytest.mark.django_db(transaction=True)
def test_a_heartbeat_pushes_the_lease_forward_while_the_work_runs_and_stops_after(alice):
    draft = _pending_draft(alice)
    attempt = lease_claim(spec=DRAFT_WORK, pk=draft.pk, duration=timedelta(seconds=2))
    claimed = _row(draft).lease_until
    with lease_heartbeat(spec=DRAFT_WORK, pk=draft.pk, attempt=attempt, **BEAT):
        time.sleep(0.4)
        renewed = _row(draft).lease_until
        assert renewed > claimed
        assert len(_heartbeats()) == 1
    assert _heartbeats() == []
    stopped = _row(draft).lease_until
    time.sleep(0.2)
    assert _row(draft).lease_until == stopped


@pytest.mark.django_db(transaction=True)
def test_a_heartbeat_stops_once_a_newer_attempt_holds_the_row(alice):
    draft = _pending_draft(alice)
    attempt = lease_claim(spec=DRAFT_WORK, pk=draft.pk, duration=timedelta(seconds=2))
    with lease_heartbeat(spec=DRAFT_WORK, pk=draft.pk, attempt=attempt, **BEAT):
        Draft.objects.filter(pk=draft.pk).update(attempts=attempt + 1)  # lost to a reaper
        time.sleep(0.3)
        assert _heartbeats() == []


def test_no_heartbeat_inside_a_transaction_nobody_else_can_see(draft):
    attempt = _claim(draft)
    with transaction.atomic(), lease_heartbeat(spec=DRAFT_WORK, pk=draft.pk, attempt=attempt):
        assert _heartbeats() == []
