"""The Configure Instructions step: start or restart a brief, edit its fields and chips, add,
duplicate and remove instructions, and expert mode (From Image / From Text: `extract.py`).

Typing and chip clicks answer with that field's fragment plus out-of-band updates (JSON
inspector, summary, instruction status); structural edits answer with the wizard body.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.selectors import membership_for
from config.forms import INVALID, add_service_errors
from config.requests import AppRequest, wants_partial
from identities.forms import wizard as wf
from identities.services import wizard as ws
from identities.views.wizard.common import (
    CONFIGURE,
    EDITED,
    after_structure_change,
    configure_url,
    context_for,
    instruction_or_404,
    load,
    render_configure,
    render_tool_panel,
)

# --- starting -----------------------------------------------------------------------------------


@login_required
@require_safe
def start(request: AppRequest):
    """Create: reopen the brief in progress (or a new one) at its own address."""
    account = membership_for(user=request.user).account
    draft = ws.wizard_start(account=account, user=request.user)
    return redirect("identities:wizard_configure", draft_id=draft.public_id)


@login_required
@require_POST
def restart(request: AppRequest):
    """Start over (after the browser's confirmation): the open brief, emptied."""
    account = membership_for(user=request.user).account
    draft = ws.wizard_restart(account=account, user=request.user)
    url = configure_url(draft)
    if wants_partial(request):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


# --- Configure Instructions ---------------------------------------------------------------------


@login_required
@require_safe
def configure(request: AppRequest, draft_id: str):
    account, draft = load(request, draft_id)
    return render_configure(request, draft, account, inspect_open=request.GET.get("inspect") == "1")


@login_required
@require_POST
def instruction_save(request: AppRequest, draft_id: str, key: str):
    """One field typed, one chip clicked, or (without JavaScript) the whole instruction."""
    account, draft = load(request, draft_id)
    instruction_or_404(draft, key)
    form = wf.InstructionEditForm(request.POST)
    if not form.is_valid():
        return _edited(request, draft, account, key=key, form=form, status=INVALID)
    chip = form.cleaned_data["chip"]
    try:
        draft = ws.wizard_fields_update(draft=draft, key=key, values=form.values(), chip=chip)
    except ValidationError as error:
        add_service_errors(form, error)
        return _edited(request, draft, account, key=key, form=form, status=INVALID)
    if not wants_partial(request):
        anchor = wf.field_anchor(key, chip[0] if chip else next(iter(form.values()), ""))
        return redirect(configure_url(draft, anchor))
    return _edited(request, draft, account, key=key, form=form, status=200)


def _edited(request, draft, account, *, key, form, status):
    """What one edit changed: the chip's whole field, the typed field's chips and problems, or
    (a full form post) the instruction; with the inspector, summary and status out of band."""
    part, path = _edited_part(request.POST, form)
    form_errors = None
    if form.errors:
        # A refused chip is reported on the field it belongs to.
        form_errors = {
            key: {(path if name == "chip" else name): e for name, e in form.errors.items()}
        }
    context = context_for(request, draft, account, step="configure", form_errors=form_errors)
    views = wf.instruction_views(
        draft.instructions, context["check"].errors, form_errors=form_errors
    )
    context["instructions"] = views
    if not wants_partial(request):
        # No JavaScript and an invalid post: the whole page, with the problem in place.
        return render(request, CONFIGURE, context, status=status)
    ins = next(v for v in views if v.key == key)
    context.update(ins=ins, part=part, f=ins.field(path) if part in ("field", "extra") else None)
    response = render(request, EDITED, context, status=status)
    if part == "instruction":
        response["HX-Retarget"] = f"#ins-{key}"
        response["HX-Reswap"] = "outerHTML"
    return response


def _edited_part(post, form) -> tuple[str, str]:
    """Which fragment answers an edit, and for which field path."""
    posted = [name for name in form.fields if name in post and name != "chip"]
    if post.get("chip"):
        path = post["chip"].partition("=")[0]
        return ("field", path) if path in ws.FIELD_PATHS else ("instruction", "")
    if len(posted) == 1:
        return ("prompt", "prompt") if posted[0] == "prompt" else ("extra", posted[0])
    return "instruction", ""


@login_required
@require_POST
def instruction_add(request: AppRequest, draft_id: str):
    account, draft = load(request, draft_id)
    try:
        draft, key = ws.wizard_instruction_add(draft=draft)
    except ws.WizardLimit as error:
        return render_configure(
            request, draft, account, status=INVALID, add_error=error.messages[0]
        )
    return after_structure_change(request, draft, account, focus=f"ins-{key}-title")


@login_required
@require_POST
def instruction_duplicate(request: AppRequest, draft_id: str, key: str):
    account, draft = load(request, draft_id)
    instruction_or_404(draft, key)
    try:
        draft, new_key = ws.wizard_instruction_duplicate(draft=draft, key=key)
    except ws.WizardLimit as error:
        return render_configure(
            request, draft, account, status=INVALID, add_error=error.messages[0]
        )
    return after_structure_change(request, draft, account, focus=f"ins-{new_key}-title")


@login_required
@require_POST
def instruction_remove(request: AppRequest, draft_id: str, key: str):
    account, draft = load(request, draft_id)
    position = draft.instructions.index(instruction_or_404(draft, key))
    try:
        draft = ws.wizard_instruction_remove(draft=draft, key=key)
    except ws.WizardLimit as error:
        return render_configure(
            request, draft, account, status=INVALID, add_error=error.messages[0]
        )
    # Focus moves to the instruction that took the removed one's place (or the one before it).
    neighbour = draft.instructions[min(position, len(draft.instructions) - 1)]
    return after_structure_change(request, draft, account, focus=f"ins-{neighbour['key']}-title")


@login_required
@require_http_methods(["GET", "POST"])
def expert(request: AppRequest, draft_id: str, key: str):
    """GET: the confirmation (the text goes verbatim, the fields are ignored). POST: switch."""
    account, draft = load(request, draft_id)
    instruction_or_404(draft, key)
    if request.method == "GET":
        return render_tool_panel(request, draft, account, key, "expert")
    form = wf.ExpertForm(request.POST)
    if not form.is_valid():
        return render_tool_panel(request, draft, account, key, "expert", status=INVALID)
    draft = ws.wizard_expert_set(draft=draft, key=key, expert=form.cleaned_data["expert"])
    focus = f"prompt-{key}-input" if form.cleaned_data["expert"] else f"expert-{key}"
    return after_structure_change(request, draft, account, focus=focus, anchor=f"ins-{key}")
