"""Writes to the public catalog: publishing an identity at a tier, and seeding the catalog
through the real pipeline (brief → job → draft → promotion → preprocessing → publish). Drafts are
rendered in-process by the same service the workers run."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Account, Plan
from accounts.services import credits_grant
from catalog.briefs import CATALOG
from catalog.rules import CATALOG_TIERS
from identities.briefs.validation import validate_creation_request
from identities.engines.registry import STYLEGAN, stylegan_enabled
from identities.lookalikes import account_lookalikes
from identities.models import Draft, Identity
from identities.pricing import draft_price, promotion_price
from identities.services.jobs import draft_generate, job_create
from identities.services.preprocessing import identity_preprocess
from identities.services.promotion import identity_promote

CATALOG_ACCOUNT = "Castless Catalog"
# Catalog portraits are rendered offline at the cheapest and fastest size: by the photoreal
# preview where the server enabled it (its non-commercial weights are recorded on every
# identity it draws), else by the in-house painter.
_SEED_OPTIONS = {"size": "1K", "ar": "3:4", "format": "jpg"}


# Photoreal catalog faces are different people: every pair below this SFace cosine (stricter
# than SAME_PERSON; 0.4 % of random MobileStyleGAN pairs reach it), with a few redraws.
CATALOG_DISTINCT_BELOW = 0.5
_REDRAWS = 3


def catalog_seed_engine() -> str:
    return STYLEGAN if stylegan_enabled() else "local"


def catalog_publish(*, identity: Identity, tier: str, description: str = "") -> Identity:
    """Move a finished identity into the public catalog at a tier (the seeding account's
    slot is freed: catalog identities belong to no account)."""
    if tier not in CATALOG_TIERS:
        raise ValueError(f"unknown catalog tier {tier!r}")
    identity.account = None
    identity.tier = tier
    identity.description = description
    identity.full_clean(exclude=["embedding"])
    identity.save(update_fields=["account", "tier", "description", "updated_at"])
    return identity


def _studio() -> Account:
    account = Account.objects.filter(name=CATALOG_ACCOUNT, memberships__isnull=True).first()
    if account is None:
        account = Account.objects.create(
            name=CATALOG_ACCOUNT, plan=Plan.objects.get(code="enterprise")
        )
    return account


def catalog_seed(*, limit: int | None = None) -> list[Identity]:
    """Create the catalog identities that do not exist yet; returns the ones created."""
    studio = _studio()
    created = []
    for name, tier, appearance, face, hair in CATALOG[:limit]:
        if Identity.objects.filter(
            account__isnull=True, name=name, deleted_at__isnull=True
        ).exists():
            continue
        created.append(
            _seed_one(studio, name, tier, {"appearance": appearance, "face": face, "hair": hair})
        )
    return created


def _seed_one(studio: Account, name: str, tier: str, brief: dict) -> Identity:
    identity = _draw_one(studio, name, brief)
    for _ in range(_REDRAWS):
        if not _duplicates_catalog(identity):
            break
        # A face the catalog already shows: set aside in the studio (hidden, so its name is
        # free) and drawn again with the new job's own seed.
        Identity.objects.filter(pk=identity.pk).update(hidden=True)
        identity = _draw_one(studio, name, brief)
    appearance = brief["appearance"]
    description = f"{appearance['age']}, {appearance['ethnicity']}, {appearance['skin']} skin"
    with transaction.atomic():
        return catalog_publish(identity=identity, tier=tier, description=description)


def _duplicates_catalog(identity: Identity) -> bool:
    """Whether a photoreal catalog face is too close to one already published. Only the
    photoreal engine is held to it: nine in ten pairs of painter faces reach 0.5."""
    if identity.engine != STYLEGAN or not identity.embedding:
        return False
    return bool(account_lookalikes(None, identity.embedding, threshold=CATALOG_DISTINCT_BELOW))


def _draw_one(studio: Account, name: str, brief: dict) -> Identity:
    request = validate_creation_request(
        {
            "instructions": [{**brief, "num_variations": 1, "options": dict(_SEED_OPTIONS)}],
            "options": {"model": catalog_seed_engine()},
            "name": name,
        }
    )
    # One draft plus its promotion; granted just before so the studio never runs dry.
    cost = draft_price(external=False, size=_SEED_OPTIONS["size"]) + promotion_price()
    credits_grant(account=studio, amount=cost, reason=f"Catalog seed: {name}")
    job = job_create(account=studio, user=None, request=request, enqueue=False)
    draft = Draft.objects.get(job=job)
    draft_generate(draft_id=draft.pk)
    draft.refresh_from_db()
    if draft.status != Draft.COMPLETED:
        raise RuntimeError(f"catalog draft for {name} failed: {draft.error_message}")
    identity, preprocessing = identity_promote(draft=draft, user=None, name=name, enqueue=False)
    identity_preprocess(job_id=preprocessing.pk)
    identity.refresh_from_db()
    return identity
