"""What the From Image / From Text panel says after a reading: the fields it filled (with how
sure a photo reading is), those it left empty and why, and what it could not place."""

from __future__ import annotations

from dataclasses import dataclass, field

from identities.briefs.vocabulary import FIELDS
from identities.services.extraction import BriefReading
from identities.wizard.convert import groups_from_api

_LABELS = {f.path: f.label for f in FIELDS}


def label_of(path: str) -> str:
    return _LABELS.get(path, path.replace("_", " ").replace(".", " › ").capitalize())


@dataclass(frozen=True)
class FilledField:
    label: str
    value: str
    confidence: int | None  # percent; None when the source gives none


@dataclass(frozen=True)
class ReadingView:
    """What the panel says after a reading: the fields it filled, those it left and why."""

    filled: list[FilledField]
    not_read: list[tuple[str, str]]
    notes: list[str]
    unplaced_text: str
    credits_charged: int
    source: str
    show_confidence: bool = field(default=False)
    # From Image: the face read, (x, y, width, height) in the photo's pixels, and the photo's
    # size, so the panel can outline the face on the photo (which face of a group was used).
    face_box: tuple[int, int, int, int] | None = None
    photo_size: tuple[int, int] | None = None


def reading_view(reading: BriefReading, *, show_confidence: bool) -> ReadingView:
    content = groups_from_api(reading.instruction_data)
    filled = []
    for f in FIELDS:
        value = content[f.group].get(f.name)
        if value:
            score = reading.confidence.get(f.path)
            percent = round(score * 100) if score is not None else None
            filled.append(FilledField(f.label, value, percent))
    return ReadingView(
        filled=filled,
        not_read=[(label_of(path), why) for path, why in reading.not_read.items()],
        notes=list(reading.notes),
        unplaced_text=reading.unplaced_text.strip(),
        credits_charged=reading.credits_charged,
        source=reading.source,
        show_confidence=show_confidence,
        face_box=reading.face_box,
        photo_size=reading.photo_size,
    )
