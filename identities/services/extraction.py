"""From Image and From Text: a reference photo or a paragraph → an instruction_data brief.

The reference is read, not copied: its bytes are decoded in memory and nothing of them is
written anywhere (no job, draft, identity or preset refers to it). Reading a photo charges its
price (`identities.pricing`; a ledger "charge", once the reading succeeded: a photo with no
face costs nothing); a paragraph charges its own price, 0 by default because the embedded
parser costs us nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from accounts.models import Account
from accounts.services import credits_charge
from config.refusals import InsufficientCredits
from identities.briefs.payload import instruction_payload
from identities.briefs.request import BriefError
from identities.briefs.validation import validate_instruction
from identities.briefs.vocabulary import FIELDS, NAME_MAX_LENGTH
from identities.extraction import Extraction, ExtractionError, read_paragraph, read_reference
from identities.imaging import ImageError, load_image
from identities.models import UploadedAsset
from identities.pricing import extraction_price
from identities.services.output_guards import reference_adult_problem
from identities.services.uploads import MAX_UPLOAD_PIXELS

IMAGE_REASON = "Extract from image"
TEXT_REASON = "Extract from text"
# A brief is a paragraph; past this it is a document (the expert prompt holds 2,000).
TEXT_MAX_CHARS = 5000
DESCRIPTION_MAX_LENGTH = 300


@dataclass(frozen=True)
class BriefReading:
    instruction_data: dict[str, Any]
    suggested_name: str
    suggested_description: str
    confidence: dict[str, float]
    not_read: dict[str, str]
    notes: list[str]
    source: str
    credits_charged: int
    unplaced_text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # From Image: the face read, (x, y, width, height) in the photo's pixels, and its size.
    face_box: tuple[int, int, int, int] | None = None
    photo_size: tuple[int, int] | None = None


def brief_extract_from_image(*, account: Account, user, asset: UploadedAsset) -> BriefReading:
    """Read the subject of one of the account's uploaded images (the caller looked it up)."""
    cost = extraction_price(source="image")
    _check_balance(account=account, amount=cost)
    if asset.status != UploadedAsset.READY or not asset.file:
        raise ExtractionError(
            "not_ready", "This upload has no image yet: send its bytes first.", field="file_id"
        )
    image = _decode(asset)
    refused = reference_adult_problem(image=image, refuse_small_face=False)
    if refused:
        raise ExtractionError("minor_refused", refused, field="file_id")
    extraction = read_reference(image)
    reading = _reading(
        extraction,
        origin="a reference photo",
        nothing="No brief field could be read from this photo.",
    )
    reading = replace(reading, face_box=extraction.face_box, photo_size=image.size)
    charged = _charge(account=account, user=user, amount=cost, reason=IMAGE_REASON)
    return _with_charge(reading, charged)


def brief_extract_from_text(*, account: Account, user, text: str) -> BriefReading:
    if not text.strip():
        raise ExtractionError(
            "empty_text", "Write a paragraph describing the person first.", field="text"
        )
    if len(text) > TEXT_MAX_CHARS:
        raise ExtractionError(
            "text_too_long",
            f"The paragraph is {len(text):,} characters long; at most {TEXT_MAX_CHARS:,} "
            "characters (about 800 words).",
            field="text",
            extra={"max_length": TEXT_MAX_CHARS},
        )
    cost = extraction_price(source="text")
    _check_balance(account=account, amount=cost)
    extraction = read_paragraph(text)
    reading = _reading(
        extraction,
        origin="a written brief",
        nothing="Nothing in this paragraph fits a brief field.",
        unplaced_fallback=text.strip(),
    )
    charged = _charge(account=account, user=user, amount=cost, reason=TEXT_REASON)
    return _with_charge(reading, charged)


def _decode(asset: UploadedAsset):
    try:
        with asset.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        raise ExtractionError(
            "not_an_image", "The uploaded file can no longer be read.", field="file_id"
        ) from None
    try:
        return load_image(data, max_pixels=MAX_UPLOAD_PIXELS)
    except ImageError as error:
        code = "too_large" if "too large" in str(error) else "not_an_image"
        raise ExtractionError(code, str(error), field="file_id") from None


def _check_balance(*, account: Account, amount: int) -> None:
    # Checked before reading so a short account is told at once; the charge itself decides.
    if amount <= 0:
        return
    account.refresh_from_db(fields=["credit_balance", "credits_reserved"])
    if account.credit_balance < amount:
        raise InsufficientCredits(
            required=amount, available=account.credit_balance, reserved=account.credits_reserved
        )


def _charge(*, account: Account, user, amount: int, reason: str) -> int:
    if amount > 0:
        credits_charge(account=account, amount=amount, reason=reason, by=user)
    return max(0, amount)


def _with_charge(reading: BriefReading, charged: int) -> BriefReading:
    return BriefReading(**{**reading.__dict__, "credits_charged": charged})


def _reading(
    extraction: Extraction, *, origin: str, nothing: str, unplaced_fallback: str = ""
) -> BriefReading:
    instruction = _valid_instruction(extraction)
    if instruction is None:
        raise ExtractionError(
            "nothing_placed" if unplaced_fallback else "nothing_read",
            nothing,
            field="text" if unplaced_fallback else "file_id",
            extra={"unplaced_text": unplaced_fallback} if unplaced_fallback else None,
        )
    return BriefReading(
        instruction_data=instruction_payload(instruction),
        suggested_name=suggested_name(extraction),
        suggested_description=suggested_description(extraction, origin=origin),
        confidence=extraction.confidences,
        not_read=dict(sorted(extraction.not_read.items())),
        notes=list(extraction.notes),
        source=extraction.source,
        credits_charged=0,
        unplaced_text=extraction.unplaced_text,
    )


def _valid_instruction(extraction: Extraction):
    """The readings as a valid instruction; a field validation refuses (an age under 18, a
    real person's name) is left empty with the validator's reason. None when nothing is left."""
    for _ in range(len(FIELDS) + 1):
        if not extraction.readings:
            return None
        try:
            return validate_instruction(extraction.brief())
        except BriefError as error:
            refused = [e for e in error.errors if e.field and e.field in extraction.readings]
            if not refused:
                raise
            for problem in refused:
                extraction.drop(problem.field, problem.message)
    return None


_GENDER_NOUNS = {"female": "Woman", "male": "Man", "non-binary": "Non-binary model"}


def suggested_name(extraction: Extraction) -> str:
    values = {path: reading.value for path, reading in extraction.readings.items()}
    parts = [_GENDER_NOUNS.get(values.get("appearance.gender", ""), "Model")]
    if "appearance.age" in values:
        parts.append(values["appearance.age"])
    if "hair.color" in values:
        parts.append(f"{values['hair.color']} hair")
    elif "appearance.ethnicity" in values:
        parts.append(values["appearance.ethnicity"])
    return ", ".join(parts)[:NAME_MAX_LENGTH]


def suggested_description(extraction: Extraction, *, origin: str) -> str:
    values = [
        f"{f.label.lower()} {extraction.readings[f.path].value}"
        for f in FIELDS
        if f.path in extraction.readings
    ]
    text = f"From {origin}: " + "; ".join(values) + "."
    if len(text) > DESCRIPTION_MAX_LENGTH:
        text = text[: DESCRIPTION_MAX_LENGTH - 1].rsplit(";", 1)[0] + "…"
    return text
