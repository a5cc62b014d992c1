"""What the Configure step shows: every field with its chips and its problems."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from config.refusals import FieldError
from identities.briefs.validation import EMPTY_MESSAGE, MAX_INPUT_ASSETS
from identities.briefs.vocabulary import GROUP_LABELS, GROUPS, fields_of
from identities.wizard.check import BriefCheck
from identities.wizard.display.problems import map_errors


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
    def wide_hints(self) -> bool:
        """Size chips carry long EU/US hints: they read best lined up in a grid."""
        return any(len(chip.hint) > 24 for chip in self.chips)

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
    # Expert references: {"file_id", "url", "filename"} each; url is "" for a missing upload.
    references: tuple[Mapping[str, str], ...] = ()
    reference_errors: tuple[str, ...] = ()

    @property
    def can_add_reference(self) -> bool:
        return len(self.references) < MAX_INPUT_ASSETS

    @property
    def references_id(self) -> str:
        return f"refs-{self.key}"

    @property
    def status(self) -> str:
        if self.expert:
            # The "Expert" badge sits just before this text: it must not say "Expert" again.
            return "Prompt sent verbatim" if self.prompt.strip() else "Prompt still empty"
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
    assets: Mapping[str, Mapping[str, str]] | None = None,
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
        views.append(_instruction_view(item, index, errors, assets or {}))
    return views


def _instruction_view(
    item: dict[str, Any], index: int, errors: dict, assets: Mapping
) -> InstructionView:
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
        references=tuple(
            assets.get(f, {"file_id": f, "url": "", "filename": f})
            for f in item.get("input_assets", [])
        ),
        reference_errors=tuple(
            m for path, ms in errors.items() if path and path.startswith("input_assets") for m in ms
        ),
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


def payload_json(check: BriefCheck) -> str:
    return json.dumps(check.payload, indent=2, ensure_ascii=False)
