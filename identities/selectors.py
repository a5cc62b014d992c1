"""Reads for the identities domain. Owner-scoped lookups raise 404 for another account's
objects (never 403: existence is not disclosed)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from identities.models import Draft, Identity, Job, UploadedAsset
from identities.models.identity import LIVE

SORT_FIELDS = {"name": "name", "created_at": "created_at"}


def identity_slots_used(*, account) -> int:
    return Identity.objects.filter(LIVE, account=account).count()


def job_get_for(*, account, job_id: str) -> Job:
    job = Job.objects.filter(account=account, public_id=job_id).first()
    if job is None:
        raise Http404("No such job")
    return job


def draft_get_for(*, account, draft_id: int) -> Draft:
    """One of the account's drafts (404 otherwise, and for a deleted one)."""
    draft = (
        Draft.objects.select_related("job", "instruction")
        .filter(pk=draft_id, job__account=account, deleted_at__isnull=True)
        .first()
    )
    if draft is None:
        raise Http404("No such draft")
    return draft


def job_progress(*, job: Job) -> dict:
    """total, processed (final), completed and failed draft counts, in one query."""
    if job.job_type == Job.PREPROCESSING:
        done = 1 if job.is_final else 0
        return {
            "total": 1,
            "processed": done,
            "completed": int(job.status == Job.COMPLETED),
            "failed": int(job.status == Job.FAILED),
        }
    statuses = list(job.drafts.values_list("status", flat=True))
    completed = statuses.count(Draft.COMPLETED)
    failed = statuses.count(Draft.FAILED)
    return {
        "total": len(statuses),
        "processed": completed + failed,
        "completed": completed,
        "failed": failed,
    }


def job_drafts(*, job: Job, include_unfinished: bool = False) -> QuerySet[Draft]:
    drafts = job.drafts.filter(deleted_at__isnull=True).order_by("image_index", "variation")
    if not include_unfinished:
        drafts = drafts.filter(status__in=Draft.FINAL)
    return drafts


def identity_visible_to(*, account) -> QuerySet[Identity]:
    """The account's live identities and the whole catalog."""
    return Identity.objects.filter(LIVE).filter(Q(account=account) | Q(account__isnull=True))


def identity_get_for(*, account, code: str) -> Identity:
    identity = identity_visible_to(account=account).filter(code=code).first()
    if identity is None:
        raise Http404("No such identity")
    return identity


def identity_owned_by(*, account, code: str) -> Identity:
    identity = Identity.objects.filter(LIVE, account=account, code=code).first()
    if identity is None:
        raise Http404("No such identity")
    return identity


def identity_is_locked(*, identity: Identity, account) -> bool:
    return identity.is_catalog and not account.plan.allows_tier(identity.tier)


@dataclass(frozen=True)
class IdentityFilters:
    ownership: str | None = None  # "mine" | "shared" | None (the catalog)
    include_locked: bool = False
    search: str = ""
    gender: str = ""
    min_age: int | None = None
    max_age: int | None = None
    tier: str = ""
    sort_by: str = "created_at"
    order: str = "desc"


def identity_list_for(*, account, filters: IdentityFilters) -> QuerySet[Identity]:
    """Identities for the library and the API list.

    ownership: "mine" — the account's own identities; "shared" — catalog identities the plan
    unlocks; none — the catalog, with those above the plan only when include_locked.
    """
    unlocked_tiers = list(account.plan.catalog_tiers)
    catalog = Identity.objects.filter(LIVE, account__isnull=True)
    if filters.ownership == "mine":
        queryset = Identity.objects.filter(LIVE, account=account)
    elif filters.ownership == "shared":
        queryset = catalog.filter(tier__in=unlocked_tiers)
    elif filters.ownership == "all":
        queryset = Identity.objects.filter(LIVE).filter(
            Q(account=account) | Q(account__isnull=True)
        )
        if not filters.include_locked:
            queryset = queryset.filter(Q(account=account) | Q(tier__in=unlocked_tiers))
    else:
        queryset = catalog if filters.include_locked else catalog.filter(tier__in=unlocked_tiers)
    if filters.search:
        queryset = queryset.filter(
            Q(name__icontains=filters.search) | Q(code=filters.search.lower())
        )
    if filters.gender:
        queryset = queryset.filter(gender__iexact=filters.gender)
    if filters.min_age is not None:
        queryset = queryset.filter(age__gte=filters.min_age)
    if filters.max_age is not None:
        queryset = queryset.filter(age__lte=filters.max_age)
    if filters.tier:
        queryset = queryset.filter(tier=filters.tier)
    field = SORT_FIELDS.get(filters.sort_by, "created_at")
    ordering = field if filters.order == "asc" else f"-{field}"
    return queryset.select_related("source_draft").order_by(ordering, "-id")


def asset_get_for(*, account, file_id: str) -> UploadedAsset:
    import uuid

    try:
        key = uuid.UUID(str(file_id))
    except ValueError:
        raise Http404("No such file") from None
    asset = UploadedAsset.objects.filter(
        account=account, file_id=key, deleted_at__isnull=True
    ).first()
    if asset is None:
        raise Http404("No such file")
    return asset


def assets_for(*, account) -> QuerySet[UploadedAsset]:
    return UploadedAsset.objects.filter(
        account=account, status=UploadedAsset.READY, deleted_at__isnull=True
    ).order_by("-created_at")
