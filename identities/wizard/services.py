"""Writes of the Create wizard: the working `Brief`, edited one field at a time, and Generate,
dispatched through the same `job_create` as the API.

The wizard adds no business rules: what a brief may say comes from `briefs.validation`, what a
plan or an engine allows from their own declarations, and Generate calls `job_create`.

Races this module closes: two quick edits saving different fields of the same brief at once
(each edit re-reads the row under `select_for_update()` and changes only its own field), and a
second tab that still shows an older brief. `Brief.version` counts the writes: the `Brief` a
caller passes in is the brief as its page saw it, and a write only lands with a conditional
UPDATE … WHERE version = seen, so a stale tab is refused (`StaleBrief`) instead of silently
overwriting what the other tab did.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from accounts.models import Account, Plan
from identities.briefs.request import (
    DEFAULT_AR,
    DEFAULT_FORMAT,
    DEFAULT_MODEL,
    DEFAULT_SIZE,
)
from identities.briefs.validation import (
    MAX_INPUT_ASSETS,
    MAX_INSTRUCTIONS,
    validate_creation_request,
)
from identities.briefs.vocabulary import GROUPS, chip_values
from identities.models import Brief, Instruction, Job
from identities.services.jobs import job_create
from identities.wizard.convert import (
    FIELD_PATHS,
    OPTION_KEYS,
    brief_to_api,
    instruction_is_blank,
)
from identities.wizard.selectors import brief_open_for


class WizardLimit(ValidationError):
    """An edit the wizard cannot make (a sixth instruction, removing the only one)."""


class StaleBrief(Exception):
    """The brief changed (in another tab) since the page making this write last saw it."""

    message = "This brief was changed in another tab — reload to see it."


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
    """Start over: the open brief, emptied back to one blank instruction. Starting over is
    deliberate (the browser asked first), so it applies to the latest version."""
    brief = brief_start(account=account, user=user)
    with _editing(brief) as locked:
        locked.instructions = [new_instruction(plan=account.plan)]
        locked.model = DEFAULT_MODEL
        locked.name = ""
        locked.add_ai_watermark = False
    return locked


def brief_in_progress(brief: Brief) -> bool:
    """Something typed or chosen that starting afresh would throw away."""
    changed = brief.name.strip() or brief.model != DEFAULT_MODEL or len(brief.instructions) > 1
    return bool(changed) or not all(instruction_is_blank(i) for i in brief.instructions)


def brief_start_from(*, brief: Brief, content: Mapping[str, Any]) -> tuple[Brief, str]:
    """A fresh brief holding exactly `content` (an identity's brief, in the brief's shape):
    one instruction, default options, no name, engine or watermark left from before."""
    with _editing(brief) as locked:
        item = new_instruction(plan=locked.account.plan)
        for group in GROUPS:
            item[group] = {k: v for k, v in content.get(group, {}).items() if str(v).strip()}
        locked.instructions = [item]
        locked.model = DEFAULT_MODEL
        locked.name = ""
        locked.add_ai_watermark = False
    return locked, item["key"]


# --- editing ----------------------------------------------------------------------------------


@contextmanager
def _editing(brief: Brief) -> Iterator[Brief]:
    """Change the brief as of `brief.version` (the version the caller's page saw)."""
    seen = brief.version
    with transaction.atomic():
        locked = Brief.objects.select_for_update().get(pk=brief.pk)
        if locked.version != seen:
            raise StaleBrief()
        yield locked
        locked.full_clean()
        # Conditional on the version, so it stays right where select_for_update locks nothing.
        written = Brief.objects.filter(pk=locked.pk, version=seen).update(
            instructions=locked.instructions,
            model=locked.model,
            name=locked.name,
            add_ai_watermark=locked.add_ai_watermark,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if not written:
            raise StaleBrief()
        locked.version = seen + 1


def instruction_of(brief: Brief, key: str) -> dict[str, Any]:
    for item in brief.instructions:
        if item["key"] == key:
            return item
    raise InstructionGone(key)


def _edit_instruction(brief: Brief, key: str, change: Callable[[dict[str, Any]], None]) -> Brief:
    with _editing(brief) as locked:
        change(instruction_of(locked, key))
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


def brief_reference_add(*, brief: Brief, key: str, file_id: str) -> Brief:
    """Attach one of the account's uploads to an expert instruction as a reference image. The
    caller checks the upload is the account's; whether the engine takes references is the
    API's validation, shown on the Review step."""

    def change(item: dict[str, Any]) -> None:
        refs = item.setdefault("input_assets", [])
        if file_id in refs:
            return
        if len(refs) >= MAX_INPUT_ASSETS:
            raise WizardLimit(f"An instruction takes at most {MAX_INPUT_ASSETS} reference images.")
        refs.append(file_id)

    return _edit_instruction(brief, key, change)


def brief_reference_remove(*, brief: Brief, key: str, file_id: str) -> Brief:
    def change(item: dict[str, Any]) -> None:
        item["input_assets"] = [f for f in item.get("input_assets", []) if f != file_id]

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
        original = instruction_of(locked, key)
        copy = {**_deep_copy(original), "key": _new_key()}
        locked.instructions.insert(locked.instructions.index(original) + 1, copy)
    return locked, copy["key"]


def brief_instruction_remove(*, brief: Brief, key: str) -> Brief:
    with _editing(brief) as locked:
        item = instruction_of(locked, key)
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
            item = instruction_of(locked, key)
        for group in GROUPS:
            item[group] = dict(content.get(group, {}))
        item["expert"] = bool(content.get("expert"))
        item["prompt"] = content.get("prompt", "")
        if "input_assets" in content:
            item["input_assets"] = list(content["input_assets"])
        if "read_from" in content:
            item["read_from"] = list(content["read_from"])
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


# --- Generate -----------------------------------------------------------------------------------


def brief_dispatch(*, brief: Brief, account: Account, user) -> Job:
    """Generate: validate the brief and hand it to `job_create`.

    Raises BriefError (validation, blocked real-person names) or the refusals of `job_create`
    (creation paused, a size above the plan, rate and job caps, credits), as the API would.
    """
    request = validate_creation_request(brief_to_api(brief))
    with transaction.atomic():
        job = job_create(account=account, user=user, request=request)
        _instructions_read_from(job, brief)
        dispatched = Brief.objects.filter(pk=brief.pk, version=brief.version).update(
            last_job=job, version=F("version") + 1
        )
        if not dispatched:
            # Another tab changed the brief: this tab would generate what the user no longer
            # asks for. Rolling back undoes the job and its reservation.
            raise StaleBrief()
    return job


def _instructions_read_from(job: Job, brief: Brief) -> None:
    # The From Image photo is not part of the API request; recorded here (before the drafts'
    # tasks are queued on commit) for the worker's reference-leak guard.
    for index, item in enumerate(brief.instructions):
        if item.get("read_from"):
            Instruction.objects.filter(job=job, index=index).update(read_from=item["read_from"])
