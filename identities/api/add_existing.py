"""Bring an existing model: the consent statements, and adding a real person's two photos."""

from django.http import Http404
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view

from accounts.throttle import client_address
from config.api.body import json_object
from config.api.errors import ApiError, FieldError
from config.api.idempotency import OPENAPI_PARAMETER, idempotent
from config.api.openapi import json_request_body
from identities.consent import STATEMENTS, VERSION, consent_catalogue
from identities.names import NAME_MAX_LENGTH
from identities.selectors import asset_get_for
from identities.services.add_existing import (
    GENDERS,
    existing_model_add,
    existing_models_require,
)

router = Router(tags=["identities"])

FIELDS = {"name", "gender", "close_up", "full_body", "consent"}


class StatementOut(Schema):
    key: str
    text: str


class StatementsOut(Schema):
    version: str
    statements: list[StatementOut]


class AddExistingOut(Schema):
    identity_code: str
    preprocessing_job_id: str
    status: str
    message: str


def _photo_schema(what: str) -> dict:
    return {
        "type": "object",
        "required": ["file_id"],
        "additionalProperties": False,
        "properties": {
            "file_id": {
                "type": "string",
                "format": "uuid",
                "description": f"The {what}: an upload of this workspace (POST /upload).",
            }
        },
    }


ADD_EXISTING_BODY = {
    "type": "object",
    "title": "AddExistingIn",
    "required": sorted(FIELDS),
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": NAME_MAX_LENGTH},
        "gender": {"type": "string", "enum": list(GENDERS)},
        "close_up": _photo_schema("close-up: exactly one face, at least 112 px wide"),
        "full_body": _photo_schema("full-body shot: one person, face visible"),
        "consent": {
            "type": "object",
            "required": ["version", "accepted"],
            "additionalProperties": False,
            "description": "Every statement of GET /identity/consent-statements, accepted.",
            "properties": {
                "version": {"type": "string", "enum": [VERSION]},
                # Unique keys of the catalogue, as many as it has: all of them.
                "accepted": {
                    "type": "array",
                    "items": {"type": "string", "enum": [item.key for item in STATEMENTS]},
                    "uniqueItems": True,
                    "minItems": len(STATEMENTS),
                },
            },
        },
    },
}


@router.get(
    "/identity/consent-statements",
    response=StatementsOut,
    summary="The compliance statements for an existing model",
)
def consent_statements(request):
    return consent_catalogue()


def _file_id(data: dict, field: str, problems: list) -> str | None:
    value = data.get(field)
    if not isinstance(value, dict) or not isinstance(value.get("file_id"), str):
        problems.append(FieldError(f"{field}.file_id", "Required: an upload's file_id."))
        return None
    return value["file_id"]


def _asset(request, field: str, file_id: str):
    try:
        return asset_get_for(account=request.account, file_id=file_id)
    except Http404:
        missing = FieldError(f"{field}.file_id", "No upload with this file_id in your workspace.")
        raise ApiError(status=404, error="Not found", detail=[missing]) from None


def _read_body(data: dict) -> tuple[dict, list]:
    problems = [
        FieldError(key, f"Unknown field; allowed: {', '.join(sorted(FIELDS))}.")
        for key in sorted(set(data) - FIELDS)
    ]
    for key in ("name", "gender"):
        if not isinstance(data.get(key), str):
            problems.append(FieldError(key, "Required: a string."))
    ids = {field: _file_id(data, field, problems) for field in ("close_up", "full_body")}
    consent = data.get("consent")
    if not isinstance(consent, dict):
        problems.append(FieldError("consent", "Required: {version, accepted}."))
        consent = {}
    return {"ids": ids, "consent": consent}, problems


@router.post(
    "/identity/add-existing",
    response={201: AddExistingOut},
    summary="Add an existing model (a real person, with consent)",
    description=(
        "Pro and Enterprise. Both photos are checked (one face each, the same person, an "
        "adult: anyone who looks under the safety margin is refused, with no override), every "
        "statement must be accepted, and the name follows the library's name rule. Costs and "
        "slots as a promotion; preprocessing and notifications follow as for a promoted draft."
    ),
    openapi_extra={"parameters": [OPENAPI_PARAMETER], **json_request_body(ADD_EXISTING_BODY)},
)
@decorate_view(idempotent)
def add_existing(request):
    existing_models_require(account=request.account)
    data = json_object(request)
    parsed, problems = _read_body(data)
    if problems:
        raise ApiError(status=400, error="Validation error", detail=problems)
    user = request.api_token.created_by
    if user is None:
        # Consent is given by a person: a token whose creator is gone has nobody to give it.
        nobody = FieldError("Authorization", "Use a token of a current member.", "header")
        raise ApiError(status=403, error="No person behind this token", detail=[nobody])
    close_up = _asset(request, "close_up", parsed["ids"]["close_up"])
    full_body = _asset(request, "full_body", parsed["ids"]["full_body"])
    identity, job = existing_model_add(
        account=request.account,
        user=user,
        name=data["name"],
        gender=data["gender"],
        close_up=close_up,
        full_body=full_body,
        consent_version=parsed["consent"].get("version"),
        accepted=parsed["consent"].get("accepted"),
        ip_address=client_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    return Status(
        201,
        {
            "identity_code": identity.code,
            "preprocessing_job_id": job.public_id,
            "status": "pending",
            "message": "Existing model added; preprocessing dispatched.",
        },
    )
