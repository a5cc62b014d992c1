"""Presets: saved one-instruction briefs that Load Preset fills in.

A preset stores its instruction in the API's shape (`instruction_payload`), the same shape
`POST /preset/extract-from-image` returns as `instruction_data`, so a preset, an extracted brief
and an API call are interchangeable.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Account
from identities.briefs.payload import instruction_payload
from identities.briefs.request import DEFAULT_MODEL, BriefError, Instruction
from identities.briefs.validation import validate_instruction
from identities.briefs.vocabulary import NAME_MAX_LENGTH
from identities.models import Brief, Preset
from identities.wizard.convert import instruction_from_api, instruction_to_api
from identities.wizard.services import brief_instruction_replace, instruction_of


def brief_preset_load(*, brief: Brief, preset: Preset, key: str | None) -> tuple[Brief, str]:
    """Fill an instruction (a new one when key is None) from a preset. A size the plan does not
    allow is left out, so the instruction keeps the size it had."""
    content = instruction_from_api(preset.instruction)
    size = content["options"].get("size")
    if size and not brief.account.plan.allows_size(str(size).upper()):
        del content["options"]["size"]
    return brief_instruction_replace(brief=brief, key=key, content=content)


def brief_preset_save(*, brief: Brief, key: str, user, name: str, description: str = "") -> Preset:
    """Save one instruction of the brief as a preset of the account. A brief with problems is
    refused (ValidationError on `source`), a name already used too (on `name`)."""
    item = instruction_of(brief, key)
    try:
        instruction = validate_instruction(instruction_to_api(item), model=DEFAULT_MODEL)
    except BriefError as error:
        messages = [f"This instruction cannot be saved yet: {e.message}" for e in error.errors]
        raise ValidationError({"source": messages}) from None
    return preset_create(
        account=brief.account,
        user=user,
        name=name,
        instruction=instruction,
        description=description,
    )


def preset_create(
    *, account: Account, user, name: str, instruction: Instruction, description: str = ""
) -> Preset:
    """Save a validated instruction as a preset. A name already used in the account is refused
    as a ValidationError on `name`."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the preset a name."})
    preset = Preset(
        account=account,
        name=name[:NAME_MAX_LENGTH],
        description=description.strip(),
        instruction=instruction_payload(instruction),
        created_by=user,
    )
    try:
        # The unique constraint decides, so two tabs saving the same name cannot both win.
        with transaction.atomic():
            preset.save()
    except IntegrityError:
        raise ValidationError(
            {"name": f"You already have a preset named “{name}”. Choose another name."},
            code="duplicate",
        ) from None
    return preset
