"""Promotion: a completed draft becomes a private identity (it costs credits and a slot).

The race this closes: many promotes of one draft at once (a double click, a retrying client).
Each runs in one transaction that first locks the account row, so promotions of one account are
serialized: the first creates the identity, the rest find it and are refused with its code. The
partial unique constraint on `source_draft` backs this up at the database level, and the slot
count and the name auto-suffix are read under the same lock.

Nothing slow happens under that lock: the face count was stored by the worker that rendered
the draft, and the portrait is copied before the lock is taken (and deleted again when the
promotion does not go through).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django_q.tasks import async_task

from accounts.models import Account
from accounts.services import credits_reserve
from config.refusals import AlreadyPromoted, FieldError, NotPromotable, SlotsFull
from identities import pricing
from identities.models import Draft, Identity, Job
from identities.models.codes import new_identity_code
from identities.names import identity_name_default, identity_name_valid
from identities.selectors import draft_identity, identity_slots_used
from identities.services.jobs.generation import image_face_count
from identities.services.preprocessing import PREPROCESS_TASK
from identities.services.rate_limits import rate_limit_check

_AGE_NUMBER = re.compile(r"\b(1[89]|[2-9]\d)\b")


def _conflict(identity: Identity) -> AlreadyPromoted:
    return AlreadyPromoted(
        identity.code, problems=[FieldError("image_result_id", "Already promoted.")]
    )


def _check_draft(draft: Draft) -> None:
    if draft.job.job_type != Job.CREATION:
        raise NotPromotable(
            "Only drafts of identity creation jobs can be promoted.",
            problems=[FieldError("image_result_id", "Not an identity_creation draft.")],
        )
    if draft.status != Draft.COMPLETED:
        raise NotPromotable(
            f"The draft is {draft.status}; only completed drafts can be promoted.",
            problems=[FieldError("image_result_id", f"Draft status is {draft.status}.")],
        )
    if draft.reference_leak:
        raise NotPromotable(
            "This draft shows the face of a reference photo it was made from "
            f"(face similarity {draft.reference_similarity:.2f}), not a new person.",
            problems=[FieldError("image_result_id", "Copies a reference's face.")],
        )


def draft_face_count(*, draft: Draft) -> int:
    """The faces in a draft: as its worker stored them; for a draft rendered before workers
    stored the count (or whose detection failed), detected now from its file and stored, so
    only the first promotion of such a draft pays for detection."""
    if draft.face_count is None:
        with default_storage.open(draft.image.name, "rb") as handle:
            draft.face_count = image_face_count(handle.read())
        Draft.objects.filter(pk=draft.pk).update(face_count=draft.face_count)
    return draft.face_count


def _check_one_face(draft: Draft) -> None:
    faces = draft_face_count(draft=draft)
    if faces != 1:
        found = "no face" if faces == 0 else f"{faces} faces"
        raise NotPromotable(
            f"A promoted draft must show exactly one face; face detection found {found}.",
            problems=[FieldError("image_result_id", f"Found {found}.")],
            faces_found=faces,
        )


def _traits(brief: dict) -> tuple[str, int | None]:
    appearance = brief.get("appearance", {})
    gender = str(appearance.get("gender", "")).strip().lower()[:32]
    match = _AGE_NUMBER.search(str(appearance.get("age", "")))
    return gender, int(match.group(1)) if match else None


def _portrait_copy(draft: Draft, code: str) -> str:
    """Copy the draft's image to where the identity keeps its portrait; returns its name.
    The identity keeps its own copy: deleting drafts later never breaks a library portrait."""
    field = Identity._meta.get_field("portrait")
    extension = draft.image.name.rsplit(".", 1)[-1]
    with default_storage.open(draft.image.name, "rb") as handle:
        data = handle.read()
    name = field.generate_filename(None, f"{code}.{extension}")
    return field.storage.save(name, ContentFile(data), max_length=field.max_length)


def identity_promote(*, draft: Draft, user, name: str | None = None, enqueue: bool = True):
    """Promote `draft`, which the caller looked up for its account (`draft_get_for`): returns
    (identity, preprocessing job). Raises a Refusal (config.refusals) when the draft cannot be
    promoted, the name breaks the name rule or is taken, or the account is out of slots, rate
    or credits.

    The API and the pages call it outside any transaction, so its own is the one that commits
    or rolls back; a caller wrapping it in an outer transaction that later rolls back would
    leave the portrait copy behind (only failures in here remove it).
    """
    _check_draft(draft)
    existing = draft_identity(draft=draft)
    if existing is not None and existing.preprocessing_status != Identity.FAILED:
        raise _conflict(existing)
    _check_one_face(draft)
    code = new_identity_code()
    portrait = _portrait_copy(draft, code)
    try:
        identity, job = _promote_serialized(draft, user, name, code=code, portrait=portrait)
    except BaseException:
        # Refused, or the transaction rolled back: nothing refers to the copy.
        default_storage.delete(portrait)
        raise
    if enqueue:
        transaction.on_commit(lambda: async_task(PREPROCESS_TASK, job.pk, task_name=job.public_id))
    return identity, job


def _promote_serialized(draft: Draft, user, name: str | None, *, code: str, portrait: str):
    try:
        with transaction.atomic():
            locked = (
                Account.objects.select_for_update()
                .select_related("plan")
                .get(pk=draft.job.account_id)
            )
            return _promote_locked(locked, user, draft, name, code=code, portrait=portrait)
    except IntegrityError:
        # The database's own guard fired (a race we did not serialize): answer as for any
        # repeated promotion, with the existing identity's code.
        existing = draft_identity(draft=draft)
        if existing is None:
            raise
        raise _conflict(existing) from None


def _pick_name(account: Account, draft: Draft, name: str | None) -> str:
    if name is not None and name.strip():
        return identity_name_valid(account=account, name=name)
    return identity_name_default(account=account, base=draft.job.name)


def _promote_locked(account: Account, user, draft: Draft, name, *, code: str, portrait: str):
    existing = draft_identity(draft=draft)
    if existing is not None:
        if existing.preprocessing_status != Identity.FAILED:
            raise _conflict(existing)
        # A failed preprocessing must not block a retry: hide that identity and promote again.
        existing.hidden = True
        existing.save(update_fields=["hidden", "updated_at"])
    rate_limit_check(
        recent=Identity.objects.filter(account=account),
        per_minute=settings.CASTLESS_PROMOTE_PER_MINUTE,
        what="promotions",
    )
    limit = account.plan.identity_slots
    if limit is not None and identity_slots_used(account=account) >= limit:
        raise SlotsFull(limit)
    chosen = _pick_name(account, draft, name)
    price = pricing.promotion_price()
    (reservation,) = credits_reserve(
        account=account,
        amounts=[price],
        reason=f"Promotion of draft {draft.pk}",
        by=user,
    )
    gender, age = _traits(draft.instruction.brief)
    identity = Identity(
        code=code,
        account=account,
        name=chosen,
        gender=gender,
        age=age,
        brief=draft.instruction.brief,
        prompt=draft.instruction.prompt,
        engine=draft.engine,
        seed=draft.seed,
        render_details=dict(draft.render_details or {}),
        creation_job=draft.job,
        source_draft=draft,
        created_by=user,
        credits_charged=price,
        portrait=portrait,
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
