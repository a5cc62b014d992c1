"""Keeping a run's outputs and ending a run: every write guarded by the attempt that holds it.

An output is inserted only while its run is still held by the attempt that rendered it (checked
under the run's row lock, so a reaper handing the run to a newer attempt waits or wins); the run
is completed or failed by a conditional UPDATE, so its credits are captured or released once,
and a file written by an attempt that lost its run is deleted again.
"""

from __future__ import annotations

import base64

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.services import credits_capture, credits_release
from identities.engines.base import RenderResult
from identities.faces.similarity import SAME_PERSON
from identities.leases import LeaseSpec, lease_fail, lease_finish
from identities.models import ImageRun, RunOutput
from identities.provenance import mime_for_format
from identities.services.runs.acceptance import run_event_emit

RUN_WORK = LeaseSpec(
    model=ImageRun, waiting=ImageRun.IN_QUEUE, working=ImageRun.PROCESSING, max_attempts=3
)


def output_store(
    *,
    run: ImageRun,
    attempt: int,
    index: int,
    seed: int,
    image: bytes,
    result: RenderResult,
    similarity: float | None,
) -> bool:
    """Keep one signed output while this attempt still holds the run; False (and nothing kept)
    when a newer attempt owns it."""
    mime = mime_for_format(result.format)
    name, data_uri = "", ""
    if run.return_base64:
        data_uri = f"data:{mime};base64,{base64.b64encode(image).decode('ascii')}"
    else:
        extension = "png" if mime == "image/png" else "jpg"
        name = default_storage.save(
            f"runs/{run.public_id}/{index}-{attempt}.{extension}", ContentFile(image)
        )
    try:
        with transaction.atomic():
            held = (
                ImageRun.objects.select_for_update()
                .filter(pk=run.pk, status=ImageRun.PROCESSING, attempts=attempt)
                .exists()
            )
            if held:
                RunOutput.objects.create(
                    run=run,
                    index=index,
                    image=name,
                    data_uri=data_uri,
                    width=result.width,
                    height=result.height,
                    seed=seed,
                    engine=result.engine or run.engine,
                    face_similarity=similarity,
                    face_drift=similarity is not None and similarity < SAME_PERSON,
                    details=dict(result.details or {}),
                )
    except Exception:
        if name:
            default_storage.delete(name)
        raise
    if not held and name:
        default_storage.delete(name)
    return held


def run_complete(*, run: ImageRun, attempt: int) -> bool:
    """Completed (every output stored): capture the credits, emit the event. Once."""
    with transaction.atomic():
        changed = lease_finish(
            spec=RUN_WORK,
            pk=run.pk,
            attempt=attempt,
            status=ImageRun.COMPLETED,
            finished_at=timezone.now(),
            references={},
        )
        if changed:
            credits_capture(reservation=run.reservation)
            run.status = ImageRun.COMPLETED
            run_event_emit(run=run)
    return changed


def run_fail(
    *, run: ImageRun, attempt: int | None, name: str, message: str, status: str = ImageRun.FAILED
) -> bool:
    """End a run without its images (failed, canceled, timed out): refund it, drop what it
    stored, emit the event. Once; attempt=None ends it whoever holds it (the reaper)."""
    with transaction.atomic():
        changed = lease_fail(
            spec=RUN_WORK,
            pk=run.pk,
            attempt=attempt,
            status=status,
            error_name=name[:40],
            error_message=message[:2000],
            finished_at=timezone.now(),
            references={},
        )
        if not changed:
            return False
        credits_release(reservation=run.reservation)
        outputs = RunOutput.objects.filter(run_id=run.pk)
        files = [n for n in outputs.values_list("image", flat=True) if n]
        outputs.delete()
        run.status, run.error_name, run.error_message = status, name[:40], message[:2000]
        run_event_emit(run=run)
        transaction.on_commit(lambda: [default_storage.delete(n) for n in files])
    return True
