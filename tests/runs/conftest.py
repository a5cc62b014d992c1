"""Fixtures for image runs: a promoted, preprocessed painter identity of Alice's, and a helper
that starts a run and lets its task run in-process (django-q2 sync mode), as a worker would."""

import pytest

from identities.models import ImageRun
from identities.services.promotion import identity_promote
from identities.services.runs import run_start
from tests.pipeline import run_job


@pytest.fixture
def account(alice):
    return alice.membership.account


@pytest.fixture
def identity(account, django_capture_on_commit_callbacks):
    job = run_job(account, capture=django_capture_on_commit_callbacks, variations=1)
    with django_capture_on_commit_callbacks(execute=True):
        identity, _ = identity_promote(draft=job.drafts.get(), user=None, name="Astrid")
    identity.refresh_from_db()
    assert identity.preprocessing_status == identity.COMPLETED
    return identity


@pytest.fixture
def start(account, django_capture_on_commit_callbacks):
    """start(prompt=..., **inputs) → the run after its task ran (refreshed)."""

    def _start(execute: bool = True, **inputs) -> ImageRun:
        with django_capture_on_commit_callbacks(execute=execute):
            run = run_start(account=account, user=None, inputs=inputs)
        run.refresh_from_db()
        return run

    return _start
