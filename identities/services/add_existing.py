"""Bring an existing model: a real person's two photos become a private identity, with consent.

The order is the promotion's (`services/promotion.py`), with the checks of a real person before
it: plan (Pro and Enterprise, as the reference), the compliance statements of the current
version (`identities.consent`), gender, the name rule, then the photos (`existing_photos`: one
face each, the same person, an adult). Slow work and storage copies happen before the lock;
the one transaction locks the account row (so concurrent adds of one account serialize on the
slot count and the name, as promotions do), checks the promotion rate limit and slots, reserves
the promotion's price, and writes the identity, its preprocessing job, its two source photos and
its consent record. On commit the same preprocessing task as a promoted draft runs, with the
same notifications.

Deleting such an identity (`services/library.identity_delete`) calls `existing_model_erase`:
photos, face crop, thumbnail and embedding go; the consent record stays.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from accounts.models import Account
from accounts.services import credits_reserve
from config.refusals import AbovePlan, FieldError, InvalidInput, Refusal, SlotsFull
from identities import pricing
from identities.consent import VERSION, consent_check
from identities.models import ConsentRecord, ExistingModelPhoto, Identity, Job, UploadedAsset
from identities.models.codes import new_identity_code
from identities.names import identity_name_valid
from identities.selectors import identity_slots_used
from identities.services.existing_photos import PhotoReview, existing_photos_review
from identities.services.preprocessing import PREPROCESS_TASK
from identities.services.rate_limits import rate_limit_check

PLANS = ("pro", "enterprise")
GENDERS = {"female": "Female", "male": "Male", "non-binary": "Non-binary"}
SOURCE = "existing_model"


class PlanExcludesExistingModels(AbovePlan):
    def __init__(self):
        Refusal.__init__(
            self,
            "Adding an existing model needs the Pro or Enterprise plan",
            [FieldError(None, "Upgrade to Pro or Enterprise to add your own models.")],
        )


def existing_models_allowed(*, account: Account) -> bool:
    return account.plan.code in PLANS


def existing_models_require(*, account: Account) -> None:
    """The plan gate, first of all checks (before even the photos are looked up)."""
    if not existing_models_allowed(account=account):
        raise PlanExcludesExistingModels()


def existing_model_precheck(*, account: Account, name: str, gender: str) -> tuple[str, str]:
    """Plan, name (cleaned and free) and gender, before any photo is read."""
    existing_models_require(account=account)
    problems = []
    if gender not in GENDERS:
        problems.append(FieldError("gender", f"One of: {', '.join(GENDERS)}."))
    try:
        cleaned = identity_name_valid(account=account, name=name or "")
    except Refusal as refusal:
        if not problems:
            raise
        problems += refusal.problems
    if problems:
        raise InvalidInput(problems)
    return cleaned, gender


def existing_model_add(
    *,
    account: Account,
    user,
    name: str,
    gender: str,
    close_up: UploadedAsset,
    full_body: UploadedAsset,
    consent_version: object,
    accepted: object,
    ip_address: str | None,
    user_agent: str,
    enqueue: bool = True,
) -> tuple[Identity, Job]:
    """Add the person in `close_up` and `full_body` (assets the caller looked up for
    `account`) as a private identity; returns (identity, preprocessing job). Refusals: the
    plan, a statement not accepted, the name, gender, either photo, slots, rate, credits."""
    name, gender = existing_model_precheck(account=account, name=name, gender=gender)
    statements = consent_check(version=consent_version, accepted=accepted)
    review = existing_photos_review(account=account, close_up=close_up, full_body=full_body)
    code = new_identity_code()
    stored = _store_photos(review, code)
    try:
        with transaction.atomic():
            locked = Account.objects.select_for_update().select_related("plan").get(pk=account.pk)
            identity, job = _add_locked(
                locked,
                user,
                code=code,
                name=name,
                gender=gender,
                review=review,
                stored=stored,
            )
            ConsentRecord.objects.create(
                identity=identity,
                account=locked,
                statements_version=VERSION,
                statements=statements,
                accepted_keys=[item["key"] for item in statements],
                accepted_by=user,
                accepted_by_email=user.email or "",
                accepted_at=timezone.now(),
                ip_address=ip_address or None,
                user_agent=(user_agent or "")[:500],
                close_up_sha256=review.close_up.sha256,
                full_body_sha256=review.full_body.sha256,
            )
    except BaseException:
        # Refused or rolled back: nothing refers to the copies.
        for path in stored.values():
            default_storage.delete(path)
        raise
    if enqueue:
        transaction.on_commit(lambda: async_task(PREPROCESS_TASK, job.pk, task_name=job.public_id))
    return identity, job


def _store_photos(review: PhotoReview, code: str) -> dict[str, str]:
    """Copies of both photos under the identity's own names (the uploads stay the account's)."""
    stored: dict[str, str] = {}
    portrait_field = Identity._meta.get_field("portrait")
    source_field = ExistingModelPhoto._meta.get_field("file")
    try:
        for kind, reading in (("close_up", review.close_up), ("full_body", review.full_body)):
            extension = reading.asset.file.name.rsplit(".", 1)[-1]
            name = source_field.generate_filename(None, f"{code}-{kind}.{extension}")
            stored[kind] = source_field.storage.save(name, ContentFile(reading.data))
        extension = review.close_up.asset.file.name.rsplit(".", 1)[-1]
        name = portrait_field.generate_filename(None, f"{code}.{extension}")
        stored["portrait"] = portrait_field.storage.save(name, ContentFile(review.close_up.data))
    except BaseException:
        for path in stored.values():
            default_storage.delete(path)
        raise
    return stored


def _add_locked(account: Account, user, *, code, name, gender, review, stored):
    rate_limit_check(
        recent=Identity.objects.filter(account=account),
        per_minute=settings.CASTLESS_PROMOTE_PER_MINUTE,
        what="promotions",
    )
    limit = account.plan.identity_slots
    if limit is not None and identity_slots_used(account=account) >= limit:
        raise SlotsFull(limit)
    # Read again under the lock: a concurrent add may have taken the name since the precheck.
    name = identity_name_valid(account=account, name=name)
    price = pricing.promotion_price()
    (reservation,) = credits_reserve(
        account=account, amounts=[price], reason=f"Existing model {name}", by=user
    )
    age = max(18, min(99, round(review.age.years)))
    identity = Identity(
        code=code,
        account=account,
        name=name,
        gender=gender,
        age=age,
        render_details={"source": SOURCE},
        created_by=user,
        credits_charged=price,
        portrait=stored["portrait"],
    )
    identity.full_clean(exclude=["embedding"])
    identity.save()
    for kind, reading in (("close_up", review.close_up), ("full_body", review.full_body)):
        ExistingModelPhoto.objects.create(
            identity=identity, kind=kind, file=stored[kind], sha256=reading.sha256
        )
    job = Job.objects.create(
        account=account,
        created_by=user,
        job_type=Job.PREPROCESSING,
        name=name,
        identity=identity,
        reservation=reservation,
    )
    Identity.objects.filter(pk=identity.pk).update(preprocessing_job=job)
    identity.preprocessing_job = job
    return identity, job


def existing_model_erase(*, identity: Identity) -> None:
    """Delete an existing model's photos and face data; its consent record stays as it was.
    Files are deleted after the rows stop pointing at them (a failure leaves orphan files, never
    a row pointing at a missing file)."""
    photos = list(ExistingModelPhoto.objects.filter(identity=identity))
    paths = [photo.file.name for photo in photos]
    paths += [
        field.name
        for field in (identity.portrait, identity.thumbnail, identity.face_crop)
        if field and field.name
    ]
    with transaction.atomic():
        ExistingModelPhoto.objects.filter(identity=identity).delete()
        Identity.objects.filter(pk=identity.pk).update(
            portrait="", thumbnail="", face_crop="", embedding=None, embedding_model=""
        )
    for path in paths:
        default_storage.delete(path)


def is_existing_model(identity: Identity) -> bool:
    return (identity.render_details or {}).get("source") == SOURCE


__all__ = [
    "GENDERS",
    "PLANS",
    "PlanExcludesExistingModels",
    "existing_model_add",
    "existing_model_erase",
    "existing_model_precheck",
    "existing_models_allowed",
    "existing_models_require",
    "is_existing_model",
]
