"""What an extractor returns: readings per brief field, with confidences and notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from config.refusals import FieldError, Refusal
from identities.briefs.vocabulary import GROUPS

# A reading less sure than this is left out: an empty field lets the generator pick, a wrong
# one misleads it (the rule: "stays empty rather than guessed").
MIN_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Reading:
    value: str
    confidence: float  # 0–1


class ExtractionError(Refusal):
    """A reference or a paragraph we cannot read; `message` is shown to the user as is, on
    `field` (the input that was read).

    code: "not_an_image", "too_large", "no_face", "face_too_small", "empty_text",
    "text_too_long", "nothing_placed", "vlm_failed"; `extra` holds facts clients may use
    ("max_length", "unplaced_text").
    """

    def __init__(self, code: str, message: str, *, field: str | None = None, extra=None):
        super().__init__(message, [FieldError(field, message)])
        self.code = code
        self.field = field
        self.extra = dict(extra or {})


@dataclass
class Extraction:
    source: str  # "photo" (embedded models), "parser" (embedded), "vlm:<model>", "llm:<model>"
    readings: dict[str, Reading] = field(default_factory=dict)  # "hair.color" → Reading
    # Fields looked for and left empty, with the reason ("too small to read the eyes").
    not_read: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unplaced_text: str = ""
    # The face read, (x, y, width, height) in the photo's pixels; None for text, or a reader
    # that does not say (a vision LLM).
    face_box: tuple[int, int, int, int] | None = None

    def put(self, path: str, value: str | None, confidence: float, *, why_not: str = "") -> None:
        """Keep the reading when sure enough, else record why the field stays empty."""
        if value and confidence >= MIN_CONFIDENCE:
            self.readings[path] = Reading(value, round(float(confidence), 2))
            self.not_read.pop(path, None)
        elif path not in self.readings:
            self.not_read[path] = why_not or "Not clear enough to read reliably."

    def drop(self, path: str, why: str) -> None:
        self.readings.pop(path, None)
        self.not_read[path] = why

    def brief(self) -> dict[str, dict[str, str]]:
        groups: dict[str, dict[str, str]] = {group: {} for group in GROUPS}
        for path, reading in self.readings.items():
            group, name = path.split(".", 1)
            groups[group][name] = reading.value
        return groups

    @property
    def confidences(self) -> dict[str, float]:
        return {path: reading.confidence for path, reading in sorted(self.readings.items())}
