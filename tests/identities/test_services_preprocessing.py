"""Preprocessing jobs are claimed, finished, failed and reaped by lease, like drafts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import CreditEntry
from identities.models import Identity, Job
from identities.selectors import draft_get_for
from identities.services.preprocessing import (
    PREPROCESSING_WORK,
    identity_preprocess,
    preprocessing_reap,
)
from identities.services.promotion import identity_promote
from tests.pipeline import run_job


@pytest.fixture
def account(alice):
    return alice.membership.account


@pytest.fixture
def pending(account, django_capture_on_commit_callbacks) -> Job:
    """A promotion whose preprocessing task has not run."""
    job = run_job(account, capture=django_capture_on_commit_callbacks, variations=1)
    draft = draft_get_for(account=account, draft_id=job.drafts.get().pk)
    _, preprocessing = identity_promote(draft=draft, user=None, enqueue=False)
    return preprocessing


def _expire(job: Job, *, attempts: int) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=Job.PROCESSING,
        attempts=attempts,
        lease_until=timezone.now() - timedelta(seconds=1),
    )


def test_a_duplicate_run_changes_nothing(pending, account):
    identity_preprocess(job_id=pending.pk)
    pending.refresh_from_db()
    assert (pending.status, pending.attempts, pending.lease_until) == (Job.COMPLETED, 1, None)
    identity_preprocess(job_id=pending.pk)
    pending.refresh_from_db()
    assert pending.attempts == 1
    assert account.ledger.filter(kind=CreditEntry.CAPTURE, amount=50).count() == 1


def test_only_preprocessing_jobs_are_its_work(pending):
    assert set(PREPROCESSING_WORK.rows().values_list("job_type", flat=True)) == {Job.PREPROCESSING}


def test_an_abandoned_job_is_retried_by_the_reaper(pending):
    _expire(pending, attempts=1)
    assert preprocessing_reap() == {"retried": 1, "failed": 0}
    pending.refresh_from_db()
    assert (pending.status, pending.attempts) == (Job.COMPLETED, 2)
    assert pending.identity.preprocessing_status == Identity.COMPLETED


def test_a_job_that_keeps_killing_workers_fails_and_gives_the_credits_back(pending, account):
    _expire(pending, attempts=PREPROCESSING_WORK.max_attempts)
    assert preprocessing_reap() == {"retried": 0, "failed": 1}
    pending.refresh_from_db()
    assert (pending.status, pending.lease_until) == (Job.FAILED, None)
    assert pending.identity.preprocessing_status == Identity.FAILED
    account.refresh_from_db()
    assert account.credits_reserved == 0
    assert account.ledger.filter(kind=CreditEntry.RELEASE, amount=50).count() == 1


def test_a_lost_pending_job_is_requeued(pending):
    Job.objects.filter(pk=pending.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    assert preprocessing_reap() == {"retried": 1, "failed": 0}
    pending.refresh_from_db()
    assert pending.status == Job.COMPLETED


def test_a_failure_while_recording_deletes_the_files_and_queues_the_job_again(
    pending, account, monkeypatch
):
    from django.core.files.storage import default_storage
    from django.db import OperationalError

    from identities.services import preprocessing

    real, calls = preprocessing.credits_capture, []

    def drops_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(preprocessing, "credits_capture", drops_once)
    identity_preprocess(job_id=pending.pk)  # sync mode: the retry runs straight away
    pending.refresh_from_db()
    identity = pending.identity
    identity.refresh_from_db()
    assert (pending.status, pending.attempts) == (Job.COMPLETED, 2)
    assert identity.preprocessing_status == Identity.COMPLETED
    _, faces = default_storage.listdir("identities/faces")
    _, thumbs = default_storage.listdir("identities/thumbs")
    assert [f"identities/faces/{name}" for name in faces] == [identity.face_crop.name]
    assert [f"identities/thumbs/{name}" for name in thumbs] == [identity.thumbnail.name]
    assert account.ledger.filter(kind=CreditEntry.CAPTURE, amount=50).count() == 1
