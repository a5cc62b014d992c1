"""Runs whose worker died, whose task was lost, that ran too long, and base64 outputs that have
been kept long enough. Swept with the other work by `services.jobs.reaping.abandoned_work_reap`;
every change goes through the guarded UPDATEs of `settlement` and `identities.leases`, so a
reaper racing a live worker (or another reaper) changes nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from identities.leases import (
    lease_exhausted,
    lease_expired,
    lease_lost,
    lease_release,
    task_lost_after,
)
from identities.models import ImageRun, RunOutput
from identities.services.runs.acceptance import run_enqueue
from identities.services.runs.settlement import RUN_WORK, run_fail

# The reference keeps base64 outputs "only available for 60 minutes after completion".
BASE64_KEPT_FOR = timedelta(minutes=60)
# A run still unfinished this long after it was accepted is timed out and refunded (the
# reference's slowest configuration takes about two minutes).
RUN_DEADLINE = timedelta(minutes=30)


def runs_reap(*, now=None, requeue_lost: bool = True) -> dict:
    """Retry or fail runs whose lease ran out; re-queue runs whose task was lost (when
    `requeue_lost`); time out runs past their deadline; purge expired base64 outputs."""
    now = now or timezone.now()
    retried, failed = [], 0
    for run in lease_expired(spec=RUN_WORK, now=now).select_related("account", "reservation"):
        if lease_exhausted(run, RUN_WORK):
            message = f"The worker stopped responding {run.attempts} times; giving up."
            failed += run_fail(run=run, attempt=run.attempts, name="PipelineError", message=message)
        elif lease_release(spec=RUN_WORK, pk=run.pk, attempt=run.attempts, now=now):
            retried.append(run)
    for run in retried:
        run_enqueue(run=run, name=f"run-{run.pk}-retry-{run.attempts}")
    requeued = 0
    if requeue_lost:
        lost = lease_lost(spec=RUN_WORK, before=now - task_lost_after()).exclude(
            pk__in=[run.pk for run in retried]
        )
        for run in lost:
            run_enqueue(run=run, name=f"run-{run.pk}-requeue")
            requeued += 1
    return {
        "retried": len(retried),
        "failed": failed,
        "requeued": requeued,
        "timed_out": runs_time_out(now=now),
        "purged": runs_purge(now=now),
    }


def runs_time_out(*, now=None) -> int:
    now = now or timezone.now()
    late = ImageRun.objects.filter(
        status__in=ImageRun.ACTIVE, created_at__lt=now - RUN_DEADLINE
    ).select_related("account", "reservation")
    message = f"The run did not finish within {int(RUN_DEADLINE.total_seconds() // 60)} minutes."
    return sum(
        run_fail(
            run=run, attempt=None, name="TimeoutError", message=message, status=ImageRun.TIME_OUT
        )
        for run in late
    )


def runs_purge(*, now=None) -> int:
    """Delete the data-URIs of privacy-mode runs completed more than BASE64_KEPT_FOR ago; the
    run keeps its status and records when its images went (`purged_at`)."""
    now = now or timezone.now()
    due = list(
        ImageRun.objects.filter(
            return_base64=True,
            status=ImageRun.COMPLETED,
            purged_at__isnull=True,
            finished_at__lte=now - BASE64_KEPT_FOR,
        ).values_list("pk", flat=True)
    )
    if not due:
        return 0
    with transaction.atomic():
        RunOutput.objects.filter(run_id__in=due).update(data_uri="")
        ImageRun.objects.filter(pk__in=due, purged_at__isnull=True).update(purged_at=now)
    return len(due)
