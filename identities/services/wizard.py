"""The Create wizard's working brief (`WizardDraft`): edits saved one field at a time, checked
on every render, dispatched through the same `job_create` as the API.

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
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from accounts.models import Account, Plan
from config.api.errors import ApiError, FieldError
from identities.briefs.payload import to_api_payload
from identities.briefs.request import (
    DEFAULT_AR,
    DEFAULT_FORMAT,
    DEFAULT_MODEL,
    DEFAULT_SIZE,
    BriefError,
    CreationRequest,
)
from identities.briefs.validation import (
    MAX_INSTRUCTIONS,
    validate_creation_request,
    validate_instruction,
)
from identities.briefs.vocabulary import GROUPS, chip_values, field_names
from identities.models import Job, Preset, WizardDraft
from identities.services.jobs import job_create, job_quote
from identities.services.presets import preset_create, preset_wizard_content

FIELD_PATHS = tuple(f"{group}.{name}" for group in GROUPS for name in field_names(group))
OPTION_KEYS = ("ar", "size", "format")


class WizardLimit(ValidationError):
    """An edit the wizard cannot make (a sixth instruction, removing the only one)."""


class InstructionGone(Http404):
    """The instruction key is not in the brief (removed in another tab): a 404 unless the
    caller has something better to say."""


def wizard_get_for(*, account: Account, public_id: str) -> WizardDraft:
    """A brief of the account (teammates may share its link); 404 for anyone else's."""
    draft = WizardDraft.objects.filter(account=account, public_id=public_id).first()
    if draft is None:
        raise Http404("No such brief")
    return draft


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


def wizard_start(*, account: Account, user) -> WizardDraft:
    """The user's brief in progress, or a new one with one empty instruction ready."""
    draft = WizardDraft.objects.filter(user=user, last_job__isnull=True).first()
    if draft is not None:
        return draft
    try:
        with transaction.atomic():
            return WizardDraft.objects.create(
                account=account, user=user, instructions=[new_instruction(plan=account.plan)]
            )
    except IntegrityError:
        # Two tabs opened "Create" at once; the unique constraint let one of them create it.
        return WizardDraft.objects.get(user=user, last_job__isnull=True)


def wizard_restart(*, account: Account, user) -> WizardDraft:
    """Start over: the open brief, emptied back to one blank instruction."""
    draft = wizard_start(account=account, user=user)
    with _editing(draft) as locked:
        locked.instructions = [new_instruction(plan=account.plan)]
        locked.model = DEFAULT_MODEL
        locked.name = ""
        locked.add_ai_watermark = False
    return locked


# --- editing ----------------------------------------------------------------------------------


@contextmanager
def _editing(draft: WizardDraft) -> Iterator[WizardDraft]:
    with transaction.atomic():
        locked = WizardDraft.objects.select_for_update().get(pk=draft.pk)
        yield locked
        locked.full_clean()
        locked.save()


def _find(draft: WizardDraft, key: str) -> dict[str, Any]:
    for item in draft.instructions:
        if item["key"] == key:
            return item
    raise InstructionGone(key)


def _edit_instruction(
    draft: WizardDraft, key: str, change: Callable[[dict[str, Any]], None]
) -> WizardDraft:
    with _editing(draft) as locked:
        change(_find(locked, key))
    return locked


def wizard_fields_update(
    *,
    draft: WizardDraft,
    key: str,
    values: Mapping[str, str],
    chip: tuple[str, str] | None = None,
) -> WizardDraft:
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

    return _edit_instruction(draft, key, change)


def _set_field(item: dict[str, Any], path: str, value: str) -> None:
    group, name = path.split(".", 1)
    if value.strip():
        item[group][name] = value
    else:
        item[group].pop(name, None)


def wizard_expert_set(*, draft: WizardDraft, key: str, expert: bool) -> WizardDraft:
    """Expert mode on: the prompt is sent verbatim and the structured fields are ignored (kept,
    so switching back restores them)."""

    def change(item: dict[str, Any]) -> None:
        item["expert"] = expert

    return _edit_instruction(draft, key, change)


def wizard_instruction_add(*, draft: WizardDraft) -> tuple[WizardDraft, str]:
    """Append an empty instruction; returns the draft and the new instruction's key."""
    with _editing(draft) as locked:
        _check_room(locked)
        item = new_instruction(plan=locked.account.plan)
        locked.instructions.append(item)
    return locked, item["key"]


def wizard_instruction_duplicate(*, draft: WizardDraft, key: str) -> tuple[WizardDraft, str]:
    """Insert a copy of an instruction right after it; returns the copy's key."""
    with _editing(draft) as locked:
        _check_room(locked)
        original = _find(locked, key)
        copy = {**_deep_copy(original), "key": _new_key()}
        locked.instructions.insert(locked.instructions.index(original) + 1, copy)
    return locked, copy["key"]


def wizard_instruction_remove(*, draft: WizardDraft, key: str) -> WizardDraft:
    with _editing(draft) as locked:
        item = _find(locked, key)
        if len(locked.instructions) == 1:
            raise WizardLimit("A job needs at least one instruction.")
        locked.instructions.remove(item)
    return locked


def _check_room(draft: WizardDraft) -> None:
    if len(draft.instructions) >= MAX_INSTRUCTIONS:
        raise WizardLimit(f"A job has at most {MAX_INSTRUCTIONS} instructions.")


def _deep_copy(item: dict[str, Any]) -> dict[str, Any]:
    return {k: (dict(v) if isinstance(v, dict) else v) for k, v in item.items()}


def wizard_instruction_replace(
    *, draft: WizardDraft, key: str | None, content: Mapping[str, Any]
) -> tuple[WizardDraft, str]:
    """Fill an instruction (or a new one when key is None) with `content`, a partial
    instruction in the wizard's shape (groups, expert, prompt, num_variations, options)."""
    with _editing(draft) as locked:
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


def wizard_preset_load(
    *, draft: WizardDraft, preset: Preset, key: str | None
) -> tuple[WizardDraft, str]:
    """Fill an instruction (a new one when key is None) from a preset. A size the plan does not
    allow is left out, so the instruction keeps the size it had."""
    content = preset_wizard_content(preset=preset)
    size = content["options"].get("size")
    if size and not draft.account.plan.allows_size(str(size).upper()):
        del content["options"]["size"]
    return wizard_instruction_replace(draft=draft, key=key, content=content)


def wizard_preset_save(
    *, draft: WizardDraft, key: str, user, name: str, description: str = ""
) -> Preset:
    """Save one instruction of the brief as a preset of the account. A brief with problems is
    refused (ValidationError on `source`), a name already used too (on `name`)."""
    item = _find(draft, key)
    try:
        instruction = validate_instruction(instruction_data(item), model=DEFAULT_MODEL)
    except BriefError as error:
        messages = [f"This instruction cannot be saved yet: {e.message}" for e in error.errors]
        raise ValidationError({"source": messages}) from None
    return preset_create(
        account=draft.account,
        user=user,
        name=name,
        instruction=instruction,
        description=description,
    )


def wizard_options_update(
    *,
    draft: WizardDraft,
    instructions: Mapping[str, Mapping[str, Any]],
    model: str,
    name: str,
    add_ai_watermark: bool,
) -> WizardDraft:
    """Save the Review step: per instruction {"num_variations", "ar", "size", "format"} by key,
    and the job's engine, name and watermark option. Keys no longer in the brief are skipped."""
    with _editing(draft) as locked:
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


# --- checking and dispatching -------------------------------------------------------------------


def instruction_data(item: Mapping[str, Any]) -> dict[str, Any]:
    """One wizard instruction as the API's JSON. Expert mode sends the prompt alone: the
    structured fields are greyed out in the wizard and must not reach the generator."""
    data: dict[str, Any] = {}
    if item.get("expert"):
        data["prompt"] = item.get("prompt", "")
    else:
        for group in GROUPS:
            values = {k: v.strip() for k, v in item.get(group, {}).items() if v.strip()}
            if values:
                data[group] = values
    data["num_variations"] = item.get("num_variations", 1)
    data["options"] = dict(item.get("options", {}))
    return data


def instruction_is_blank(item: Mapping[str, Any]) -> bool:
    """Nothing typed yet: no field set and no prompt."""
    has_fields = any(v.strip() for group in GROUPS for v in item.get(group, {}).values())
    return not has_fields and not item.get("prompt", "").strip()


def wizard_request_data(draft: WizardDraft) -> dict[str, Any]:
    """The body the wizard sends to `validate_creation_request`, as the API would receive it."""
    data: dict[str, Any] = {
        "instructions": [instruction_data(item) for item in draft.instructions],
        "options": {"model": draft.model, "add_ai_watermark": draft.add_ai_watermark},
    }
    if draft.name.strip():
        data["name"] = draft.name.strip()
    return data


@dataclass(frozen=True)
class WizardCheck:
    """Where a brief stands: the validated request (or every problem), its cost, its payload."""

    data: dict[str, Any]
    request: CreationRequest | None
    errors: tuple[FieldError, ...] = ()
    blocked_term: str | None = None
    quote: int | None = None
    quote_error: str = ""

    @property
    def payload(self) -> dict[str, Any]:
        """The exact API payload when valid; the best-effort body otherwise."""
        return to_api_payload(self.request) if self.request else self.data

    @property
    def total_drafts(self) -> int:
        return sum(_variations(item) for item in self.data["instructions"])


def _variations(item: Mapping[str, Any]) -> int:
    value = item.get("num_variations", 1)
    return value if isinstance(value, int) else 1


def wizard_check(*, draft: WizardDraft) -> WizardCheck:
    data = wizard_request_data(draft)
    try:
        request = validate_creation_request(data)
    except BriefError as error:
        return WizardCheck(
            data=data, request=None, errors=tuple(error.errors), blocked_term=error.blocked_term
        )
    try:
        quote = job_quote(request=request)
    except ApiError as error:
        return WizardCheck(data=data, request=request, quote_error=_first_message(error))
    return WizardCheck(data=data, request=request, quote=quote)


def _first_message(error: ApiError) -> str:
    return error.detail[0].message if error.detail else error.error


def wizard_dispatch(*, draft: WizardDraft, account: Account, user) -> Job:
    """Generate: validate the brief and hand it to `job_create`.

    Raises BriefError (validation, blocked real-person names) or ApiError (503 creation off,
    403 size above the plan, 429 concurrent-job cap, 402 credits), as the API would answer.
    """
    request = validate_creation_request(wizard_request_data(draft))
    with transaction.atomic():
        job = job_create(account=account, user=user, request=request)
        WizardDraft.objects.filter(pk=draft.pk).update(last_job=job)
    return job
