"""POST /preset/extract-from-image (the seed's) and /preset/extract-from-text (ours): a brief,
as instruction_data, from a reference photo or a paragraph."""

from typing import Any

from ninja import Router, Schema

from config.api.body import json_object
from config.api.errors import ApiError, FieldError
from config.api.openapi import json_request_body
from identities.selectors import asset_get_for
from identities.services.extraction import (
    TEXT_MAX_CHARS,
    BriefReading,
    brief_extract_from_image,
    brief_extract_from_text,
)

router = Router(tags=["presets"])

EXTRACT_TYPES = ("identity_creation",)


class ExtractOut(Schema):
    instruction_data: dict[str, Any]
    suggested_name: str
    suggested_description: str
    confidence: dict[str, float]
    not_read: dict[str, str]
    notes: list[str]
    source: str
    credits_charged: int


class ExtractImageOut(ExtractOut):
    file_id: str


class ExtractTextOut(ExtractOut):
    unplaced_text: str


def _body(reading: BriefReading) -> dict:
    return {
        "instruction_data": reading.instruction_data,
        "suggested_name": reading.suggested_name,
        "suggested_description": reading.suggested_description,
        "confidence": reading.confidence,
        "not_read": reading.not_read,
        "notes": reading.notes,
        "source": reading.source,
        "credits_charged": reading.credits_charged,
    }


def _invalid(*problems: FieldError) -> ApiError:
    return ApiError(status=400, error="Validation error", detail=list(problems))


@router.post(
    "/preset/extract-from-image",
    response={200: ExtractImageOut},
    summary="Fill a brief from a reference photo",
    openapi_extra=json_request_body(
        {
            "type": "object",
            "title": "ExtractImageIn",
            "required": ["file_id", "type"],
            "properties": {
                "file_id": {"type": "string", "minLength": 1, "description": "From /upload."},
                "type": {"type": "string", "enum": sorted(EXTRACT_TYPES)},
            },
        }
    ),
    description=(
        'Body: {"file_id": "<uploaded image>", "type": "identity_creation"}. Reads the subject '
        "only (never clothing, background or props); fields it cannot read reliably stay "
        "empty and are listed in not_read. Charges its own credits (ledger: Extract from "
        "image); a photo with no face is refused without charge."
    ),
)
def extract_from_image(request):
    data = json_object(request)
    problems = []
    if data.get("type") not in EXTRACT_TYPES:
        problems.append(FieldError("type", 'Must be "identity_creation".'))
    file_id = data.get("file_id")
    if not isinstance(file_id, str) or not file_id.strip():
        problems.append(FieldError("file_id", "Required: the uploaded image's file_id."))
    if problems:
        raise _invalid(*problems)
    asset = asset_get_for(account=request.account, file_id=file_id.strip())
    reading = brief_extract_from_image(
        account=request.account, user=request.api_token.created_by, asset=asset
    )
    return {**_body(reading), "file_id": str(asset.file_id)}


@router.post(
    "/preset/extract-from-text",
    response={200: ExtractTextOut},
    summary="Fill a brief from a paragraph",
    openapi_extra=json_request_body(
        {
            "type": "object",
            "title": "ExtractTextIn",
            "required": ["text"],
            "properties": {
                "text": {"type": "string", "maxLength": TEXT_MAX_CHARS, "pattern": "\\S"}
            },
        }
    ),
    description=(
        f'Body: {{"text": "…"}}, at most {TEXT_MAX_CHARS:,} characters. Returns the same '
        "instruction_data as extract-from-image, plus unplaced_text: what no field could hold "
        "(keep the paragraph as an expert prompt to use it)."
    ),
)
def extract_from_text(request):
    data = json_object(request)
    text = data.get("text")
    if not isinstance(text, str):
        raise _invalid(FieldError("text", "Required: the paragraph, as a string."))
    reading = brief_extract_from_text(
        account=request.account, user=request.api_token.created_by, text=text
    )
    return {**_body(reading), "unplaced_text": reading.unplaced_text}
