"""A validated request back in the API's JSON shape: what the wizard's JSON inspector shows.

Sending the result to `POST /identity/create` reproduces the same request (tests check the round
trip). Empty groups, a missing prompt, no references and no name are left out; options are always
spelled out so the inspector shows what the job will actually use.
"""

from __future__ import annotations

from typing import Any

from identities.briefs.request import CreationRequest, Instruction
from identities.briefs.vocabulary import GROUPS


def _is_plain_number(text: str | None) -> bool:
    return text is not None and text.isascii() and text.isdigit() and str(int(text)) == text


def instruction_payload(instruction: Instruction) -> dict[str, Any]:
    """One instruction as the API accepts it (also the shape of a preset's instruction_data)."""
    payload: dict[str, Any] = {}
    for group in GROUPS:
        values = dict(instruction.brief.get(group, {}))
        # The API's examples send a plain age as a number ("28" → 28, but "028" stays text).
        if group == "appearance" and _is_plain_number(values.get("age")):
            values["age"] = int(values["age"])
        if values:
            payload[group] = values
    if instruction.prompt is not None:
        payload["prompt"] = instruction.prompt
    if instruction.input_assets:
        payload["input_assets"] = [{"file_id": file_id} for file_id in instruction.input_assets]
    payload["num_variations"] = instruction.num_variations
    payload["options"] = {
        "ar": instruction.ar,
        "size": instruction.size,
        "format": instruction.format,
    }
    return payload


def to_api_payload(request: CreationRequest) -> dict[str, Any]:
    """The exact JSON body for `POST /identity/create`."""
    payload: dict[str, Any] = {
        "instructions": [instruction_payload(i) for i in request.instructions],
        "options": {"model": request.model, "add_ai_watermark": request.add_ai_watermark},
    }
    if request.name is not None:
        payload["name"] = request.name
    return payload
