"""Identity preprocessing: face crop and alignment, embedding, thumbnail.

A job runs pending → processing → completed / failed. The promotion's reserved credits are
captured on success and released on failure (a failed preprocessing costs the user nothing; the
seed lets them promote the draft again). Claimed with a lease like drafts, so a dying worker's
job is picked up by the reaper.
"""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_q.tasks import async_task
from PIL import Image

from accounts.services import credits_capture, credits_release
from identities.faces import get_face_analyzer
from identities.imaging import ImageError, load_image
from identities.models import Identity, Job
from identities.services.notifications import notification_emit

logger = logging.getLogger(__name__)

THUMBNAIL_SIZE = (384, 512)
FACE_CROP_SIZE = 256
MAX_PREPROCESS_ATTEMPTS = 3
PREPROCESS_TASK = "identities.tasks.preprocessing.identity_preprocess"


class PreprocessingFailed(Exception):
    pass


def _claim(job_id: int) -> int | None:
    now = timezone.now()
    lease = timedelta(seconds=settings.Q_CLUSTER["timeout"] + 60)
    claimable = Q(status=Job.PENDING) | Q(status=Job.PROCESSING, lease_until__lt=now)
    changed = Job.objects.filter(
        claimable, pk=job_id, job_type=Job.PREPROCESSING, attempts__lt=MAX_PREPROCESS_ATTEMPTS
    ).update(status=Job.PROCESSING, attempts=F("attempts") + 1, lease_until=now + lease)
    if not changed:
        return None
    return Job.objects.values_list("attempts", flat=True).get(pk=job_id)


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
        changed = Job.objects.filter(pk=job.pk, status=Job.PROCESSING, attempts=attempt).update(
            status=Job.COMPLETED, finished_at=timezone.now(), lease_until=None, error_message=""
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
    guard = Q(status__in=[Job.PENDING, Job.PROCESSING])
    if attempt is not None:
        guard &= Q(attempts=attempt)
    with transaction.atomic():
        changed = Job.objects.filter(guard, pk=job.pk).update(
            status=Job.FAILED,
            error_message=message[:2000],
            finished_at=timezone.now(),
            lease_until=None,
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
    expired = Job.objects.filter(
        job_type=Job.PREPROCESSING, status=Job.PROCESSING, lease_until__lt=now
    ).select_related("identity", "account", "reservation")
    for job in expired:
        if job.attempts >= MAX_PREPROCESS_ATTEMPTS:
            failed += preprocessing_fail(
                job=job, attempt=job.attempts, message="The worker stopped responding; giving up."
            )
        else:
            async_task(PREPROCESS_TASK, job.pk, task_name=f"{job.public_id}-retry")
            retried += 1
    stale = Job.objects.filter(
        job_type=Job.PREPROCESSING, status=Job.PENDING, created_at__lt=now - timedelta(minutes=2)
    )
    for job_id, public_id in stale.values_list("pk", "public_id"):
        async_task(PREPROCESS_TASK, job_id, task_name=f"{public_id}-requeue")
        retried += 1
    return {"retried": retried, "failed": failed}
