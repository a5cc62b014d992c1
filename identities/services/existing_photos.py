"""The photo checks of an existing model (issue 14): one face, the same person, an adult.

Read-only and run before anything is written or locked: detection, embedding and the age
network take a few hundred milliseconds for both photos, which is what a user waits for on the
review step anyway. Each check refuses with `InvalidInput` on the photo that failed
(``close_up.file_id`` or ``full_body.file_id``) in words a person can act on.

What "one person whose face is visible" can mean here: the detector finds faces, not bodies,
so a full-body shot passes with exactly one face large enough to compare; a second person
whose face is hidden cannot be seen by it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from django.core.files.storage import default_storage

from config.refusals import FieldError, InvalidInput
from identities.faces import get_face_analyzer
from identities.faces.adult import (
    ADULT_MARGIN_YEARS,
    AgeEstimate,
    adult_estimate,
)
from identities.faces.adult import (
    MIN_FACE_PX as AGE_MIN_FACE_PX,
)
from identities.faces.similarity import SAME_PERSON, cosine
from identities.imaging import ImageError, load_image
from identities.lookalikes import Lookalike, account_lookalikes
from identities.models import UploadedAsset

# SFace reads a 112 px aligned crop: a smaller close-up face is upscaled into guesses.
CLOSE_UP_MIN_FACE_PX = 112
# The face in a full-body shot is small by nature; under this the embedding stops being stable.
FULL_BODY_MIN_FACE_PX = 40
# Look-alikes shown on the review step start at a resemblance, below the same-person line.
LOOKALIKE_SHOWN_FROM = 0.45


@dataclass(frozen=True)
class PhotoReading:
    asset: UploadedAsset
    data: bytes
    sha256: str
    embedding: np.ndarray
    age: AgeEstimate | None  # None: the face is too small for the age network
    face_width: float


@dataclass(frozen=True)
class PhotoReview:
    close_up: PhotoReading
    full_body: PhotoReading
    similarity: float
    age: AgeEstimate
    lookalikes: list[Lookalike]
    embedding_model: str


def _refuse(field: str, message: str) -> InvalidInput:
    return InvalidInput([FieldError(f"{field}.file_id", message)], summary="Photo refused")


def _read(asset: UploadedAsset, *, field: str, what: str, min_face: int) -> PhotoReading:
    if asset.status != UploadedAsset.READY or not asset.file:
        raise _refuse(field, f"The {what} has not finished uploading.")
    with default_storage.open(asset.file.name, "rb") as handle:
        data = handle.read()
    try:
        image = load_image(data)
    except ImageError as error:
        raise _refuse(field, f"The {what} cannot be read: {error}") from None
    analyzer = get_face_analyzer()
    faces = analyzer.detect(image)
    if not faces:
        raise _refuse(field, f"No face found in the {what}. The face must be clearly visible.")
    if len(faces) > 1:
        raise _refuse(field, f"The {what} shows {len(faces)} faces; it must show only the model.")
    face = faces[0]
    if face.width < min_face:
        raise _refuse(
            field,
            f"The face in the {what} is {face.width:.0f} px wide; at least {min_face} px is "
            "needed. Use a larger or closer photo.",
        )
    embedding = analyzer.embed(image, face)
    if embedding is None:
        raise _refuse(field, "Face recognition is not installed on this server.")
    rgb = np.asarray(image.convert("RGB"))
    age = adult_estimate(rgb, face=face) if face.width >= AGE_MIN_FACE_PX else None
    return PhotoReading(
        asset=asset,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        embedding=embedding,
        age=age,
        face_width=face.width,
    )


def _youngest(close_up: PhotoReading, full_body: PhotoReading) -> AgeEstimate:
    readings = [item.age for item in (close_up, full_body) if item.age is not None]
    return min(readings, key=lambda estimate: estimate.years)


def existing_photos_review(
    *, account, close_up: UploadedAsset, full_body: UploadedAsset
) -> PhotoReview:
    """Both photos checked, or InvalidInput on the first that fails. The caller looked both
    assets up for `account` (`asset_get_for`: another account's asset is a 404 before this)."""
    if close_up.pk == full_body.pk:
        raise _refuse("full_body", "Use two different photos: a close-up and a full-body shot.")
    near = _read(close_up, field="close_up", what="close-up", min_face=CLOSE_UP_MIN_FACE_PX)
    far = _read(full_body, field="full_body", what="full-body shot", min_face=FULL_BODY_MIN_FACE_PX)
    similarity = cosine(near.embedding, far.embedding)
    if similarity < SAME_PERSON:
        raise _refuse(
            "full_body",
            "The close-up and the full-body shot do not show the same person (face similarity "
            f"{similarity:.2f}, at least {SAME_PERSON:.2f} needed).",
        )
    age = _youngest(near, far)
    if not age.adult:
        raise _refuse(
            "close_up",
            "This person may be under 18, so these photos cannot be used. We only add adults, "
            f"and we add nobody who looks younger than {ADULT_MARGIN_YEARS:.0f} (estimated "
            f"age {age.years:.0f}). There is no way to override this.",
        )
    analyzer_name = get_face_analyzer().name
    pairs = account_lookalikes(
        account, near.embedding, model=analyzer_name, threshold=LOOKALIKE_SHOWN_FROM
    )
    return PhotoReview(
        close_up=near,
        full_body=far,
        similarity=similarity,
        age=age,
        lookalikes=[Lookalike(identity=item, similarity=value) for item, value in pairs],
        embedding_model=analyzer_name,
    )
