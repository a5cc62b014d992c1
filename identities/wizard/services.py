"""Writes of the Create wizard: the working `Brief`, edited one field at a time, and Generate,
dispatched through the same `job_create` as the API.

The wizard adds no business rules: what a brief may say comes from `briefs.validation`, what a
plan or an engine allows from their own declarations, and Generate calls `job_create`.

Race this module closes: two tabs (or two quick edits) saving different fields of the same brief
at once. Each edit re-reads the row under `select_for_update()` and changes only its own field,
so neither overwrites the other with a stale copy.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from accounts.models import Account, Plan
from identities.briefs.payload import instruction_payload
from identities.briefs.request import (
    DEFAULT_AR,
    DEFAULT_FORMAT,
    DEFAULT_MODEL,
    DEFAULT_SIZE,
    BriefError,
    Instruction,
)
from identities.briefs.validation import (
    MAX_INSTRUCTIONS,
    validate_creation_request,
    validate_instruction,
)
from identities.briefs.vocabulary import GROUPS, NAME_MAX_LENGTH, chip_values
from identities.models import Brief, Job, Preset
from identities.services.jobs import job_create
from identities.wizard.convert import (
    FIELD_PATHS,
    OPTION_KEYS,
    brief_to_api,
    instruction_from_api,
    instruction_to_api,
)
from identities.wizard.selectors import brief_open_for


class WizardLimit(ValidationError):
    """An edit the wizard cannot make (a sixth instruction, removing the only one)."""


class InstructionGone(Http404):
    """The instruction key is not in the brief (removed in another tab): a 404 unless the
    caller has something better to say."""


# --- starting ---------------------------------------------------------------------------------


def default_size(plan: Plan) -> str:
    """The API's default size, or the plan's largest when the default is above it."""
    return DEFAULT_SIZE if plan.allows_size(DEFAULT_SIZE) else plan.max_size


def _new_key() -> str:
    # Starts with a letter: keys become parts of DOM ids that CSS selectors must accept.
    return "i" + secrets.token_hex(4)


def new_instruction(*, plan: Plan) -> dict[str, Any]:
    return {
        "key": _new_key(),
        **{group: {} for group in GROUPS},
        "expert": False,
        "prompt": "",
        "num_variations": 1,
        "options": {"ar": DEFAULT_AR, "size": default_size(plan), "format": DEFAULT_FORMAT},
    }


def brief_start(*, account: Account, user) -> Brief:
    """The user's brief in progress, or a new one with one empty instruction ready."""
    brief = brief_open_for(user=user)
    if brief is not None:
        return brief
    try:
        with transaction.atomic():
            return Brief.objects.create(
                account=account, user=user, instructions=[new_instruction(plan=account.plan)]
            )
    except IntegrityError:
        # Two tabs opened "Create" at once; the unique constraint let one of them create it.
        return Brief.objects.get(user=user, last_job__isnull=True)


def brief_restart(*, account: Account, user) -> Brief:
    """Start over: the open brief, emptied back to one blank instruction."""
    brief = brief_start(account=account, user=user)
    with _editing(brief) as locked:
        locked.instructions = [new_instruction(plan=account.plan)]
        locked.model = DEFAULT_MODEL
        locked.name = ""
        locked.add_ai_watermark = False
    return locked


# --- editing ----------------------------------------------------------------------------------


@contextmanager
def _editing(brief: Brief) -> Iterator[Brief]:
    with transaction.atomic():
        locked = Brief.objects.select_for_update().get(pk=brief.pk)
        yield locked
        locked.full_clean()
        locked.save()


def _find(brief: Brief, key: str) -> dict[str, Any]:
    for item in brief.instructions:
        if item["key"] == key:
            return item
    raise InstructionGone(key)


def _edit_instruction(brief: Brief, key: str, change: Callable[[dict[str, Any]], None]) -> Brief:
    with _editing(brief) as locked:
        change(_find(locked, key))
    return locked


def brief_fields_update(
    *,
    brief: Brief,
    key: str,
    values: Mapping[str, str],
    chip: tuple[str, str] | None = None,
) -> Brief:
    """Save the given fields ("appearance.age", …, "prompt") of one instruction; the others
    stay as they are. `chip` (path, value) then toggles a suggestion: clicking a chip fills its
    field, clicking the selected chip again clears it."""
    if chip is not None:
        group, name = chip[0].split(".", 1)
        if chip[1] not in chip_values(group, name):
            raise ValidationError({"chip": f"“{chip[1]}” is not a suggestion for {chip[0]}."})

    def change(item: dict[str, Any]) -> None:
        for path, value in values.items():
            if path == "prompt":
                item["prompt"] = value
            elif path in FIELD_PATHS:
                _set_field(item, path, value)
        if chip is not None:
            path, value = chip
            group, name = path.split(".", 1)
            current = item[group].get(name, "")
            _set_field(item, path, "" if current.strip() == value else value)

    return _edit_instruction(brief, key, change)


def _set_field(item: dict[str, Any], path: str, value: str) -> None:
    group, name = path.split(".", 1)
    if value.strip():
        item[group][name] = value
    else:
        item[group].pop(name, None)


def brief_expert_set(*, brief: Brief, key: str, expert: bool) -> Brief:
    """Expert mode on: the prompt is sent verbatim and the structured fields are ignored (kept,
    so switching back restores them)."""

    def change(item: dict[str, Any]) -> None:
        item["expert"] = expert

    return _edit_instruction(brief, key, change)


def brief_instruction_add(*, brief: Brief) -> tuple[Brief, str]:
    """Append an empty instruction; returns the brief and the new instruction's key."""
    with _editing(brief) as locked:
        _check_room(locked)
        item = new_instruction(plan=locked.account.plan)
        locked.instructions.append(item)
    return locked, item["key"]


def brief_instruction_duplicate(*, brief: Brief, key: str) -> tuple[Brief, str]:
    """Insert a copy of an instruction right after it; returns the copy's key."""
    with _editing(brief) as locked:
        _check_room(locked)
        original = _find(locked, key)
        copy = {**_deep_copy(original), "key": _new_key()}
        locked.instructions.insert(locked.instructions.index(original) + 1, copy)
    return locked, copy["key"]


def brief_instruction_remove(*, brief: Brief, key: str) -> Brief:
    with _editing(brief) as locked:
        item = _find(locked, key)
        if len(locked.instructions) == 1:
            raise WizardLimit("A job needs at least one instruction.")
        locked.instructions.remove(item)
    return locked


def _check_room(brief: Brief) -> None:
    if len(brief.instructions) >= MAX_INSTRUCTIONS:
        raise WizardLimit(f"A job has at most {MAX_INSTRUCTIONS} instructions.")


def _deep_copy(item: dict[str, Any]) -> dict[str, Any]:
    return {k: (dict(v) if isinstance(v, dict) else v) for k, v in item.items()}


def brief_instruction_replace(
    *, brief: Brief, key: str | None, content: Mapping[str, Any]
) -> tuple[Brief, str]:
    """Fill an instruction (or a new one when key is None) with `content`, a partial
    instruction in the brief's shape (groups, expert, prompt, num_variations, options)."""
    with _editing(brief) as locked:
        if key is None:
            _check_room(locked)
            item = new_instruction(plan=locked.account.plan)
            locked.instructions.append(item)
        else:
            item = _find(locked, key)
        for group in GROUPS:
            item[group] = dict(content.get(group, {}))
        item["expert"] = bool(content.get("expert"))
        item["prompt"] = content.get("prompt", "")
        if "num_variations" in content:
            item["num_variations"] = content["num_variations"]
        item["options"] = {**item["options"], **content.get("options", {})}
    return locked, item["key"]


def brief_options_update(
    *,
    brief: Brief,
    instructions: Mapping[str, Mapping[str, Any]],
    model: str,
    name: str,
    add_ai_watermark: bool,
) -> Brief:
    """Save the Review step: per instruction {"num_variations", "ar", "size", "format"} by key,
    and the job's engine, name and watermark option. Keys no longer in the brief are skipped."""
    with _editing(brief) as locked:
        for item in locked.instructions:
            chosen = instructions.get(item["key"])
            if not chosen:
                continue
            if "num_variations" in chosen:
                item["num_variations"] = chosen["num_variations"]
            item["options"].update({k: chosen[k] for k in OPTION_KEYS if k in chosen})
        locked.model = model
        locked.name = name
        locked.add_ai_watermark = add_ai_watermark
    return locked


# --- presets ------------------------------------------------------------------------------------
# A preset stores its instruction in the API's shape (`instruction_payload`), the same shape
# `POST /preset/extract-from-image` returns as `instruction_data`, so a preset, an extracted
# brief and an API call are interchangeable.


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
    item = _find(brief, key)
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


# --- Generate -----------------------------------------------------------------------------------


def brief_dispatch(*, brief: Brief, account: Account, user) -> Job:
    """Generate: validate the brief and hand it to `job_create`.

    Raises BriefError (validation, blocked real-person names) or the refusals of `job_create`
    (creation paused, a size above the plan, rate and job caps, credits), as the API would.
    """
    request = validate_creation_request(brief_to_api(brief))
    with transaction.atomic():
        job = job_create(account=account, user=user, request=request)
        Brief.objects.filter(pk=brief.pk).update(last_job=job)
    return job
