"""The brief's stored shape ↔ the API's JSON.

A brief stores each instruction as the user typed it (`Brief.instructions`): every group's
values as text, expert mode as a flag next to the prompt, options always spelled out. The API
speaks `POST /identity/create` JSON. Going out, the brief becomes the body the API would
receive (validated exactly as the API validates it); coming in, an instruction in the API's
shape (a preset, a reading of a photo or a paragraph) fills an instruction of the brief.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from identities.briefs.vocabulary import GROUPS, field_names
from identities.models import Brief

# Every structured field of an instruction by path ("appearance.age"), and its output options.
FIELD_PATHS = tuple(f"{group}.{name}" for group in GROUPS for name in field_names(group))
OPTION_KEYS = ("ar", "size", "format")


# --- brief → API -------------------------------------------------------------------------------


def instruction_to_api(item: Mapping[str, Any]) -> dict[str, Any]:
    """One instruction of a brief as the API's JSON. Expert mode sends the prompt alone: the
    structured fields are greyed out in the wizard and must not reach the generator."""
    data: dict[str, Any] = {}
    if item.get("expert"):
        data["prompt"] = item.get("prompt", "")
        # References go with an expert prompt only, as the API requires.
        if item.get("input_assets"):
            data["input_assets"] = [{"file_id": f} for f in item["input_assets"]]
    else:
        for group in GROUPS:
            values = {k: v.strip() for k, v in item.get(group, {}).items() if v.strip()}
            if values:
                data[group] = values
    data["num_variations"] = item.get("num_variations", 1)
    data["options"] = dict(item.get("options", {}))
    return data


def brief_to_api(brief: Brief) -> dict[str, Any]:
    """The body the brief sends to `validate_creation_request`, as the API would receive it."""
    data: dict[str, Any] = {
        "instructions": [instruction_to_api(item) for item in brief.instructions],
        "options": {"model": brief.model, "add_ai_watermark": brief.add_ai_watermark},
    }
    if brief.name.strip():
        data["name"] = brief.name.strip()
    return data


def instruction_is_blank(item: Mapping[str, Any]) -> bool:
    """Nothing typed yet: no field set and no prompt."""
    has_fields = any(v.strip() for group in GROUPS for v in item.get(group, {}).values())
    return not has_fields and not item.get("prompt", "").strip()


# --- API → brief -------------------------------------------------------------------------------


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def groups_from_api(data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Appearance / Face / Hair of an API instruction in the brief's shape (every value text).
    Keys the vocabulary does not know are skipped."""
    content: dict[str, dict[str, str]] = {}
    for group in GROUPS:
        values = _mapping(data.get(group))
        content[group] = {
            name: str(values[name]) for name in field_names(group) if values.get(name) is not None
        }
    return content


def instruction_from_api(data: Any) -> dict[str, Any]:
    """A whole API instruction (a preset's) in the brief's shape, what
    `brief_instruction_replace` takes: groups, expert and prompt, variations, options.

    Reads what a brief may hold and skips the rest: presets may be edited by hand in the admin.
    """
    data = _mapping(data)
    content: dict[str, Any] = groups_from_api(data)
    # The API also accepts skin under face (where the first request format put it); the brief
    # has one Skin field, under Appearance, which wins when both are set.
    face = _mapping(data.get("face"))
    if face.get("skin") is not None and "skin" not in content["appearance"]:
        content["appearance"]["skin"] = str(face["skin"])
    prompt = data.get("prompt")
    if isinstance(prompt, str) and prompt.strip():
        content["expert"] = True
        content["prompt"] = prompt
        assets = data.get("input_assets")
        if isinstance(assets, list):
            content["input_assets"] = [
                str(a["file_id"]) for a in assets if isinstance(a, Mapping) and a.get("file_id")
            ]
    variations = data.get("num_variations")
    if isinstance(variations, int) and not isinstance(variations, bool):
        content["num_variations"] = variations
    options = _mapping(data.get("options"))
    content["options"] = {k: options[k] for k in OPTION_KEYS if options.get(k)}
    return content
