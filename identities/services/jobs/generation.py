"""Generating one draft (the task body): claim, render, complete or fail, finalize the job.

django-q2 may run a draft's task twice, and a worker may be killed mid-render. A draft is
claimed by lease (`identities.leases`: a conditional UPDATE that bumps `attempts`) and finished
only by the run holding that attempt, so a duplicate changes nothing and its credits settle
once. Two drafts finishing together finalize their job by a conditional UPDATE of its status,
so exactly one of them emits the job's notification.

While the engine renders, a heartbeat renews the short lease, so a killed worker's draft is
free again within seconds and a live one is never taken from it. A failure after the render
(the database gone while the draft is completed) deletes the stored image unless the database
points to it, and hands the draft straight back to the queue instead of waiting for its lease.
"""

from __future__ import annotations

import logging
import os
import socket

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from accounts.services import credits_capture, credits_release
from identities.engines.base import EngineError, Reference, RenderRequest, RenderResult
from identities.engines.registry import get_engine
from identities.faces import get_face_analyzer
from identities.imaging import load_image
from identities.leases import (
    LeaseSpec,
    lease_claim,
    lease_exhausted,
    lease_fail,
    lease_finish,
    lease_heartbeat,
    task_lease,
)
from identities.models import Draft, Job, UploadedAsset
from identities.notifications.emit import notification_emit
from identities.provenance import SigningFailed
from identities.services.jobs.acceptance import draft_tasks_enqueue
from identities.services.output_guards import NO_LEAK, LeakCheck, draft_output_prepare

logger = logging.getLogger(__name__)

DRAFT_WORK = LeaseSpec(model=Draft, waiting=Draft.PENDING, working=Draft.RUNNING, max_attempts=3)


def draft_claim(*, draft_id: int) -> int | None:
    """Take a draft for this run; returns the attempt number, or None when another run has it,
    it is finished, or it has used its attempts."""
    now = timezone.now()
    return lease_claim(
        spec=DRAFT_WORK,
        pk=draft_id,
        duration=task_lease(),
        now=now,
        started_at=now,
        worker=f"{socket.gethostname()}:{os.getpid()}"[:80],
    )


def _render_request(draft: Draft, job: Job) -> RenderRequest:
    instruction = draft.instruction
    references = tuple(
        Reference(data=asset.file.read(), mime_type=asset.content_type or "image/jpeg")
        for asset in UploadedAsset.objects.filter(file_id__in=instruction.input_assets)
    )
    return RenderRequest(
        prompt=instruction.prompt,
        brief=instruction.brief,
        expert=instruction.expert,
        size=instruction.size,
        ar=instruction.ar,
        format=instruction.format,
        seed=draft.seed,
        variation=draft.variation,
        references=references,
        watermark=job.add_ai_watermark,
    )


def draft_generate(*, draft_id: int) -> None:
    """Render one draft (the task body). Safe to run twice; safe to die half-way."""
    attempt = draft_claim(draft_id=draft_id)
    if attempt is None:
        return
    draft = Draft.objects.select_related("job", "instruction").get(pk=draft_id)
    job = draft.job
    Job.objects.filter(pk=job.pk, status=Job.PENDING).update(status=Job.PROCESSING)
    result, leak, kind, message = None, NO_LEAK, "", ""
    try:
        with lease_heartbeat(spec=DRAFT_WORK, pk=draft.pk, attempt=attempt):
            result = get_engine(draft.engine).render(_render_request(draft, job))
            # Signed before it is stored; an image that cannot be signed is never kept.
            result, leak = draft_output_prepare(draft=draft, result=result)
    except EngineError as error:
        kind, message = error.kind, error.message
    except SigningFailed as failed:
        result, kind = None, "signing"
        message = f"Content credentials could not be signed: {failed.reason}"
    except Exception as error:  # an engine bug must not leave the draft running
        logger.exception("draft %s: engine %s crashed", draft.pk, draft.engine)
        result, kind, message = None, "internal", f"Engine error: {error}"
    try:
        if result is not None:
            draft_complete(draft=draft, attempt=attempt, result=result, leak=leak)
        else:
            draft_fail(draft=draft, attempt=attempt, kind=kind, message=message)
    except Exception:
        # Outside the engine: the database went away, a ledger write failed. The draft is
        # still held by this attempt; hand it back now rather than after its lease.
        logger.exception("draft %s: settling attempt %s failed; retrying", draft.pk, attempt)
        draft_retry_now(draft=draft, attempt=attempt)
        return
    job_finalize_if_done(job_id=job.pk)


def draft_retry_now(*, draft: Draft, attempt: int) -> bool:
    """Give back a draft this run holds but could not settle: queue its next attempt now, or
    fail and refund it when it has none left. Should the database still be away, this raises
    and the lease running out brings the draft back instead."""
    draft.attempts = attempt
    if lease_exhausted(draft, DRAFT_WORK):
        message = f"Finishing the draft failed {attempt} times; giving up."
        failed = draft_fail(draft=draft, attempt=attempt, kind="internal", message=message)
        if failed:
            job_finalize_if_done(job_id=draft.job_id)
        return False
    released = lease_finish(spec=DRAFT_WORK, pk=draft.pk, attempt=attempt, status=Draft.PENDING)
    if released:
        draft_tasks_enqueue([(draft.pk, f"draft-{draft.pk}-retry-{attempt}", draft.job.public_id)])
    return released


def image_face_count(data: bytes) -> int:
    """How many faces the detector finds in an encoded image."""
    return len(get_face_analyzer().detect(load_image(data)))


def _faces_or_none(draft: Draft, result: RenderResult) -> int | None:
    # Counted here, where the bytes are in memory, so promoting the draft later needs no
    # detector on the web request. A detector failure must not fail a render that worked:
    # the count stays unknown and promotion counts it once itself.
    try:
        return image_face_count(result.image)
    except Exception:
        logger.exception("draft %s: face detection failed", draft.pk)
        return None


def draft_complete(
    *, draft: Draft, attempt: int, result: RenderResult, leak: LeakCheck | None = None
) -> bool:
    faces = _faces_or_none(draft, result)
    name = default_storage.save(
        f"drafts/{draft.job.public_id}/{draft.pk}-{attempt}.{result.format}",
        ContentFile(result.image),
    )
    try:
        changed = _draft_completed(draft, attempt, result, name, faces, leak or NO_LEAK)
    except Exception:
        if not _points_to(draft, name):
            default_storage.delete(name)
        raise
    if not changed:
        # A newer attempt owns the draft (this run outlived its lease): keep storage clean.
        default_storage.delete(name)
    return changed


def _points_to(draft: Draft, name: str) -> bool:
    """Whether the database holds `name` as the draft's image, after a failed completion.

    A connection lost during COMMIT leaves the outcome unknown to this process: ask again
    on a fresh connection. If even that fails, keep the file: a completed, paid draft without
    its image would be worse than a stray file.
    """
    try:
        if not connection.in_atomic_block:
            connection.close()
        return Draft.objects.filter(pk=draft.pk, image=name).exists()
    except Exception:
        logger.exception("draft %s: cannot tell whether %s was recorded", draft.pk, name)
        return True


def _draft_completed(
    draft: Draft, attempt: int, result: RenderResult, name: str, faces: int | None, leak: LeakCheck
) -> bool:
    with transaction.atomic():
        changed = lease_finish(
            spec=DRAFT_WORK,
            pk=draft.pk,
            attempt=attempt,
            status=Draft.COMPLETED,
            image=name,
            width=result.width,
            height=result.height,
            engine=result.engine,
            face_count=faces,
            render_details=dict(result.details),
            reference_similarity=leak.similarity,
            reference_leak=leak.leaked,
            finished_at=timezone.now(),
            error_kind="",
            error_message="",
        )
        if changed:
            if leak.leaked:
                credits_release(reservation=draft.reservation)  # a copied face is not charged
            else:
                credits_capture(reservation=draft.reservation)
            _emit_progress(draft, Draft.COMPLETED)
    return changed


def draft_fail(*, draft: Draft, attempt: int | None, kind: str, message: str) -> bool:
    """Mark a draft failed and give its credits back (once). attempt=None: whatever holds it."""
    with transaction.atomic():
        changed = lease_fail(
            spec=DRAFT_WORK,
            pk=draft.pk,
            attempt=attempt,
            status=Draft.FAILED,
            error_kind=kind[:32],
            error_message=message[:2000],
            finished_at=timezone.now(),
        )
        if changed:
            credits_release(reservation=draft.reservation)
            _emit_progress(draft, Draft.FAILED, error_message=message)
    return changed


def _emit_progress(draft: Draft, status: str, **extra) -> None:
    job = draft.job
    data = {
        "id_task": job.public_id,
        "job_id": job.public_id,
        "image_result_id": draft.pk,
        "image_index": draft.image_index,
        "status": status,
        **extra,
    }
    notification_emit(account=job.account, name="progress", data=data)


def job_finalize_if_done(*, job_id: int) -> bool:
    """Complete (or fail, when every draft failed) a job whose drafts are all final."""
    counts = dict(
        Draft.objects.filter(job_id=job_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    if counts.get(Draft.PENDING) or counts.get(Draft.RUNNING):
        return False
    completed, failed = counts.get(Draft.COMPLETED, 0), counts.get(Draft.FAILED, 0)
    status = Job.COMPLETED if completed else Job.FAILED
    message = ""
    if failed:
        message = f"{failed} of {completed + failed} drafts failed."
    with transaction.atomic():
        changed = Job.objects.filter(pk=job_id, status__in=[Job.PENDING, Job.PROCESSING]).update(
            status=status, error_message=message, finished_at=timezone.now()
        )
        if changed:
            job = Job.objects.select_related("account").get(pk=job_id)
            data = {"id_task": job.public_id, "job_id": job.public_id, "status": status}
            if message:
                data["error_message"] = message
            name = "completed" if status == Job.COMPLETED else "error"
            notification_emit(account=job.account, name=name, data=data)
    return bool(changed)
