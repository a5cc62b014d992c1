"""The Create wizard's forms, and what its templates show: fields with their chips, choices with
the reason they are disabled, problems next to what caused them.

Validation of the brief itself is `briefs.validation`'s job (run on every render); these forms
only check that a request is well formed before a service saves it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms

from accounts.models import Plan
from config.api.errors import ApiError, FieldError
from identities.briefs.request import BriefError
from identities.briefs.validation import EMPTY_MESSAGE, MAX_VARIATIONS
from identities.briefs.vocabulary import (
    FIELDS,
    GROUP_LABELS,
    GROUPS,
    NAME_MAX_LENGTH,
    PROMPT_MAX_LENGTH,
    fields_of,
)
from identities.briefs.vocabulary import field as vocabulary_field
from identities.engines.base import ASPECT_RATIOS, FORMATS, SIZES
from identities.engines.registry import ENGINE_NAMES, capabilities_for, get_engine
from identities.services.wizard import FIELD_PATHS, WizardCheck

# --- forms --------------------------------------------------------------------------------------


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

    Sizes the plan does not allow are accepted here on purpose: `job_create` refuses them with
    the API's 403, and the wizard shows that message where the size is chosen.
    """

    model = forms.ChoiceField(choices=[(name, name) for name in ENGINE_NAMES], label="Engine")
    name = forms.CharField(required=False, max_length=NAME_MAX_LENGTH, label="Job name")
    add_ai_watermark = forms.BooleanField(required=False, label="Add an AI watermark")

    def __init__(self, data: Mapping[str, Any], *, keys: Iterable[str]):
        super().__init__(data)
        self.keys = [key for key in keys if f"{key}-size" in data]
        for key in self.keys:
            self.fields[f"{key}-num_variations"] = forms.IntegerField(
                min_value=1, max_value=MAX_VARIATIONS, label="Variations"
            )
            self.fields[f"{key}-ar"] = _choice(ASPECT_RATIOS, "Aspect ratio")
            self.fields[f"{key}-size"] = _choice(SIZES, "Size")
            self.fields[f"{key}-format"] = _choice(FORMATS, "Format")

    def instruction_options(self) -> dict[str, dict[str, Any]]:
        names = ("num_variations", "ar", "size", "format")
        return {key: {n: self.cleaned_data[f"{key}-{n}"] for n in names} for key in self.keys}


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


# --- problems, mapped back to what caused them ---------------------------------------------------

_INSTRUCTION_PATH = re.compile(r"^instructions\[(\d+)\](?:\.(.+))?$")
OPTION_LABELS = {
    "options.ar": "Aspect ratio",
    "options.size": "Size",
    "options.format": "Format",
    "num_variations": "Variations",
    "prompt": "Expert prompt",
    "input_assets": "Reference images",
}
JOB_LABELS = {
    "options.model": "Engine",
    "name": "Job name",
    "options.add_ai_watermark": "Watermark",
}


@dataclass
class ErrorMap:
    """Problems by instruction index and path inside it (None: the instruction as a whole), and
    problems of the job (engine, name, or no path at all)."""

    instructions: dict[int, dict[str | None, list[str]]] = field(default_factory=dict)
    job: dict[str | None, list[str]] = field(default_factory=dict)

    def of(self, index: int) -> dict[str | None, list[str]]:
        return self.instructions.get(index, {})


def map_errors(errors: Iterable[FieldError]) -> ErrorMap:
    mapped = ErrorMap()
    for error in errors:
        match = _INSTRUCTION_PATH.match(error.field or "")
        if match is None:
            mapped.job.setdefault(error.field, []).append(error.message)
            continue
        rest = _normalize(match.group(2))
        bucket = mapped.instructions.setdefault(int(match.group(1)), {})
        bucket.setdefault(rest, []).append(error.message)
    return mapped


def _normalize(rest: str | None) -> str | None:
    if rest is None:
        return None
    if rest == "face.skin":  # seed 000's spelling of appearance.skin
        return "appearance.skin"
    if rest.startswith("input_assets"):
        return "input_assets"
    return rest


def describe(rest: str | None) -> str:
    """A path inside an instruction in words: "Face › Eyes", "Aspect ratio"."""
    if rest is None:
        return "Brief"
    if rest in OPTION_LABELS:
        return OPTION_LABELS[rest]
    group, _, name = rest.partition(".")
    if group in GROUP_LABELS:
        try:
            return f"{GROUP_LABELS[group]} › {vocabulary_field(group, name).label}"
        except KeyError:
            return GROUP_LABELS[group]
    return rest


# --- what the Configure step shows ---------------------------------------------------------------


@dataclass(frozen=True)
class ChipView:
    value: str
    hint: str
    pressed: bool
    dom_id: str
    submit: str  # the button's value: "appearance.size=M"

    @property
    def hint_lines(self) -> list[str]:
        """Size hints give women's then men's equivalents: one line each reads best."""
        women, sep, men = self.hint.partition(" · men ")
        return [women, f"men {men}"] if sep else [self.hint]


@dataclass(frozen=True)
class FieldView:
    path: str
    dom_id: str
    label: str
    placeholder: str
    value: str
    max_length: int
    chips: tuple[ChipView, ...]
    errors: tuple[str, ...]

    @property
    def input_id(self) -> str:
        return f"{self.dom_id}-input"

    @property
    def extra_id(self) -> str:
        """The region under the input (chips and errors) that typing re-renders."""
        return f"{self.dom_id}-extra"


@dataclass(frozen=True)
class SectionView:
    group: str
    label: str
    fields: tuple[FieldView, ...]


@dataclass(frozen=True)
class InstructionView:
    key: str
    number: int
    expert: bool
    prompt: str
    prompt_errors: tuple[str, ...]
    sections: tuple[SectionView, ...]
    errors: tuple[str, ...]
    filled: int

    @property
    def status(self) -> str:
        if self.expert:
            return "Expert prompt: sent verbatim" if self.prompt.strip() else "Expert prompt empty"
        if not self.filled:
            return "Empty: pick a few chips, type a value, or use expert mode"
        return f"{self.filled} field{'s' if self.filled != 1 else ''} set"

    def field(self, path: str) -> FieldView:
        return next(f for s in self.sections for f in s.fields if f.path == path)

    # DOM ids, stable across re-renders so htmx keeps focus where it was.
    @property
    def card_id(self) -> str:
        return f"ins-{self.key}"

    @property
    def title_id(self) -> str:
        return f"ins-{self.key}-title"

    @property
    def status_id(self) -> str:
        return f"status-{self.key}"

    @property
    def tool_id(self) -> str:
        return f"tool-{self.key}"

    @property
    def prompt_id(self) -> str:
        return f"prompt-{self.key}"

    @property
    def prompt_input_id(self) -> str:
        return f"prompt-{self.key}-input"

    @property
    def expert_button_id(self) -> str:
        return f"expert-{self.key}"


def instruction_views(
    instructions: list[dict[str, Any]],
    errors: Iterable[FieldError],
    *,
    form_errors: Mapping | None = None,
) -> list[InstructionView]:
    """Every instruction with its fields, chips and problems. `form_errors` (by key) adds a
    rejected edit's own errors, e.g. a value over the field's length.

    "Empty instruction" is left to the status line while editing: shouting it at a brief the
    user has not started yet helps nobody (Review and Generate still say it).
    """
    errors = [e for e in errors if e.message != EMPTY_MESSAGE]
    mapped = map_errors(errors)
    views = []
    for index, item in enumerate(instructions):
        errors = {k: list(v) for k, v in mapped.of(index).items()}
        for path, messages in (form_errors or {}).get(item["key"], {}).items():
            errors.setdefault(path, []).extend(messages)
        views.append(_instruction_view(item, index, errors))
    return views


def _instruction_view(item: dict[str, Any], index: int, errors: dict) -> InstructionView:
    key = item["key"]
    sections = tuple(
        SectionView(
            group=group,
            label=GROUP_LABELS[group],
            fields=tuple(_field_view(key, vf, item, errors) for vf in fields_of(group)),
        )
        for group in GROUPS
    )
    expert = bool(item.get("expert"))
    general = errors.get(None, [])
    prompt_errors = errors.get("prompt", []) + (general if expert else [])
    return InstructionView(
        key=key,
        number=index + 1,
        expert=expert,
        prompt=item.get("prompt", ""),
        prompt_errors=tuple(prompt_errors),
        sections=sections,
        errors=tuple([] if expert else general),
        filled=sum(1 for group in GROUPS for v in item.get(group, {}).values() if v.strip()),
    )


def _field_view(key: str, vf, item: dict[str, Any], errors: dict) -> FieldView:
    value = item.get(vf.group, {}).get(vf.name, "")
    dom_id = f"f-{key}-{vf.group}-{vf.name}"
    chips = tuple(
        ChipView(
            value=chip.value,
            hint=chip.hint,
            pressed=value.strip() == chip.value,
            dom_id=f"{dom_id}-chip-{n}",
            submit=f"{vf.path}={chip.value}",
        )
        for n, chip in enumerate(vf.chips)
    )
    return FieldView(
        path=vf.path,
        dom_id=dom_id,
        label=vf.label,
        placeholder=vf.placeholder,
        value=value,
        max_length=vf.max_length,
        chips=chips,
        errors=tuple(errors.get(vf.path, [])),
    )


def payload_json(check: WizardCheck) -> str:
    return json.dumps(check.payload, indent=2, ensure_ascii=False)


@dataclass(frozen=True)
class Problem:
    """One problem in plain words, with where it comes from."""

    where: str
    message: str
    anchor: str = ""  # the DOM id of the field to fix, on the Configure step


def problem_list(errors: Iterable[FieldError], instructions: list[dict[str, Any]]) -> list[Problem]:
    mapped = map_errors(errors)
    problems = []
    for index, item in enumerate(instructions):
        for rest, messages in mapped.of(index).items():
            anchor = _anchor(item, rest)
            where = f"Instruction {index + 1} › {describe(rest)}"
            problems.extend(Problem(where, message, anchor) for message in messages)
    for path, messages in mapped.job.items():
        where = JOB_LABELS.get(path or "", "Job")
        problems.extend(Problem(where, message) for message in messages)
    return problems


def _anchor(item: dict[str, Any], rest: str | None) -> str:
    if rest is None and item.get("expert"):
        rest = "prompt"
    return field_anchor(item["key"], rest or "")


def field_anchor(key: str, path: str) -> str:
    """The DOM id of what a path inside instruction `key` names, to link or scroll to it."""
    if path in FIELD_PATHS:
        group, name = path.split(".", 1)
        return f"f-{key}-{group}-{name}"
    if path == "prompt":
        return f"prompt-{key}"
    return f"ins-{key}"


@dataclass(frozen=True)
class DispatchFailure:
    """Why Generate did not start a job, in plain words, with the API status it answered."""

    status: int
    title: str
    message: str
    blocked_term: str = ""

    @classmethod
    def from_brief_error(cls, error: BriefError) -> DispatchFailure:
        if error.blocked_term:
            return cls(
                400,
                "Names of real people are not allowed",
                f"“{error.blocked_term}” is the name of a real person. Describe the look you "
                "want instead of naming someone.",
                blocked_term=error.blocked_term,
            )
        return cls(
            400, "Some fields need attention", "Fix the problems marked above, then Generate again."
        )

    @classmethod
    def from_api_error(cls, error: ApiError) -> DispatchFailure:
        extra = error.extra
        if error.status == 402:
            message = (
                f"This job needs {extra.get('required_credits')} credits. You have "
                f"{extra.get('user_credits')} available and {extra.get('in_progress_credits')} "
                "reserved for jobs in progress."
            )
            return cls(402, "Not enough credits", message)
        if error.status == 403:
            message = " ".join(dict.fromkeys(d.message for d in error.detail)) or error.error
            return cls(403, "Output size exceeds your plan", message)
        if error.status == 429:
            return cls(429, "Too many jobs in progress", error.error)
        if error.status == 503:
            return cls(503, "Identity creation is paused", error.error)
        detail = error.detail[0].message if error.detail else ""
        return cls(error.status, error.error, detail)


# --- what the Review step shows ------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceView:
    value: str
    label: str
    checked: bool
    disabled: bool
    reason: str
    dom_id: str


@dataclass(frozen=True)
class ReviewInstructionView:
    key: str
    number: int
    summary: str
    expert: bool
    num_variations: Any
    variations_id: str
    sizes: tuple[ChoiceView, ...]
    ratios: tuple[ChoiceView, ...]
    formats: tuple[ChoiceView, ...]
    option_errors: dict[str, list[str]]
    brief_problems: tuple[Problem, ...]

    @property
    def reasons(self) -> list[str]:
        """Why some choices are unavailable, once each ("orbita does not support 4:5, 5:4")."""
        seen: list[str] = []
        for choice in (*self.sizes, *self.ratios):
            if choice.reason and choice.reason not in seen:
                seen.append(choice.reason)
        return seen


ENGINE_LABELS = {
    "auto": "Automatic: the best engine available",
    "nano_banana_pro": "Nano Banana Pro (Gemini)",
    "seedream": "Seedream",
    "orbita": "orbita: in-house, 1K only",
    "local": "local: in-house renderer",
    "model_create": "Model Create",
}


@dataclass(frozen=True)
class EngineView:
    value: str
    label: str
    selected: bool
    disabled: bool


def engine_views(selected: str) -> list[EngineView]:
    views = []
    for name in ENGINE_NAMES:
        configured = name == "auto" or get_engine(name).is_configured()
        label = ENGINE_LABELS.get(name, name)
        if not configured:
            label += " (not configured on this server)"
        # The current choice stays selectable, so the form keeps it and the error explains it.
        views.append(EngineView(name, label, name == selected, not configured and name != selected))
    return views


def review_views(
    instructions: list[dict[str, Any]], errors: Iterable[FieldError], *, plan: Plan, model: str
) -> list[ReviewInstructionView]:
    mapped = map_errors(errors)
    caps = capabilities_for(model if model in ENGINE_NAMES else "auto")
    views = []
    for index, item in enumerate(instructions):
        errors = mapped.of(index)
        key, options = item["key"], item.get("options", {})
        option_errors = {
            name: errors.get(f"options.{name}", []) for name in ("ar", "size", "format")
        }
        option_errors["num_variations"] = errors.get("num_variations", [])
        brief_problems = tuple(
            Problem(describe(rest), message, _anchor(item, rest))
            for rest, messages in errors.items()
            if rest not in OPTION_LABELS or rest in ("prompt", "input_assets")
            for message in messages
        )
        views.append(
            ReviewInstructionView(
                key=key,
                number=index + 1,
                summary=brief_summary(item),
                expert=bool(item.get("expert")),
                num_variations=item.get("num_variations", 1),
                variations_id=f"r-{key}-num_variations",
                sizes=_size_choices(key, options.get("size"), plan, caps),
                ratios=_ratio_choices(key, options.get("ar"), caps),
                formats=tuple(
                    _choice_view(key, "format", v, v, options.get("format"), "") for v in FORMATS
                ),
                option_errors=option_errors,
                brief_problems=brief_problems,
            )
        )
    return views


def _size_choices(key: str, current, plan: Plan, caps) -> tuple[ChoiceView, ...]:
    choices = []
    for size in SIZES:
        reason = ""
        if not plan.allows_size(size):
            reason = f"Your {plan.name} plan allows up to {plan.max_size}"
        elif size not in caps.sizes:
            allowed = ", ".join(s for s in SIZES if s in caps.sizes)
            reason = f"{caps.label} supports {allowed} only"
        choices.append(_choice_view(key, "size", size, size, current, reason))
    return tuple(choices)


def _ratio_choices(key: str, current, caps) -> tuple[ChoiceView, ...]:
    unsupported = [ar for ar in ASPECT_RATIOS if ar not in caps.aspect_ratios]
    reason = f"{caps.label} does not support {', '.join(unsupported)}" if unsupported else ""
    return tuple(
        _choice_view(key, "ar", ar, ar, current, reason if ar in unsupported else "")
        for ar in ASPECT_RATIOS
    )


def _choice_view(key, name, value, label, current, reason) -> ChoiceView:
    checked = value == current
    return ChoiceView(
        value=value,
        label=label,
        checked=checked,
        # A stored choice that became unavailable stays selectable: the form keeps it and the
        # problem is shown beside it instead of silently changing what the user picked.
        disabled=bool(reason) and not checked,
        reason=reason,
        dom_id=f"r-{key}-{name}-{value.replace(':', '-')}",
    )


def brief_summary(item: Mapping[str, Any], *, limit: int = 160) -> str:
    if item.get("expert"):
        text = " ".join(item.get("prompt", "").split())
        text = text if len(text) <= limit else text[: limit - 1] + "…"
        return f"Expert prompt: “{text}”" if text else "Expert prompt (empty)"
    values = [
        item.get(group, {}).get(vf.name, "").strip() for group in GROUPS for vf in fields_of(group)
    ]
    text = " · ".join(v for v in values if v)
    return text if len(text) <= limit else text[: limit - 1] + "…"
