"""POST /identity/create, GET /jobs/{job_id} (and /status), GET /jobs/{job_id}/results."""

from datetime import datetime

from ninja import Router, Schema, Status
from ninja.decorators import decorate_view

from config.api.body import json_body
from config.api.idempotency import OPENAPI_PARAMETER, idempotent
from identities.briefs.schema import CreationRequestIn
from identities.briefs.validation import validate_creation_request
from identities.media import private_url
from identities.models import Job
from identities.selectors import job_drafts, job_get_for, job_progress, job_status_get_for
from identities.services.jobs import job_create

router = Router(tags=["identity creation"])

# The brief's text rule (no control characters; a prompt may hold line breaks and tabs),
# written into the document so that what it calls valid is accepted.
_SINGLE_LINE = "^[^\\x00-\\x1f\\x7f-\\x9f]*$"
_MULTILINE = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"


def _text_rule(node, name: str = ""):
    if isinstance(node, dict):
        if node.get("type") == "string" and "enum" not in node and "pattern" not in node:
            node["pattern"] = _MULTILINE if name == "prompt" else _SINGLE_LINE
        for key, value in node.items():
            # A property's own name travels down to its schema (also through anyOf).
            _text_rule(value, name if key in ("anyOf", "items") else key)
    elif isinstance(node, list):
        for item in node:
            _text_rule(item, name)
    return node


def _creation_request_schema() -> dict:
    return _text_rule(CreationRequestIn.model_json_schema())


class CreateOut(Schema):
    job_id: str
    status: str
    num_instructions: int
    total_variations: int
    message: str


class JobStatusOut(Schema):
    job_id: str
    job_type: str
    status: str
    progress: int
    total_images: int
    processed_images: int
    error_message: str | None
    identity_code: str | None
    created_at: datetime
    updated_at: datetime


class DraftOut(Schema):
    image_index: int
    image_result_id: int
    url: str | None
    status: str
    engine: str
    error_message: str | None = None


class ResultsOut(Schema):
    job_id: str
    job_type: str
    status: str
    results: list[DraftOut]


@router.post(
    "/identity/create",
    response={202: CreateOut},
    summary="Submit a creation job",
    openapi_extra={
        "parameters": [OPENAPI_PARAMETER],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _creation_request_schema()}},
        },
    },
)
@decorate_view(idempotent)
def identity_create(request):
    creation = validate_creation_request(json_body(request))
    job = job_create(account=request.account, user=request.api_token.created_by, request=creation)
    count = len(creation.instructions)
    total = creation.total_variations
    return Status(
        202,
        {
            "job_id": job.public_id,
            "status": job.status,
            "num_instructions": count,
            "total_variations": total,
            "message": (
                f"Identity creation job dispatched: {count} instruction(s), "
                f"{total} total variation(s)"
            ),
        },
    )


def _status(job: Job) -> dict:
    progress = job_progress(job=job)
    identity_code = job.identity_code if job.job_type == Job.PREPROCESSING else None
    return {
        "job_id": job.public_id,
        "job_type": job.job_type,
        "status": job.status,
        "progress": progress["percent"],
        "total_images": progress["total"],
        "processed_images": progress["processed"],
        "error_message": job.error_message or None,
        "identity_code": identity_code,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
    }


@router.get("/jobs/{job_id}", response=JobStatusOut, summary="Job status")
def job_status(request, job_id: str):
    return _status(job_status_get_for(account=request.account, job_id=job_id))


@router.get("/jobs/{job_id}/status", response=JobStatusOut, summary="Job status (alias)")
def job_status_alias(request, job_id: str):
    return _status(job_status_get_for(account=request.account, job_id=job_id))


@router.get(
    "/jobs/{job_id}/results", response=ResultsOut, summary="Draft results, partial while running"
)
def job_results(request, job_id: str):
    job = job_get_for(account=request.account, job_id=job_id)
    results = [
        {
            "image_index": draft.image_index,
            "image_result_id": draft.pk,
            "url": private_url(draft.image.name, request=request) or None,
            "status": draft.status,
            "engine": draft.engine,
            "error_message": draft.error_message or None,
        }
        for draft in job_drafts(job=job)
    ]
    return {
        "job_id": job.public_id,
        "job_type": job.job_type,
        "status": job.status,
        "results": results,
    }
