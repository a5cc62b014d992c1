"""Uploaded reference images: one-step (multipart) and the seed's two-step form."""

import os

from django.conf import settings
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
from identities.services.rate_limits import rate_limit_check

_UPLOAD_SALT = "castless.upload"
UPLOAD_URL_TTL_SECONDS = 3600
_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}


def _bad(field: str, message: str) -> InvalidInput:
    return InvalidInput([FieldError(field, message)], summary="Invalid upload")


def _clean_filename(filename: str) -> str:
    name = os.path.basename((filename or "").strip().replace("\\", "/"))[:200]
    if not name:
        raise _bad("filename", "A file name is required.")
    if any(char < " " or char == "\x7f" for char in name):
        # NUL cannot be stored on PostgreSQL; no control character belongs in a file name.
        raise _bad("filename", "The file name contains a control character.")
    if any("\ud800" <= char <= "\udfff" for char in name):
        # Not text: the database cannot store it as UTF-8.
        raise _bad("filename", "The file name contains an unpaired surrogate character.")
    if os.path.splitext(name)[1].lower() not in _EXTENSIONS:
        raise _bad("filename", "Only .jpg, .jpeg, .png and .webp images are accepted.")
    return name


def _rate_limit(account) -> None:
    # Counted from the rows: a started two-step upload counts as much as a finished one.
    rate_limit_check(
        recent=UploadedAsset.objects.filter(account=account),
        per_minute=settings.CASTLESS_UPLOAD_PER_MINUTE,
        what="uploads",
    )


def _encode(asset: UploadedAsset, data: bytes, *, field: str) -> tuple[str, bytes, tuple]:
    """(kept format, re-encoded bytes, size): all the checking, before anything is written."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise _bad(field, f"The file is larger than {MAX_UPLOAD_MEGABYTES} MB.")
    try:
        image = load_image(data, max_pixels=MAX_UPLOAD_PIXELS)
    except ImageError as error:
        raise _bad(field, str(error)) from None
    # Re-encoded: no EXIF/GPS of the photographer's camera is ever kept.
    kept_format = "png" if asset.filename.lower().endswith(".png") else "jpg"
    return kept_format, reencode(image, kept_format), image.size


def _write(asset: UploadedAsset, kept_format: str, encoded: bytes, size: tuple) -> UploadedAsset:
    asset.file.save(f"{asset.file_id}.{kept_format}", ContentFile(encoded), save=False)
    try:
        asset.content_type = "image/png" if kept_format == "png" else "image/jpeg"
        asset.width, asset.height = size
        asset.size_bytes = len(encoded)
        asset.status = UploadedAsset.READY
        asset.save()
    except BaseException:
        # The row never pointed at the file: leave no file the database does not know.
        asset.file.storage.delete(asset.file.name)
        raise
    return asset


def _store(asset: UploadedAsset, data: bytes, *, field: str) -> UploadedAsset:
    return _write(asset, *_encode(asset, data, field=field))


@transaction.atomic
def asset_upload(*, account, user, filename: str, data: bytes) -> UploadedAsset:
    """One step: the bytes arrive with the request."""
    _rate_limit(account)
    asset = UploadedAsset(account=account, uploaded_by=user, filename=_clean_filename(filename))
    return _store(asset, data, field="file")


def asset_upload_start(*, account, user, filename: str) -> UploadedAsset:
    """The seed's first step: reserve a file_id; the bytes follow with PUT to upload_url."""
    name = _clean_filename(filename)
    _rate_limit(account)
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


def _already_uploaded() -> AlreadyUploaded:
    return AlreadyUploaded(
        problems=[FieldError("file_id", "Start a new upload for a new image.", "path")]
    )


def asset_upload_complete(*, asset: UploadedAsset, data: bytes) -> UploadedAsset:
    """The second step. An upload URL may be replayed concurrently: the bytes are checked
    without a lock, then the row is locked and must still be pending, so exactly one PUT
    writes a file and the others are AlreadyUploaded (they wait for the winner's commit)."""
    if asset.status == UploadedAsset.READY:
        raise _already_uploaded()
    encoded = _encode(asset, data, field="body")
    with transaction.atomic():
        locked = (
            UploadedAsset.objects.select_for_update()
            .filter(pk=asset.pk, status=UploadedAsset.PENDING, deleted_at__isnull=True)
            .first()
        )
        if locked is None:
            raise _already_uploaded()
        return _write(locked, *encoded)
