"""POST /verify: any JPEG or PNG's content credentials, as facts and in plain words."""

from datetime import datetime

from ninja import File, Router, Schema
from ninja.files import UploadedFile

from config.api.errors import ApiError, FieldError
from identities.imaging import MAX_UPLOAD_BYTES, MAX_UPLOAD_MEGABYTES
from identities.provenance import UnsupportedImage, verify_image
from identities.provenance.words import (
    verification_explanation,
    verification_facts,
    verification_headline,
)

router = Router(tags=["content credentials"])


class FactOut(Schema):
    label: str
    value: str


class VerificationOut(Schema):
    state: str
    headline: str
    explanation: str
    facts: list[FactOut]
    has_manifest: bool
    product: str | None
    created_at: datetime | None
    timestamped: bool
    engine: str | None
    job_code: str | None
    identity_code: str | None
    digital_source_type: str | None
    signer: str | None
    issuer: str | None
    ingredients: list[str]
    failures: list[str]


def _invalid(message: str) -> ApiError:
    return ApiError(status=400, error="Invalid image", detail=[FieldError("file", message)])


@router.post(
    "/verify",
    response={200: VerificationOut},
    summary="Read an image's C2PA content credentials",
    description=(
        "Upload any JPEG or PNG (multipart field `file`); it is read in memory and never "
        "stored. `state` is `valid` (signed by a trusted certificate, unchanged), `untrusted` "
        "(signature intact, certificate not trusted here: e.g. the development chain), "
        "`tampered` (the image or its credentials changed after signing) or `none` (no "
        "credentials). `facts` says what the credentials claim in plain words: the product, "
        "when, the engine, the job, the identity."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "title": "VerifyIn",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                }
            },
        }
    },
)
def verify(request, file: File[UploadedFile] = None):
    if file is None:
        raise _invalid("Send the image in a multipart field named `file`.")
    if file.size > MAX_UPLOAD_BYTES:
        raise _invalid(f"At most {MAX_UPLOAD_MEGABYTES} MB.")
    try:
        verification = verify_image(data=file.read())
    except UnsupportedImage as error:
        raise _invalid(str(error)) from None
    return {
        **verification.as_dict(),
        "created_at": verification.created_at,
        "headline": verification_headline(verification),
        "explanation": verification_explanation(verification),
        "facts": [{"label": f.label, "value": f.value} for f in verification_facts(verification)],
    }
