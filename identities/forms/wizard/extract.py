"""From Image and From Text in the wizard: their forms, and what the panel shows of a reading."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms

from identities.briefs.vocabulary import FIELDS, GROUPS, PROMPT_MAX_LENGTH, field_names
from identities.services.extraction import TEXT_MAX_CHARS, BriefReading

SOURCES = {"image": "From Image", "text": "From Text"}
ACCEPT = "image/jpeg,image/png,image/webp"
_LABELS = {f.path: f.label for f in FIELDS}


class ExtractTextForm(forms.Form):
    text = forms.CharField(
        label="Describe the person in a few sentences",
        max_length=TEXT_MAX_CHARS,
        error_messages={
            "required": "Write a paragraph describing the person first.",
            "max_length": f"At most {TEXT_MAX_CHARS:,} characters (about 800 words): "
            "shorten the paragraph.",
        },
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ExtractImageForm(forms.Form):
    """A photo already uploaded (file_id), or a new one sent with the form (upload wins)."""

    file_id = forms.CharField(required=False)
    upload = forms.FileField(
        required=False,
        label="Or upload a photo",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("upload") and not cleaned.get("file_id") and not self.errors:
            raise forms.ValidationError("Pick one of your photos or upload one first.")
        return cleaned


class KeepParagraphForm(forms.Form):
    text = forms.CharField(
        max_length=PROMPT_MAX_LENGTH,
        error_messages={
            "max_length": f"An expert prompt holds at most {PROMPT_MAX_LENGTH:,} characters: "
            "shorten the paragraph first."
        },
    )


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


def reading_view(reading: BriefReading, *, show_confidence: bool) -> ReadingView:
    content = reading_content(reading)
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
    )


def reading_content(reading: BriefReading) -> dict[str, dict[str, str]]:
    """The reading's Appearance / Face / Hair in the wizard's shape (every value text)."""
    data = reading.instruction_data
    content: dict[str, dict[str, str]] = {}
    for group in GROUPS:
        values = data.get(group) or {}
        content[group] = {
            name: str(values[name]) for name in field_names(group) if values.get(name) is not None
        }
    return content
