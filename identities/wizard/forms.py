"""The Create wizard's forms. They check that a request is well formed before a service saves
it; what a brief may say is `briefs.validation`'s job, run on every render."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

from identities.briefs.vocabulary import FIELDS, NAME_MAX_LENGTH, PROMPT_MAX_LENGTH
from identities.engines.base import ASPECT_RATIOS, FORMATS, SIZES
from identities.engines.registry import ENGINE_NAMES
from identities.services.extraction import TEXT_MAX_CHARS
from identities.wizard.convert import FIELD_PATHS


class InstructionEditForm(forms.Form):
    """Edits of one instruction. Only the fields present in the request are saved: an htmx edit
    carries one field, a plain form post (no JavaScript) carries them all."""

    chip = forms.CharField(required=False)

    def __init__(self, data: Mapping[str, Any]):
        super().__init__(data)
        for item in FIELDS:
            self.fields[item.path] = forms.CharField(
                required=False, max_length=item.max_length, strip=False, label=item.label
            )
        self.fields["prompt"] = forms.CharField(
            required=False, max_length=PROMPT_MAX_LENGTH, strip=False, label="Expert prompt"
        )

    def clean_chip(self) -> tuple[str, str] | None:
        raw = self.cleaned_data["chip"]
        if not raw:
            return None
        path, _, value = raw.partition("=")
        if path not in FIELD_PATHS or not value:
            raise forms.ValidationError("Unknown suggestion.")
        return path, value

    def values(self) -> dict[str, str]:
        """The posted field values, by path ("appearance.age", "prompt")."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "chip" and name in self.data
        }


class ExpertForm(forms.Form):
    expert = forms.TypedChoiceField(
        choices=[("on", "on"), ("off", "off")], coerce=lambda value: value == "on"
    )


class ReviewForm(forms.Form):
    """The Review step: per instruction (fields prefixed with its key) variations, aspect ratio,
    size and format; for the job, the engine, its name and the watermark option.

    Sizes the plan does not allow are accepted here on purpose: `job_create` refuses them
    (AbovePlan), and the wizard shows that message where the size is chosen.
    """

    model = forms.ChoiceField(choices=[(name, name) for name in ENGINE_NAMES], label="Engine")
    name = forms.CharField(required=False, max_length=NAME_MAX_LENGTH, label="Job name")
    add_ai_watermark = forms.BooleanField(required=False, label="Add an AI watermark")

    def __init__(self, data: Mapping[str, Any], *, keys: Iterable[str]):
        super().__init__(data)
        self.keys = [key for key in keys if f"{key}-size" in data]
        for key in self.keys:
            # Kept as typed (9, 0, -1, 2.5): the brief stores it, the API's own validation
            # then says what is wrong beside the field, and nothing resets it behind the
            # user's back.
            self.fields[f"{key}-num_variations"] = forms.CharField(
                required=False, max_length=12, label="Variations"
            )
            self.fields[f"{key}-ar"] = _choice(ASPECT_RATIOS, "Aspect ratio")
            self.fields[f"{key}-size"] = _choice(SIZES, "Size")
            self.fields[f"{key}-format"] = _choice(FORMATS, "Format")

    def instruction_options(self) -> dict[str, dict[str, Any]]:
        names = ("ar", "size", "format")
        return {
            key: {
                "num_variations": typed_number(self.cleaned_data[f"{key}-num_variations"]),
                **{n: self.cleaned_data[f"{key}-{n}"] for n in names},
            }
            for key in self.keys
        }


def typed_number(raw: str) -> int | float | str:
    """What the user typed in a number field, as the JSON number the API would receive (2.5
    stays 2.5), or the text itself when it is no number at all."""
    text = raw.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


def _choice(values: Iterable[str], label: str) -> forms.ChoiceField:
    return forms.ChoiceField(choices=[(v, v) for v in values], label=label)


class PresetLoadForm(forms.Form):
    preset = forms.IntegerField(label="Preset")
    target = forms.ChoiceField(label="Load into")

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        targets: list[tuple[str, str]],
        initial: Mapping[str, Any] | None = None,
    ):
        super().__init__(data, initial=initial)
        self.fields["target"].choices = targets


class PresetSaveForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX_LENGTH, label="Preset name")
    description = forms.CharField(required=False, max_length=300, label="Description (optional)")
    source = forms.ChoiceField(label="Instruction to save")

    def __init__(self, data: Mapping[str, Any] | None = None, *, sources: list[tuple[str, str]]):
        super().__init__(data, initial={"source": sources[0][0]})
        self.fields["source"].choices = sources


# --- From Image and From Text -------------------------------------------------------------------

SOURCES = {"image": "From Image", "text": "From Text"}
ACCEPT = "image/jpeg,image/png,image/webp"


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
