"""Recovering from dead workers and lost tasks (run periodically by a django-q2 schedule).

Every state change goes through the guarded UPDATEs of `generation` and `identities.leases`,
so a reaper racing a live worker, or another reaper, changes nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from identities.leases import TASK_LOST_AFTER, lease_exhausted, lease_expired, lease_lost
from identities.models import Job
from identities.services.jobs.acceptance import draft_tasks_enqueue
from identities.services.jobs.generation import DRAFT_WORK, draft_fail, job_finalize_if_done


def drafts_reap(*, now=None, stale_pending_after: timedelta = TASK_LOST_AFTER) -> dict:
    """Retry or fail drafts whose worker died, and re-enqueue drafts whose task was lost."""
    now = now or timezone.now()
    retries = []
    failed = 0
    for draft in lease_expired(spec=DRAFT_WORK, now=now).select_related("job", "reservation"):
        if lease_exhausted(draft, DRAFT_WORK):
            message = f"The worker stopped responding {draft.attempts} times; giving up."
            if draft_fail(draft=draft, attempt=draft.attempts, kind="abandoned", message=message):
                failed += 1
                job_finalize_if_done(job_id=draft.job_id)
            continue
        retries.append((draft.pk, f"draft-{draft.pk}-retry", draft.job.public_id))
    retried = draft_tasks_enqueue(retries)
    lost = lease_lost(spec=DRAFT_WORK, before=now - stale_pending_after)
    requeued = draft_tasks_enqueue(
        (draft_id, f"draft-{draft_id}-requeue", group)
        for draft_id, group in lost.values_list("pk", "job__public_id")
    )
    # Jobs whose last draft was finished by a run that died before finalizing.
    finalized = 0
    for job_id in Job.objects.filter(
        job_type=Job.CREATION, status__in=[Job.PENDING, Job.PROCESSING]
    ).values_list("pk", flat=True):
        finalized += job_finalize_if_done(job_id=job_id)
    return {"retried": retried, "failed": failed, "requeued": requeued, "finalized": finalized}
