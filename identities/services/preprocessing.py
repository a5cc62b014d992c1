"""Identity preprocessing: face crop and alignment, embedding, thumbnail.

A job runs pending → processing → completed / failed. The promotion's reserved credits are
captured on success and released on failure (a failed preprocessing costs the user nothing; the
seed lets them promote the draft again). Claimed by lease like drafts (`identities.leases`),
so a task run twice changes nothing and a dying worker's job is picked up by the reaper: a
heartbeat renews the short lease while the portrait is analysed. A failure while recording the
outputs deletes the stored files unless the database points to them, and queues the job again
at once.
"""

from __future__ import annotations

import io
import logging

import numpy as np
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task
from PIL import Image

from accounts.services import credits_capture, credits_release
from identities.faces import get_face_analyzer
from identities.imaging import ImageError, load_image
from identities.leases import (
    LeaseSpec,
    lease_claim,
    lease_exhausted,
    lease_expired,
    lease_fail,
    lease_finish,
    lease_heartbeat,
    lease_lost,
    lease_release,
    task_lease,
    task_lost_after,
)
from identities.models import Identity, Job
from identities.notifications.emit import notification_emit
from identities.provenance import SigningFailed
from identities.services.output_guards import identity_image_sign

logger = logging.getLogger(__name__)

THUMBNAIL_SIZE = (384, 512)
FACE_CROP_SIZE = 256
PREPROCESS_TASK = "identities.tasks.identity_preprocess"
PREPROCESSING_WORK = LeaseSpec(
    model=Job,
    waiting=Job.PENDING,
    working=Job.PROCESSING,
    max_attempts=3,
    scope=Q(job_type=Job.PREPROCESSING),
)


class PreprocessingFailed(Exception):
    pass


def _claim(job_id: int) -> int | None:
    return lease_claim(spec=PREPROCESSING_WORK, pk=job_id, duration=task_lease())


def _encode_jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88, optimize=True)
    return buffer.getvalue()


def _signed(identity: Identity, data: bytes, portrait: bytes) -> bytes:
    try:
        return identity_image_sign(identity=identity, data=data, portrait=portrait)
    except SigningFailed as failed:
        raise PreprocessingFailed(
            f"Content credentials could not be signed: {failed.reason}"
        ) from None


def _analyse(identity: Identity) -> dict:
    with default_storage.open(identity.portrait.name, "rb") as handle:
        portrait = handle.read()
        try:
            image = load_image(portrait)
        except ImageError as error:
            raise PreprocessingFailed(f"The portrait cannot be read: {error}") from None
    analyzer = get_face_analyzer()
    faces = analyzer.detect(image)
    if len(faces) != 1:
        raise PreprocessingFailed(f"Expected exactly one face in the portrait, found {len(faces)}.")
    face = faces[0]
    aligned = analyzer.align(image, face, size=FACE_CROP_SIZE)  # BGR, insightface's alignment
    embedding = analyzer.embed(image, face)
    thumbnail = image.copy()
    thumbnail.thumbnail(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    face_crop = _encode_jpeg(Image.fromarray(np.ascontiguousarray(aligned[:, :, ::-1])))
    return {
        "face_crop": _signed(identity, face_crop, portrait),
        "thumbnail": _signed(identity, _encode_jpeg(thumbnail), portrait),
        "embedding": None if embedding is None else embedding.astype("<f4").tobytes(),
        "embedding_model": analyzer.name if embedding is not None else "",
    }


def identity_preprocess(*, job_id: int) -> None:
    """The task body. Safe to run twice."""
    attempt = _claim(job_id)
    if attempt is None:
        return
    job = Job.objects.select_related("identity", "account", "reservation").get(pk=job_id)
    identity = job.identity
    Identity.objects.filter(pk=identity.pk).update(preprocessing_status=Identity.PROCESSING)
    _notify(job, Identity.PROCESSING)
    outputs, message = None, ""
    try:
        with lease_heartbeat(spec=PREPROCESSING_WORK, pk=job.pk, attempt=attempt):
            outputs = _analyse(identity)
    except PreprocessingFailed as error:
        message = str(error)
    except Exception as error:
        logger.exception("preprocessing %s crashed", job.public_id)
        message = f"Preprocessing error: {error}"
    try:
        if outputs is not None:
            _complete(job, attempt, outputs)
        else:
            preprocessing_fail(job=job, attempt=attempt, message=message)
    except Exception:
        logger.exception("preprocessing %s: settling attempt %s failed", job.public_id, attempt)
        _retry_now(job, attempt)


def _retry_now(job: Job, attempt: int) -> None:
    """Give back a job this run holds but could not settle (see `draft_retry_now`)."""
    job.attempts = attempt
    if lease_exhausted(job, PREPROCESSING_WORK):
        message = f"Recording the result failed {attempt} times; giving up."
        preprocessing_fail(job=job, attempt=attempt, message=message)
        return
    if lease_finish(spec=PREPROCESSING_WORK, pk=job.pk, attempt=attempt, status=Job.PENDING):
        async_task(PREPROCESS_TASK, job.pk, task_name=f"{job.public_id}-retry-{attempt}")


def _complete(job: Job, attempt: int, outputs: dict) -> None:
    identity = job.identity
    face_name = default_storage.save(
        f"identities/faces/{identity.code}.jpg", ContentFile(outputs["face_crop"])
    )
    thumb_name = default_storage.save(
        f"identities/thumbs/{identity.code}.jpg", ContentFile(outputs["thumbnail"])
    )
    try:
        changed = _record(job, attempt, outputs, face_name, thumb_name)
    except Exception:
        if not _points_to(identity, face_name):
            default_storage.delete(face_name)
            default_storage.delete(thumb_name)
        raise
    if not changed:
        default_storage.delete(face_name)
        default_storage.delete(thumb_name)


def _points_to(identity: Identity, face_name: str) -> bool:
    # As for drafts: ask again on a fresh connection; when even that fails, keep the files.
    try:
        if not connection.in_atomic_block:
            connection.close()
        return Identity.objects.filter(pk=identity.pk, face_crop=face_name).exists()
    except Exception:
        logger.exception("identity %s: cannot tell whether %s was recorded", identity.pk, face_name)
        return True


def _record(job: Job, attempt: int, outputs: dict, face_name: str, thumb_name: str) -> bool:
    identity = job.identity
    with transaction.atomic():
        changed = lease_finish(
            spec=PREPROCESSING_WORK,
            pk=job.pk,
            attempt=attempt,
            status=Job.COMPLETED,
            finished_at=timezone.now(),
            error_message="",
        )
        if not changed:
            return False
        Identity.objects.filter(pk=identity.pk).update(
            face_crop=face_name,
            thumbnail=thumb_name,
            embedding=outputs["embedding"],
            embedding_model=outputs["embedding_model"],
            preprocessing_status=Identity.COMPLETED,
            preprocessing_error="",
            updated_at=timezone.now(),
        )
        if job.reservation_id:
            credits_capture(reservation=job.reservation)
        _notify(job, Identity.COMPLETED)
    return True


def preprocessing_fail(*, job: Job, attempt: int | None, message: str) -> bool:
    """Fail the job, mark its identity failed and give the promotion's credits back (once).
    attempt=None: whatever run holds it."""
    with transaction.atomic():
        changed = lease_fail(
            spec=PREPROCESSING_WORK,
            pk=job.pk,
            attempt=attempt,
            status=Job.FAILED,
            error_message=message[:2000],
            finished_at=timezone.now(),
        )
        if not changed:
            return False
        Identity.objects.filter(pk=job.identity_id).update(
            preprocessing_status=Identity.FAILED,
            preprocessing_error=message[:2000],
            updated_at=timezone.now(),
        )
        if job.reservation_id:
            credits_release(reservation=job.reservation)
        _notify(job, Identity.FAILED, error_message=message)
    return True


def _notify(job: Job, status: str, **extra) -> None:
    data = {
        "id_task": job.public_id,
        "job_id": job.public_id,
        "identity_code": job.identity.code,
        "status": status,
        **extra,
    }
    notification_emit(account=job.account, name="identity_preprocessing", data=data)


def preprocessing_reap(*, now=None, requeue_lost: bool = True) -> dict:
    """Retry or fail preprocessing jobs whose worker died; re-queue those whose task was lost
    (when `requeue_lost`: see `identities.services.jobs.reaping`)."""
    now = now or timezone.now()
    retried = failed = 0
    released = []
    expired = lease_expired(spec=PREPROCESSING_WORK, now=now)
    for job in expired.select_related("identity", "account", "reservation"):
        if lease_exhausted(job, PREPROCESSING_WORK):
            failed += preprocessing_fail(
                job=job, attempt=job.attempts, message="The worker stopped responding; giving up."
            )
        elif lease_release(spec=PREPROCESSING_WORK, pk=job.pk, attempt=job.attempts, now=now):
            released.append(job.pk)
            async_task(PREPROCESS_TASK, job.pk, task_name=f"{job.public_id}-retry")
            retried += 1
    if requeue_lost:
        lost = lease_lost(spec=PREPROCESSING_WORK, before=now - task_lost_after())
        for job_id, public_id in lost.exclude(pk__in=released).values_list("pk", "public_id"):
            async_task(PREPROCESS_TASK, job_id, task_name=f"{public_id}-requeue")
            retried += 1
    return {"retried": retried, "failed": failed}
