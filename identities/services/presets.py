"""Presets: saved briefs (one instruction each) that Load Preset fills in.

A preset stores its instruction in the API's shape (`instruction_payload`), the same shape
`POST /preset/extract-from-image` returns as `instruction_data`, so a preset, an extracted brief
and an API call are interchangeable.

The two reads live here, beside the only writer, because only the wizard uses them yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Account
from identities.briefs.payload import instruction_payload
from identities.briefs.request import Instruction
from identities.briefs.vocabulary import GROUPS, NAME_MAX_LENGTH, field_names
from identities.models import Preset


def preset_list_for(*, account: Account) -> tuple[QuerySet[Preset], QuerySet[Preset]]:
    """(the account's presets, the catalog's), each by name."""
    return (
        Preset.objects.filter(account=account).order_by("name"),
        Preset.objects.filter(account__isnull=True).order_by("name"),
    )


def preset_get_for(*, account: Account, preset_id: int) -> Preset:
    """One of the account's presets or a catalog preset; 404 for another account's."""
    preset = Preset.objects.filter(
        Q(account=account) | Q(account__isnull=True), pk=preset_id
    ).first()
    if preset is None:
        raise Http404("No such preset")
    return preset


def preset_create(
    *, account: Account, user, name: str, instruction: Instruction, description: str = ""
) -> Preset:
    """Save a validated instruction as a preset. A name already used in the account is refused
    (the API's 409) as a ValidationError on `name`."""
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


def preset_wizard_content(*, preset: Preset) -> dict[str, Any]:
    """A preset's instruction in the wizard's shape (what `wizard_instruction_replace` takes).

    Reads what a brief may hold and skips the rest: presets may be edited by hand in the admin.
    """
    data = preset.instruction if isinstance(preset.instruction, Mapping) else {}
    content: dict[str, Any] = {group: {} for group in GROUPS}
    for group in GROUPS:
        values = data.get(group) if isinstance(data.get(group), Mapping) else {}
        for name in field_names(group):
            if values.get(name) is not None:
                content[group][name] = str(values[name])
    # seed 000 writes skin under face; the brief reads it as appearance.skin.
    face = data.get("face") if isinstance(data.get("face"), Mapping) else {}
    if face.get("skin") is not None and "skin" not in content["appearance"]:
        content["appearance"]["skin"] = str(face["skin"])
    prompt = data.get("prompt")
    if isinstance(prompt, str) and prompt.strip():
        content["expert"] = True
        content["prompt"] = prompt
    variations = data.get("num_variations")
    if isinstance(variations, int) and not isinstance(variations, bool):
        content["num_variations"] = variations
    options = data.get("options") if isinstance(data.get("options"), Mapping) else {}
    content["options"] = {k: options[k] for k in ("ar", "size", "format") if options.get(k)}
    return content
