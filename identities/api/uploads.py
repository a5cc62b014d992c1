"""POST /upload: one step (multipart `file`) or the seed's two steps ({filename} then PUT)."""

from datetime import datetime

from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from config.api.body import json_object
from config.api.errors import ApiError, FieldError
from identities.imaging import MAX_UPLOAD_BYTES, MAX_UPLOAD_MEGABYTES
from identities.services.uploads import (
    asset_for_upload_token,
    asset_upload,
    asset_upload_complete,
    asset_upload_start,
    asset_upload_url,
)

router = Router(tags=["uploads"])

# What the upload service accepts, for schema-driven clients: a base name (after any folder)
# that does not start with a dot or a space, no control characters, an image extension.
_PLAIN = r"[^\x00-\x1f\x7f/\\]"
FILENAME_PATTERN = (
    rf"^(?:[^\x00-\x1f\x7f]*[/\\])?[^\x00-\x1f\x7f/\\.\s]{_PLAIN}*"
    r"\.(?:[jJ][pP][eE]?[gG]|[pP][nN][gG]|[wW][eE][bB][pP])$"
)


class UploadStartOut(Schema):
    file_id: str
    upload_url: str
    content_type: str


class AssetOut(Schema):
    file_id: str
    filename: str
    content_type: str
    width: int
    height: int
    size_bytes: int
    created_at: datetime


def _asset(asset) -> dict:
    return {
        "file_id": str(asset.file_id),
        "filename": asset.filename,
        "content_type": asset.content_type,
        "width": asset.width,
        "height": asset.height,
        "size_bytes": asset.size_bytes,
        "created_at": asset.created_at,
    }


def _content_type_for(filename: str) -> str:
    lowered = filename.lower()
    if lowered.endswith(".png"):
        return "image/png"
    if lowered.endswith(".webp"):
        return "image/webp"
    return "image/jpeg"


@router.post(
    "/upload",
    response={200: UploadStartOut, 201: AssetOut},
    summary="Upload a reference image (multipart, or two-step)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "title": "UploadFileIn",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
                "application/json": {
                    "schema": {
                        "type": "object",
                        "title": "UploadStartIn",
                        "required": ["filename"],
                        "properties": {
                            "filename": {
                                "type": "string",
                                "maxLength": 200,
                                "pattern": FILENAME_PATTERN,
                                "description": "Ends in .jpg, .jpeg, .png or .webp.",
                            }
                        },
                    }
                },
            },
        }
    },
)
def upload(request, file: File[UploadedFile] = None):
    if file is not None:
        if file.size > MAX_UPLOAD_BYTES:
            raise ApiError(
                status=400,
                error="Invalid upload",
                detail=[FieldError("file", f"At most {MAX_UPLOAD_MEGABYTES} MB.")],
            )
        asset = asset_upload(
            account=request.account,
            user=request.api_token.created_by,
            filename=file.name or "",
            data=file.read(),
        )
        return Status(201, _asset(asset))
    if request.content_type == "multipart/form-data":
        raise ApiError(
            status=400,
            error="Invalid upload",
            detail=[FieldError("file", "Send the image in a multipart field named `file`.")],
        )
    data = json_object(request)
    filename = data.get("filename")
    if not isinstance(filename, str):
        raise ApiError(
            status=400,
            error="Validation error",
            detail=[FieldError("filename", "Required: the image's file name.")],
        )
    asset = asset_upload_start(
        account=request.account, user=request.api_token.created_by, filename=filename
    )
    return Status(
        200,
        {
            "file_id": str(asset.file_id),
            "upload_url": asset_upload_url(asset=asset, request=request),
            "content_type": _content_type_for(asset.filename),
        },
    )


@router.put(
    "/upload/content/{token}",
    auth=None,
    response={201: AssetOut},
    url_name="asset_upload_content",
    summary="Second step of a two-step upload: PUT the bytes to upload_url",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                kind: {"schema": {"type": "string", "format": "binary"}}
                for kind in ("image/jpeg", "image/png", "image/webp")
            },
        }
    },
)
def upload_content(request, token: str):
    asset = asset_for_upload_token(token=token)
    return Status(201, _asset(asset_upload_complete(asset=asset, data=request.body)))
