"""What the Review step shows: choices the plan or the engine cannot serve, disabled with why."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from accounts.models import Plan
from config.refusals import FieldError
from identities.briefs.vocabulary import GROUPS, fields_of
from identities.engines.base import ASPECT_RATIOS, FORMATS, SIZES
from identities.engines.labels import PHOTOREAL_NOTICE
from identities.engines.registry import (
    ENGINE_NAMES,
    STYLEGAN,
    capabilities_for,
    get_engine,
    stylegan_enabled,
)
from identities.wizard.display.problems import (
    OPTION_LABELS,
    Problem,
    describe,
    map_errors,
    problem_anchor,
)


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
    STYLEGAN: f"{STYLEGAN}: {PHOTOREAL_NOTICE.lower()}",
}
# With the photoreal preview switched on, `auto` draws with it whenever no external engine is
# configured, so the choice says what that means for the pictures' use.
AUTO_WITH_STYLEGAN = f"Automatic: the best engine available (offline: {PHOTOREAL_NOTICE.lower()})"


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
        if name == "auto" and stylegan_enabled():
            label = AUTO_WITH_STYLEGAN
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
            Problem(describe(rest), message, problem_anchor(item, rest))
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
            # Worded as the API's refusal, so the template can say it once when both apply.
            reason = f"{caps.label} supports sizes {allowed} only"
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
