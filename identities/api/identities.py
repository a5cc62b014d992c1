"""Promotion and the identity library: promote, list, detail, status, delete."""

from datetime import datetime
from typing import Literal

from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from ninja import Query, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import Field

from catalog.rules import CATALOG_TIERS, identity_is_locked
from config.api.body import json_object
from config.api.errors import ApiError, FieldError
from config.api.idempotency import OPENAPI_PARAMETER, idempotent
from config.api.openapi import json_request_body
from identities.ages import MAX_AGE, MIN_AGE
from identities.media import private_url
from identities.models import Identity
from identities.selectors import (
    IdentityFilters,
    draft_get_for,
    identity_get_for,
    identity_list_for,
    identity_owned_by,
)
from identities.services.library import identity_delete
from identities.services.promotion import identity_promote

router = Router(tags=["identities"])

MAX_PAGE = 1_000_000


class PromoteOut(Schema):
    identity_code: str
    preprocessing_job_id: str
    status: str
    message: str


class IdentityOut(Schema):
    identity_code: str
    name: str
    preprocessing_status: str
    link: str | None
    thumbnail: str | None
    created_at: datetime
    locked: bool
    tier: str | None
    ownership: str
    gender: str | None
    age: int | None


class IdentityDetailOut(IdentityOut):
    brief: dict
    engine: str | None
    seed: int | None
    creation_job_id: str | None
    image_result_id: int | None
    preprocessing_error: str | None


class PaginationOut(Schema):
    page: int
    per_page: int
    total: int
    pages: int
    has_next: bool
    has_prev: bool


class IdentityListOut(Schema):
    identities: list[IdentityOut]
    pagination: PaginationOut


class IdentityStatusOut(Schema):
    preprocessing_status: str
    error_message: str | None


class ListParams(Schema):
    # Bounded: an absurd page number is the caller's mistake, answered as one.
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(20, ge=1, le=100)
    search: str = Field("", max_length=120)
    sort_by: Literal["name", "created_at"] = "created_at"
    order: Literal["asc", "desc"] = "desc"
    ownership: Literal["mine", "shared", "default", "all"] | None = Field(
        None,
        description=(
            "Omitted: everything you can use, your own identities first, then the catalog your "
            "plan unlocks. `mine`: your own. `shared` or `default`: the catalog. `all`: both, "
            "in the requested order."
        ),
    )
    include_locked: bool = False
    gender: str = Field("", max_length=32)
    min_age: int | None = Field(None, ge=MIN_AGE, le=MAX_AGE)
    max_age: int | None = Field(None, ge=MIN_AGE, le=MAX_AGE)
    tier: Literal[CATALOG_TIERS] | None = None  # type: ignore[valid-type]


def identity_summary(identity: Identity, *, account, request) -> dict:
    return {
        "identity_code": identity.code,
        "name": identity.name,
        "preprocessing_status": identity.preprocessing_status,
        "link": private_url(identity.portrait.name, request=request) or None,
        "thumbnail": private_url(identity.thumbnail.name, request=request) or None,
        "created_at": identity.created_at,
        "locked": identity_is_locked(identity=identity, account=account),
        "tier": identity.tier or None,
        "ownership": "catalog" if identity.is_catalog else "mine",
        "gender": identity.gender or None,
        "age": identity.age,
    }


@router.post(
    "/identity/promote-generated",
    response={201: PromoteOut},
    summary="Promote a draft",
    # The pages ask before promoting a face that looks like one of the workspace's identities;
    # the API keeps the seed's contract (no extra step, no extra field).
    description=(
        "Promotes the draft as the seed specifies. The web app's look-alike check (a face the "
        "recogniser scores at or above the calibrated same-person threshold against one of the "
        "workspace's identities is shown beside it before the user confirms) neither blocks nor "
        "changes this call."
    ),
    openapi_extra={
        "parameters": [OPENAPI_PARAMETER],
        **json_request_body(
            {
                "type": "object",
                "title": "PromoteIn",
                "required": ["image_result_id"],
                "additionalProperties": False,
                "properties": {
                    "image_result_id": {"type": "integer", "description": "The draft's id."},
                    "name": {
                        "type": ["string", "null"],
                        "description": "The identity's name; a generated one when omitted.",
                    },
                },
            }
        ),
    },
)
@decorate_view(idempotent)
def promote_generated(request):
    data = json_object(request)
    problems = []
    draft_id = data.get("image_result_id")
    if isinstance(draft_id, bool) or not isinstance(draft_id, int):
        problems.append(FieldError("image_result_id", "Required: the draft's integer id."))
    name = data.get("name")
    if name is not None and not isinstance(name, str):
        problems.append(FieldError("name", "Must be a string."))
    unknown = sorted(set(data) - {"image_result_id", "name"})
    problems += [
        FieldError(key, "Unknown field; allowed: image_result_id, name.") for key in unknown
    ]
    if problems:
        raise ApiError(status=400, error="Validation error", detail=problems)
    try:
        draft = draft_get_for(account=request.account, draft_id=draft_id)
    except Http404:
        missing = FieldError("image_result_id", "No draft with this id in your workspace.")
        raise ApiError(status=404, error="Not found", detail=[missing]) from None
    identity, job = identity_promote(draft=draft, user=request.api_token.created_by, name=name)
    return Status(
        201,
        {
            "identity_code": identity.code,
            "preprocessing_job_id": job.public_id,
            "status": "pending",
            "message": "Identity promoted; preprocessing dispatched.",
        },
    )


@router.get("/identities", response=IdentityListOut, summary="List identities")
def identity_list(request, params: Query[ListParams]):
    if (
        params.min_age is not None
        and params.max_age is not None
        and params.min_age > params.max_age
    ):
        raise ApiError(
            status=400,
            error="Validation error",
            detail=[FieldError("min_age", "min_age is above max_age.", "query")],
        )
    # The reference API calls the catalog "default"; omitted means all the caller can use.
    ownership = {None: "all", "default": None}.get(params.ownership, params.ownership)
    filters = IdentityFilters(
        ownership=ownership,
        include_locked=params.include_locked,
        search=params.search.strip(),
        gender=params.gender.strip(),
        min_age=params.min_age,
        max_age=params.max_age,
        tier=params.tier or "",
        sort_by=params.sort_by,
        order=params.order,
    )
    queryset = identity_list_for(account=request.account, filters=filters)
    if params.ownership is None:
        # Own identities (the caller's account) before catalog ones (no account).
        queryset = queryset.order_by(F("account").asc(nulls_last=True), *queryset.query.order_by)
    paginator = Paginator(queryset, params.per_page)
    page = paginator.get_page(params.page)
    return {
        "identities": [identity_summary(i, account=request.account, request=request) for i in page],
        "pagination": {
            "page": page.number,
            "per_page": params.per_page,
            "total": paginator.count,
            "pages": paginator.num_pages,
            "has_next": page.has_next(),
            "has_prev": page.has_previous(),
        },
    }


@router.get("/identities/{code}", response=IdentityDetailOut, summary="An identity")
def identity_detail(request, code: str):
    identity = identity_get_for(account=request.account, code=code)
    own = not identity.is_catalog
    job = identity.creation_job if own else None
    return {
        **identity_summary(identity, account=request.account, request=request),
        "brief": identity.brief,
        "engine": identity.engine or None,
        "seed": identity.seed if own else None,
        "creation_job_id": job.public_id if job else None,
        "image_result_id": identity.source_draft_id if own else None,
        "preprocessing_error": identity.preprocessing_error or None,
    }


@router.get("/identities/{code}/status", response=IdentityStatusOut, summary="Preprocessing status")
def identity_status(request, code: str):
    identity = identity_get_for(account=request.account, code=code)
    return {
        "preprocessing_status": identity.preprocessing_status,
        "error_message": identity.preprocessing_error or None,
    }


@router.delete("/identities/{code}", response={204: None}, summary="Delete an identity")
def identity_remove(request, code: str):
    identity_delete(identity=identity_owned_by(account=request.account, code=code))
    return Status(204, None)
