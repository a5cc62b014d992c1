"""Identity preprocessing: face crop and alignment, embedding, thumbnail.

A job runs pending → processing → completed / failed. The promotion's reserved credits are
captured on success and released on failure (a failed preprocessing costs the user nothing; the
seed lets them promote the draft again). Claimed by lease like drafts (`identities.leases`),
so a task run twice changes nothing and a dying worker's job is picked up by the reaper.
"""

from __future__ import annotations

import io
import logging

import numpy as np
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task
from PIL import Image

from accounts.services import credits_capture, credits_release
from identities.faces import get_face_analyzer
from identities.imaging import ImageError, load_image
from identities.leases import (
    TASK_LOST_AFTER,
    LeaseSpec,
    lease_claim,
    lease_exhausted,
    lease_expired,
    lease_fail,
    lease_finish,
    lease_lost,
    task_lease,
)
from identities.models import Identity, Job
from identities.notifications.emit import notification_emit

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


def _analyse(identity: Identity) -> dict:
    with default_storage.open(identity.portrait.name, "rb") as handle:
        try:
            image = load_image(handle.read())
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
    return {
        "face_crop": _encode_jpeg(Image.fromarray(np.ascontiguousarray(aligned[:, :, ::-1]))),
        "thumbnail": _encode_jpeg(thumbnail),
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
    try:
        outputs = _analyse(identity)
    except PreprocessingFailed as error:
        preprocessing_fail(job=job, attempt=attempt, message=str(error))
        return
    except Exception as error:
        logger.exception("preprocessing %s crashed", job.public_id)
        preprocessing_fail(job=job, attempt=attempt, message=f"Preprocessing error: {error}")
        return
    _complete(job, attempt, outputs)


def _complete(job: Job, attempt: int, outputs: dict) -> None:
    identity = job.identity
    face_name = default_storage.save(
        f"identities/faces/{identity.code}.jpg", ContentFile(outputs["face_crop"])
    )
    thumb_name = default_storage.save(
        f"identities/thumbs/{identity.code}.jpg", ContentFile(outputs["thumbnail"])
    )
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
            default_storage.delete(face_name)
            default_storage.delete(thumb_name)
            return
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


def preprocessing_reap(*, now=None) -> dict:
    """Retry or fail preprocessing jobs whose worker died or whose task was lost."""
    now = now or timezone.now()
    retried = failed = 0
    expired = lease_expired(spec=PREPROCESSING_WORK, now=now)
    for job in expired.select_related("identity", "account", "reservation"):
        if lease_exhausted(job, PREPROCESSING_WORK):
            failed += preprocessing_fail(
                job=job, attempt=job.attempts, message="The worker stopped responding; giving up."
            )
        else:
            async_task(PREPROCESS_TASK, job.pk, task_name=f"{job.public_id}-retry")
            retried += 1
    lost = lease_lost(spec=PREPROCESSING_WORK, before=now - TASK_LOST_AFTER)
    for job_id, public_id in lost.values_list("pk", "public_id"):
        async_task(PREPROCESS_TASK, job_id, task_name=f"{public_id}-requeue")
        retried += 1
    return {"retried": retried, "failed": failed}
