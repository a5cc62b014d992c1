"""The lease helper (`identities.leases`) on the rows it guards: drafts here, preprocessing jobs
in test_services_preprocessing. Every change is one conditional UPDATE, so the losers of a
race change nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from identities.leases import (
    TASK_LOST_AFTER,
    lease_claim,
    lease_exhausted,
    lease_expired,
    lease_fail,
    lease_finish,
    lease_lost,
    lease_renew,
    task_lease,
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
    assert list(lease_lost(spec=DRAFT_WORK, before=now - TASK_LOST_AFTER)) == []
    assert list(lease_lost(spec=DRAFT_WORK, before=now + TASK_LOST_AFTER)) == [draft]
    _claim(draft, now=now)
    assert list(lease_lost(spec=DRAFT_WORK, before=now + TASK_LOST_AFTER)) == []
    assert list(lease_expired(spec=DRAFT_WORK, now=now + MINUTE / 2)) == []
    assert list(lease_expired(spec=DRAFT_WORK, now=now + 2 * MINUTE)) == [draft]


def test_a_task_lease_outlasts_the_queue_timeout(settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": 300}
    assert task_lease() == timedelta(seconds=360)
