"""Promotion: a completed draft becomes a private identity (50 credits and a slot).

The race this closes: many promotes of one draft at once (a double click, a retrying client).
Each runs in one transaction that first locks the account row, so promotions of one account are
serialized: the first creates the identity, the rest find it and answer 409 with its code. The
partial unique constraint on `source_draft` backs this up at the database level, and the slot
count and the name auto-suffix are read under the same lock.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import Http404
from django_q.tasks import async_task

from accounts.models import Account
from accounts.services import InsufficientCredits, credits_reserve
from config.api.errors import ApiError, FieldError
from identities.faces import get_face_analyzer
from identities.imaging import load_image
from identities.models import Draft, Identity, Job
from identities.models.identity import LIVE
from identities.selectors import draft_get_for
from identities.services.errors import payment_required, rate_limit_check
from identities.services.preprocessing import PREPROCESS_TASK

PROMOTION_CREDITS = 50
NAME_MAX_LENGTH = 120
_AGE_NUMBER = re.compile(r"\b(1[89]|[2-9]\d)\b")


def _conflict(identity: Identity) -> ApiError:
    return ApiError(
        status=409,
        error="This draft has already been promoted.",
        detail=[FieldError("image_result_id", "Already promoted.")],
        extra={"identity_code": identity.code},
    )


def _draft_for(account: Account, image_result_id: int) -> Draft:
    try:
        return draft_get_for(account=account, draft_id=image_result_id)
    except Http404:
        raise ApiError(
            status=404,
            error="Not found",
            detail=[FieldError("image_result_id", "No draft with this id in your workspace.")],
        ) from None


def _check_draft(draft: Draft) -> None:
    if draft.job.job_type != Job.CREATION:
        raise ApiError(
            status=400,
            error="Only drafts of identity creation jobs can be promoted.",
            detail=[FieldError("image_result_id", "Not an identity_creation draft.")],
        )
    if draft.status != Draft.COMPLETED:
        raise ApiError(
            status=400,
            error=f"The draft is {draft.status}; only completed drafts can be promoted.",
            detail=[FieldError("image_result_id", f"Draft status is {draft.status}.")],
        )


def draft_face_count(*, draft: Draft) -> int:
    with default_storage.open(draft.image.name, "rb") as handle:
        image = load_image(handle.read())
    return len(get_face_analyzer().detect(image))


def _check_one_face(draft: Draft) -> None:
    faces = draft_face_count(draft=draft)
    if faces != 1:
        found = "no face" if faces == 0 else f"{faces} faces"
        raise ApiError(
            status=400,
            error=f"A promoted draft must show exactly one face; face detection found {found}.",
            detail=[FieldError("image_result_id", f"Found {found}.")],
            extra={"faces_found": faces},
        )


def _unique_default_name(account: Account, base: str) -> str:
    taken = set(
        Identity.objects.filter(LIVE, account=account, name__startswith=base).values_list(
            "name", flat=True
        )
    )
    if base not in taken:
        return base
    number = 2
    while f"{base} {number}" in taken:
        number += 1
    return f"{base} {number}"


def _pick_name(account: Account, draft: Draft, name: str | None) -> str:
    if name is not None and name.strip():
        name = " ".join(name.split())
        if len(name) > NAME_MAX_LENGTH:
            raise ApiError(
                status=400,
                error="Validation error",
                detail=[FieldError("name", f"At most {NAME_MAX_LENGTH} characters.")],
            )
        if Identity.objects.filter(LIVE, account=account, name=name).exists():
            raise ApiError(
                status=409,
                error=f"An identity named “{name}” already exists.",
                detail=[FieldError("name", "Name already used in your library.")],
            )
        return name
    return _unique_default_name(account, draft.job.name.strip() or "Untitled identity")


def _traits(brief: dict) -> tuple[str, int | None]:
    appearance = brief.get("appearance", {})
    gender = str(appearance.get("gender", "")).strip().lower()[:32]
    match = _AGE_NUMBER.search(str(appearance.get("age", "")))
    return gender, int(match.group(1)) if match else None


def identity_promote(
    *, account: Account, user, image_result_id: int, name: str | None = None, enqueue: bool = True
):
    """Returns (identity, preprocessing job). Raises ApiError with the seed's statuses."""
    draft = _draft_for(account, image_result_id)
    _check_draft(draft)
    existing = Identity.objects.filter(LIVE, source_draft=draft).first()
    if existing is not None and existing.preprocessing_status != Identity.FAILED:
        raise _conflict(existing)
    # Detection reads the image: done before taking the lock, it cannot change under us.
    _check_one_face(draft)
    try:
        with transaction.atomic():
            locked = Account.objects.select_for_update().select_related("plan").get(pk=account.pk)
            identity, job = _promote_locked(locked, user, draft, name)
    except IntegrityError:
        # The database's own guard fired (a race we did not serialize): report as the seed does.
        existing = Identity.objects.filter(LIVE, source_draft=draft).first()
        if existing is None:
            raise
        raise _conflict(existing) from None
    if enqueue:
        transaction.on_commit(lambda: async_task(PREPROCESS_TASK, job.pk, task_name=job.public_id))
    return identity, job


def _promote_locked(account: Account, user, draft: Draft, name: str | None):
    existing = Identity.objects.filter(LIVE, source_draft=draft).first()
    if existing is not None:
        if existing.preprocessing_status != Identity.FAILED:
            raise _conflict(existing)
        # The seed: a failed preprocessing is hidden and the retry proceeds.
        existing.hidden = True
        existing.save(update_fields=["hidden", "updated_at"])
    rate_limit_check(
        recent=Identity.objects.filter(account=account),
        per_minute=settings.CASTLESS_PROMOTE_PER_MINUTE,
        what="promotions",
    )
    limit = account.plan.identity_slots
    if limit is not None and Identity.objects.filter(LIVE, account=account).count() >= limit:
        raise ApiError(
            status=429,
            error=f"All {limit} identity slots are in use; delete an identity to free one.",
            extra={"identity_slots": limit},
            headers={"Retry-After": "3600"},
        )
    chosen = _pick_name(account, draft, name)
    try:
        (reservation,) = credits_reserve(
            account=account,
            amounts=[PROMOTION_CREDITS],
            reason=f"Promotion of draft {draft.pk}",
            by=user,
        )
    except InsufficientCredits as short:
        raise payment_required(short) from None
    gender, age = _traits(draft.instruction.brief)
    identity = Identity(
        account=account,
        name=chosen,
        gender=gender,
        age=age,
        brief=draft.instruction.brief,
        prompt=draft.instruction.prompt,
        engine=draft.engine,
        seed=draft.seed,
        creation_job=draft.job,
        source_draft=draft,
        created_by=user,
        credits_charged=PROMOTION_CREDITS,
    )
    # The identity keeps its own copy: deleting drafts later never breaks a library portrait.
    with default_storage.open(draft.image.name, "rb") as handle:
        extension = draft.image.name.rsplit(".", 1)[-1]
        identity.portrait.save(
            f"{identity.code}.{extension}", ContentFile(handle.read()), save=False
        )
    identity.full_clean(exclude=["embedding"])
    identity.save()
    job = Job.objects.create(
        account=account,
        created_by=user,
        job_type=Job.PREPROCESSING,
        name=chosen,
        identity=identity,
        reservation=reservation,
    )
    Identity.objects.filter(pk=identity.pk).update(preprocessing_job=job)
    identity.preprocessing_job = job
    return identity, job
