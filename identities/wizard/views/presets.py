"""Load Preset and Save as preset, as panels under the wizard's header."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.forms import INVALID, add_service_errors
from config.requests import AppRequest, wants_partial
from identities.briefs.validation import MAX_INSTRUCTIONS
from identities.models import Brief
from identities.wizard import forms as wf
from identities.wizard import presets as wp
from identities.wizard import services as ws
from identities.wizard.convert import instruction_is_blank
from identities.wizard.display.review import brief_summary
from identities.wizard.selectors import preset_get_for, preset_list_for
from identities.wizard.views.common import (
    after_structure_change,
    load,
    render_panel,
)


def _targets(brief: Brief) -> list[tuple[str, str]]:
    targets = [
        (i["key"], f"Instruction {n} (replace it)") for n, i in enumerate(brief.instructions, 1)
    ]
    if len(brief.instructions) < MAX_INSTRUCTIONS:
        targets.append(("new", "A new instruction"))
    return targets


def _default_target(brief: Brief) -> str:
    """An untouched instruction is the natural place for a preset; otherwise a new one."""
    for item in brief.instructions:
        if not instruction_is_blank(item):
            continue
        return item["key"]
    return "new" if len(brief.instructions) < MAX_INSTRUCTIONS else brief.instructions[-1]["key"]


def _sources(brief: Brief) -> list[tuple[str, str]]:
    """Each instruction with what it says, so the user can tell which one they are saving;
    filled ones first, so the default is never an empty leftover."""
    numbered = list(enumerate(brief.instructions, 1))
    numbered.sort(key=lambda pair: instruction_is_blank(pair[1]))
    return [
        (i["key"], f"Instruction {n}: {brief_summary(i, limit=80) or 'empty'}") for n, i in numbered
    ]


@login_required
@require_safe
def presets(request: AppRequest, brief_id: str):
    account, brief = load(request, brief_id)
    return _preset_panel(request, brief, account)


def _preset_panel(request, brief, account, *, form=None, status=200):
    own, catalog = preset_list_for(account=account)
    form = form or wf.PresetLoadForm(
        initial={"target": _default_target(brief)}, targets=_targets(brief)
    )
    return render_panel(
        request,
        brief,
        account,
        "presets",
        status=status,
        load_form=form,
        own_presets=own,
        catalog_presets=catalog,
    )


@login_required
@require_POST
def preset_load(request: AppRequest, brief_id: str):
    account, brief = load(request, brief_id)
    form = wf.PresetLoadForm(request.POST, targets=_targets(brief))
    if not form.is_valid():
        return _preset_panel(request, brief, account, form=form, status=INVALID)
    preset = preset_get_for(account=account, preset_id=form.cleaned_data["preset"])
    target = form.cleaned_data["target"]
    try:
        brief, key = wp.brief_preset_load(
            brief=brief, preset=preset, key=None if target == "new" else target
        )
    except (ws.WizardLimit, ws.InstructionGone) as error:
        form.add_error("target", getattr(error, "messages", ["Pick the instruction again."])[0])
        return _preset_panel(request, brief, account, form=form, status=INVALID)
    if not wants_partial(request):
        messages.success(request, f"Loaded the preset “{preset.name}”. Change anything you like.")
    return after_structure_change(
        request, brief, account, focus=f"ins-{key}-title", loaded_preset=preset
    )


@login_required
@require_http_methods(["GET", "POST"])
def preset_save(request: AppRequest, brief_id: str):
    account, brief = load(request, brief_id)
    form = wf.PresetSaveForm(request.POST or None, sources=_sources(brief))
    if request.method == "GET":
        return render_panel(request, brief, account, "save_preset", save_form=form)
    if form.is_valid():
        try:
            preset = wp.brief_preset_save(
                brief=brief,
                key=form.cleaned_data["source"],
                user=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ws.InstructionGone:
            form.add_error("source", "That instruction was removed; pick another.")
        else:
            fresh = wf.PresetSaveForm(sources=_sources(brief))
            return render_panel(
                request, brief, account, "save_preset", save_form=fresh, saved=preset
            )
    return render_panel(request, brief, account, "save_preset", status=INVALID, save_form=form)
