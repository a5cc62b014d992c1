"""Recovering from dead workers and lost tasks.

Run every few seconds by each worker cluster (`manage.py worker`), and every minute by a
django-q2 schedule for a cluster started as plain `qcluster`. Every state change goes through
the guarded UPDATEs of `generation` and `identities.leases`, so a reaper racing a live worker,
or another cluster's reaper, changes nothing twice.

- A row whose lease ran out (its worker was killed, its heartbeat stopped) is handed back to
  waiting and queued once; the next claim takes it.
- A row still waiting after `task_lost_after()` is re-queued only while the broker's queue is
  empty: then no task for it is waiting there, so its task is either held by a busy cluster or
  gone with a dead one (django-q2's Redis broker pops tasks a cluster pulls ahead; its ORM
  broker locks them for `retry` seconds). A duplicate is harmless, the claim turns it away,
  and clusters stop pulling once their own queues are full, so duplicates stay few.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_q.brokers import get_broker

from identities.leases import (
    lease_exhausted,
    lease_expired,
    lease_lost,
    lease_release,
    task_lost_after,
)
from identities.models import Job
from identities.services.jobs.acceptance import draft_tasks_enqueue
from identities.services.jobs.generation import DRAFT_WORK, draft_fail, job_finalize_if_done

logger = logging.getLogger(__name__)


def drafts_reap(
    *, now=None, stale_pending_after: timedelta | None = None, requeue_lost: bool = True
) -> dict:
    """Retry or fail drafts whose worker died; re-enqueue drafts whose task was lost (when
    `requeue_lost`)."""
    now = now or timezone.now()
    stale_pending_after = stale_pending_after or task_lost_after()
    retries = []
    failed = 0
    for draft in lease_expired(spec=DRAFT_WORK, now=now).select_related("job", "reservation"):
        if lease_exhausted(draft, DRAFT_WORK):
            message = f"The worker stopped responding {draft.attempts} times; giving up."
            if draft_fail(draft=draft, attempt=draft.attempts, kind="abandoned", message=message):
                failed += 1
                job_finalize_if_done(job_id=draft.job_id)
            continue
        if lease_release(spec=DRAFT_WORK, pk=draft.pk, attempt=draft.attempts, now=now):
            retries.append((draft.pk, f"draft-{draft.pk}-retry", draft.job.public_id))
    retried = draft_tasks_enqueue(retries)
    requeued = 0
    if requeue_lost:
        lost = lease_lost(spec=DRAFT_WORK, before=now - stale_pending_after).exclude(
            pk__in=[pk for pk, _, _ in retries]
        )
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


def broker_idle() -> bool:
    """Whether no task waits in the broker's queue (tasks pulled ahead by a cluster, or
    locked by one on the ORM broker, do not count)."""
    try:
        return get_broker().queue_size() == 0
    except Exception:
        logger.warning("cannot read the task queue's size; not re-queueing waiting work")
        return False


def abandoned_work_reap(*, now=None) -> dict:
    """One sweep over every kind of work: drafts, preprocessing jobs, image runs, webhook
    deliveries."""
    # Imported here: preprocessing and webhooks are not creation jobs, only swept with them.
    from identities.notifications.webhooks.deliveries import webhook_deliver_due
    from identities.services.idempotency import idempotency_keys_purge
    from identities.services.preprocessing import preprocessing_reap
    from identities.services.runs.reaping import runs_reap

    idle = broker_idle()
    return {
        "drafts": drafts_reap(now=now, requeue_lost=idle),
        "preprocessing": preprocessing_reap(now=now, requeue_lost=idle),
        # Image runs: dead workers, lost tasks, deadlines, and the privacy-mode purge.
        "runs": runs_reap(now=now, requeue_lost=idle),
        # A due delivery is either queued already (then the queue is busy) or its task is
        # lost, or its sender died and its lease ran out.
        "webhooks": webhook_deliver_due() if idle else 0,
        # Idempotency keys are kept a day; nothing else deletes those of a silent account.
        "idempotency_keys": idempotency_keys_purge(now=now),
    }
