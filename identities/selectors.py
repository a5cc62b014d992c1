"""Reads for the identities domain. Owner-scoped lookups raise 404 for another account's
objects (never 403: existence is not disclosed)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from catalog.rules import identity_is_locked as identity_is_locked
from catalog.selectors import catalog_condition, catalog_identities_for
from config.prepared import PreparedRead
from identities.models import Draft, FeatureFlag, Identity, Job, UploadedAsset
from identities.models.identity import LIVE

SORT_FIELDS = {"name": "name", "created_at": "created_at"}


def identity_slots_used(*, account) -> int:
    return Identity.objects.filter(LIVE, account=account).count()


def job_list_for(*, account) -> QuerySet[Job]:
    """The account's creation jobs, newest first, with their live draft and promoted counts
    computed in the same query (the page never asks per row)."""
    return (
        Job.objects.filter(account=account, job_type=Job.CREATION)
        .annotate(
            draft_count=Count("drafts", filter=Q(drafts__deleted_at__isnull=True), distinct=True),
            promoted_count=Count(
                "drafts__identities",
                filter=Q(
                    drafts__identities__deleted_at__isnull=True,
                    drafts__identities__hidden=False,
                ),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-id")
    )


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
    """total, processed (final), completed and failed draft counts, in one query, and the
    percent done that the job page's bar and the API's `progress` show."""
    if job.job_type == Job.PREPROCESSING:
        done = 1 if job.is_final else 0
        counts = {
            "total": 1,
            "processed": done,
            "completed": int(job.status == Job.COMPLETED),
            "failed": int(job.status == Job.FAILED),
        }
    elif hasattr(job, "drafts_total"):  # counted by job_status_get_for's query
        counts = _draft_counts(job.drafts_total, job.drafts_completed, job.drafts_failed)
    else:
        # order_by(): the drafts' default ordering would join the job table for nothing.
        statuses = list(job.drafts.order_by().values_list("status", flat=True))
        counts = _draft_counts(
            len(statuses), statuses.count(Draft.COMPLETED), statuses.count(Draft.FAILED)
        )
    return {
        **counts,
        "percent": _percent(job, processed=counts["processed"], total=counts["total"]),
    }


def _draft_counts(total: int, completed: int, failed: int) -> dict:
    return {
        "total": total,
        "processed": completed + failed,
        "completed": completed,
        "failed": failed,
    }


def job_status_get_for(*, account, job_id: str) -> Job:
    """The account's job (404 otherwise) with its draft counts and its identity's code: what
    GET /jobs/{id}, the endpoint clients poll, answers. One query, compiled once per
    connection (config.prepared): compiling it cost more CPU than running it."""
    job = _JOB_STATUS.first(account=account.pk, public_id=job_id)
    if job is None:
        raise Http404("No such job")
    job.identity_code = job.identity.code if job.identity_id else None
    return job


_STATUS_FIELDS = (
    "public_id",
    "account_id",
    "job_type",
    "status",
    "error_message",
    "identity_id",
    "created_at",
    "updated_at",
)
# Every draft of the job counts, as the job page's bar counts them (job_progress).
_JOB_STATUS = PreparedRead(
    lambda account, public_id: (
        Job.objects.filter(account=account, public_id=public_id)
        .select_related("identity")
        .only(*_STATUS_FIELDS, "identity__code")
        .annotate(
            drafts_total=Count("drafts"),
            drafts_completed=Count("drafts", filter=Q(drafts__status=Draft.COMPLETED)),
            drafts_failed=Count("drafts", filter=Q(drafts__status=Draft.FAILED)),
        )
        .order_by()
    ),
    account=Job._meta.get_field("account"),
    public_id=Job._meta.get_field("public_id"),
)


def _percent(job: Job, *, processed: int, total: int) -> int:
    # A completed job reads 100 % outright. Its drafts are all final by then (a job completes
    # only once they are), so the counts agree; the shortcut saves trusting them.
    if job.status == Job.COMPLETED:
        return 100
    return round(100 * processed / total) if total else 0


def job_drafts(*, job: Job, include_unfinished: bool = False) -> QuerySet[Draft]:
    drafts = job.drafts.filter(deleted_at__isnull=True).order_by("image_index", "variation")
    if not include_unfinished:
        drafts = drafts.filter(status__in=Draft.FINAL)
    return drafts


def identity_visible_to(*, account) -> QuerySet[Identity]:
    """The account's live identities and the whole catalog (locked tiers included: their
    detail page says what the plan lacks)."""
    return Identity.objects.filter(
        LIVE, Q(account=account) | catalog_condition(account=account, include_locked=True)
    )


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
    if filters.ownership == "mine":
        queryset = Identity.objects.filter(LIVE, account=account)
    elif filters.ownership == "shared":
        queryset = catalog_identities_for(account=account)
    elif filters.ownership == "all":
        catalog = catalog_condition(account=account, include_locked=filters.include_locked)
        queryset = Identity.objects.filter(LIVE, Q(account=account) | catalog)
    else:
        queryset = catalog_identities_for(account=account, include_locked=filters.include_locked)
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


# --- jobs and promotion ---------------------------------------------------------------------

CREATION_OFF_MESSAGE = "Identity creation is switched off for maintenance."


def creation_enabled() -> tuple[bool, str]:
    """(on, why not): an operator's switch in the admin, on when nobody ever set it."""
    flag = _FLAG.first(name=FeatureFlag.IDENTITY_CREATION)
    if flag is None or flag.enabled:
        return True, ""
    return False, flag.message or CREATION_OFF_MESSAGE


# Read on every create: compiled once per connection (config.prepared).
_FLAG = PreparedRead(
    lambda name: FeatureFlag.objects.filter(name=name).order_by(),
    name=FeatureFlag._meta.get_field("name"),
)


def draft_identity(*, draft: Draft) -> Identity | None:
    """The live identity `draft` was promoted to, if any (a hidden failed one does not count)."""
    return Identity.objects.filter(LIVE, source_draft=draft).first()


def draft_identity_codes(*, drafts: Iterable[Draft]) -> dict[int, str]:
    """Draft id → the code of the live identity it became, for those promoted."""
    return dict(
        Identity.objects.filter(LIVE, source_draft__in=drafts).values_list(
            "source_draft_id", "code"
        )
    )
