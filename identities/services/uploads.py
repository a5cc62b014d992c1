"""Uploaded reference images: one-step (multipart) and the seed's two-step form."""

import os

from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from config.refusals import AlreadyUploaded, FieldError, InvalidInput, LinkExpired, NotFound
from identities.imaging import (
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_MEGABYTES,
    MAX_UPLOAD_PIXELS,
    ImageError,
    load_image,
    reencode,
)
from identities.models import UploadedAsset

_UPLOAD_SALT = "castless.upload"
UPLOAD_URL_TTL_SECONDS = 3600
_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}


def _bad(field: str, message: str) -> InvalidInput:
    return InvalidInput([FieldError(field, message)], summary="Invalid upload")


def _clean_filename(filename: str) -> str:
    name = os.path.basename((filename or "").strip().replace("\\", "/"))[:200]
    if not name:
        raise _bad("filename", "A file name is required.")
    if os.path.splitext(name)[1].lower() not in _EXTENSIONS:
        raise _bad("filename", "Only .jpg, .jpeg, .png and .webp images are accepted.")
    return name


def _store(asset: UploadedAsset, data: bytes, *, field: str) -> UploadedAsset:
    if len(data) > MAX_UPLOAD_BYTES:
        raise _bad(field, f"The file is larger than {MAX_UPLOAD_MEGABYTES} MB.")
    try:
        image = load_image(data, max_pixels=MAX_UPLOAD_PIXELS)
    except ImageError as error:
        raise _bad(field, str(error)) from None
    # Re-encoded: no EXIF/GPS of the photographer's camera is ever kept.
    kept_format = "png" if asset.filename.lower().endswith(".png") else "jpg"
    encoded = reencode(image, kept_format)
    asset.file.save(f"{asset.file_id}.{kept_format}", ContentFile(encoded), save=False)
    asset.content_type = "image/png" if kept_format == "png" else "image/jpeg"
    asset.width, asset.height = image.size
    asset.size_bytes = len(encoded)
    asset.status = UploadedAsset.READY
    asset.save()
    return asset


@transaction.atomic
def asset_upload(*, account, user, filename: str, data: bytes) -> UploadedAsset:
    """One step: the bytes arrive with the request."""
    asset = UploadedAsset(account=account, uploaded_by=user, filename=_clean_filename(filename))
    return _store(asset, data, field="file")


def asset_upload_start(*, account, user, filename: str) -> UploadedAsset:
    """The seed's first step: reserve a file_id; the bytes follow with PUT to upload_url."""
    name = _clean_filename(filename)
    return UploadedAsset.objects.create(account=account, uploaded_by=user, filename=name)


def asset_upload_url(*, asset: UploadedAsset, request) -> str:
    token = signing.dumps(str(asset.file_id), salt=_UPLOAD_SALT)
    path = reverse("api:asset_upload_content", kwargs={"token": token})
    return request.build_absolute_uri(path)


def asset_for_upload_token(*, token: str) -> UploadedAsset:
    try:
        file_id = signing.loads(token, salt=_UPLOAD_SALT, max_age=UPLOAD_URL_TTL_SECONDS)
    except signing.BadSignature:
        raise LinkExpired() from None
    asset = UploadedAsset.objects.filter(file_id=file_id, deleted_at__isnull=True).first()
    if asset is None:
        raise NotFound()
    return asset


@transaction.atomic
def asset_upload_complete(*, asset: UploadedAsset, data: bytes) -> UploadedAsset:
    if asset.status == UploadedAsset.READY:
        raise AlreadyUploaded(
            problems=[FieldError("file_id", "Start a new upload for a new image.", "path")]
        )
    return _store(asset, data, field="body")
