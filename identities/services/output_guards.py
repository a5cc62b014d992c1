"""What the worker does to a finished image before it is stored, and what references must pass.

- **Content credentials**: every draft is signed (`identities.provenance.sign_image`) after the
  engine returned it and before it is written; a signing failure fails the draft.
- **Reference leak**: a draft made from reference photos (an expert prompt's `input_assets`,
  the From Image photo its brief was read from) is compared with each reference's face; at or
  above `identities.faces.similarity.SAME_PERSON` the draft copied a real face: it is marked,
  refunded and cannot be promoted.
- **Adult references**: a photo used as a reference (From Image, `input_assets`) whose subject
  looks under `identities.faces.adult.ADULT_MARGIN_YEARS` is refused before anything is stored.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from identities.engines.base import RenderResult
from identities.faces import get_face_analyzer
from identities.faces.similarity import SAME_PERSON, cosine
from identities.imaging import ImageError, load_image
from identities.models import Draft, Identity, UploadedAsset
from identities.provenance import Ingredient, mime_for_format, sign_image

logger = logging.getLogger(__name__)

# The calibrated same-person threshold (README, "Face thresholds"): a draft this close to a
# reference's face is that person, not a new one "read" from them.
REFERENCE_LEAK_THRESHOLD = SAME_PERSON
LEAK_MESSAGE = (
    "This draft shows the face of a reference photo it was made from, not a new person, "
    "so it cannot be promoted; its credits were returned."
)


@dataclass(frozen=True)
class ReferenceImage:
    data: bytes
    mime: str
    title: str  # written into the manifest: neutral words, never the user's file name


@dataclass(frozen=True)
class LeakCheck:
    similarity: float | None  # None: no face in the draft or in any reference
    leaked: bool


NO_LEAK = LeakCheck(similarity=None, leaked=False)


def draft_output_prepare(*, draft: Draft, result: RenderResult) -> tuple[RenderResult, LeakCheck]:
    """The engine's result made ready to store: compared with the references it was made
    from, then signed. Raises provenance.SigningFailed; the caller fails the draft."""
    references = draft_references(draft=draft)
    leak = draft_leak_check_safely(draft=draft, image=result.image, references=references)
    return draft_sign(draft=draft, result=result, references=references), leak


def draft_references(*, draft: Draft) -> list[ReferenceImage]:
    """The photos a draft was made from: the engine's references, then the From Image photo."""
    instruction = draft.instruction
    wanted = [("reference", f) for f in instruction.input_assets]
    wanted += [("From Image reference", f) for f in instruction.read_from or ()]
    if not wanted:
        return []
    assets = {
        str(asset.file_id): asset
        for asset in UploadedAsset.objects.filter(
            account_id=draft.job.account_id,
            file_id__in=[file_id for _, file_id in wanted],
            status=UploadedAsset.READY,
        ).exclude(file="")
    }
    found = []
    for number, (kind, file_id) in enumerate(wanted, start=1):
        asset = assets.get(file_id)
        if asset is None:
            continue  # deleted since: nothing left to compare with or to describe
        with asset.file.open("rb") as handle:
            data = handle.read()
        found.append(ReferenceImage(data, asset.content_type or "image/jpeg", f"{kind} {number}"))
    return found


def draft_sign(
    *, draft: Draft, result: RenderResult, references: Sequence[ReferenceImage]
) -> RenderResult:
    """The result with its image signed. Raises provenance.SigningFailed."""
    signed = sign_image(
        data=result.image,
        mime=mime_for_format(result.format),
        engine=result.engine or draft.engine,
        job_code=draft.job.public_id,
        ingredients=[Ingredient(data=r.data, mime=r.mime, title=r.title) for r in references],
    )
    return replace(result, image=signed)


def identity_image_sign(*, identity: Identity, data: bytes, portrait: bytes) -> bytes:
    """A face crop or thumbnail (JPEG) cut from a generated identity's portrait, signed with
    the identity's code. Raises provenance.SigningFailed.

    Identities whose portrait no engine drew (an existing model's photos) are returned as they
    are: a manifest saying "made by a generative model" would be false for a real photograph.
    """
    if not identity.engine:
        return data
    job = identity.creation_job
    return sign_image(
        data=data,
        mime=mime_for_format("jpeg"),
        engine=identity.engine,
        job_code=job.public_id if job else None,
        identity_code=identity.code,
        ingredients=[Ingredient(data=portrait, mime="image/jpeg", title="identity portrait")],
    )


def _largest_face_embedding(data: bytes):
    analyzer = get_face_analyzer()
    image = load_image(data)
    faces = analyzer.detect(image)
    return analyzer.embed(image, faces[0]) if faces else None


def draft_leak_check(*, image: bytes, references: Sequence[ReferenceImage]) -> LeakCheck:
    """How close the draft's face is to the closest reference face."""
    if not references:
        return NO_LEAK
    drawn = _largest_face_embedding(image)
    if drawn is None:
        return NO_LEAK
    scores = []
    for reference in references:
        try:
            shown = _largest_face_embedding(reference.data)
        except ImageError:
            continue
        if shown is not None:
            scores.append(cosine(drawn, shown))
    if not scores:
        return NO_LEAK
    best = max(scores)
    return LeakCheck(similarity=round(best, 4), leaked=best >= REFERENCE_LEAK_THRESHOLD)


def draft_leak_check_safely(*, draft: Draft, image: bytes, references) -> LeakCheck:
    # The recogniser crashing must not fail a render that worked; it is logged and the
    # similarity stays unknown (None), which the draft page shows as "not measured".
    try:
        return draft_leak_check(image=image, references=references)
    except Exception:
        logger.exception("draft %s: the reference-leak check failed", draft.pk)
        return NO_LEAK


def reference_adult_problem(*, image, refuse_small_face: bool = True) -> str | None:
    """Why a reference photo (bytes or a PIL image) may not be used because its subject may be
    a minor, or None when it may.

    A photo with no face has no subject to protect (a garment, a backdrop) and passes; a face
    too small to read is refused, since its age cannot be told (unless `refuse_small_face` is
    off: From Image refuses such a face itself, with its own words).
    """
    # Imported here: the age reader pulls in MediaPipe, which the draft worker never needs.
    from identities.faces.adult import UNDER_MARGIN, AgeUnreadable, adult_estimate

    try:
        estimate = adult_estimate(image)
    except AgeUnreadable as unreadable:
        if "too small" not in str(unreadable) or not refuse_small_face:
            return None
        return f"{unreadable} We only use photos of people whose age we can judge."
    return None if estimate.adult else UNDER_MARGIN
