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

from config.forms import INVALID, add_service_errors
from config.requests import AppRequest, wants_partial
from identities.wizard import display as wd
from identities.wizard import forms as wf
from identities.wizard import services as ws
from identities.wizard.convert import FIELD_PATHS
from identities.wizard.views.common import (
    CONFIGURE,
    EDITED,
    account_of,
    after_structure_change,
    configure_url,
    context_for,
    instruction_or_404,
    load,
    reference_assets,
    render_configure,
    render_tool_panel,
)

# --- starting -----------------------------------------------------------------------------------


@login_required
@require_safe
def start(request: AppRequest):
    """Create: reopen the brief in progress (or a new one) at its own address."""
    account = account_of(request)
    brief = ws.brief_start(account=account, user=request.user)
    return redirect("identities:wizard_configure", brief_id=brief.public_id)


@login_required
@require_POST
def restart(request: AppRequest):
    """Start over (after the browser's confirmation): the open brief, emptied."""
    account = account_of(request)
    brief = ws.brief_restart(account=account, user=request.user)
    url = configure_url(brief)
    if wants_partial(request):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


# --- Configure Instructions ---------------------------------------------------------------------


@login_required
@require_safe
def configure(request: AppRequest, brief_id: str):
    account, brief = load(request, brief_id)
    return render_configure(request, brief, account, inspect_open=request.GET.get("inspect") == "1")


@login_required
@require_POST
def instruction_save(request: AppRequest, brief_id: str, key: str):
    """One field typed, one chip clicked, or (without JavaScript) the whole instruction."""
    account, brief = load(request, brief_id)
    instruction_or_404(brief, key)
    form = wf.InstructionEditForm(request.POST)
    if not form.is_valid():
        return _edited(request, brief, account, key=key, form=form, status=INVALID)
    chip = form.cleaned_data["chip"]
    try:
        brief = ws.brief_fields_update(brief=brief, key=key, values=form.values(), chip=chip)
    except ValidationError as error:
        add_service_errors(form, error)
        return _edited(request, brief, account, key=key, form=form, status=INVALID)
    if not wants_partial(request):
        anchor = wd.field_anchor(key, chip[0] if chip else next(iter(form.values()), ""))
        return redirect(configure_url(brief, anchor))
    return _edited(request, brief, account, key=key, form=form, status=200)


def _edited(request, brief, account, *, key, form, status):
    """What one edit changed: the chip's whole field, the typed field's chips and problems, or
    (a full form post) the instruction; with the inspector, summary and status out of band."""
    part, path = _edited_part(request.POST, form)
    form_errors = None
    if form.errors:
        # A refused chip is reported on the field it belongs to.
        form_errors = {
            key: {(path if name == "chip" else name): e for name, e in form.errors.items()}
        }
    context = context_for(request, brief, account, step="configure", form_errors=form_errors)
    views = wd.instruction_views(
        brief.instructions,
        context["check"].errors,
        form_errors=form_errors,
        assets=reference_assets(request, account, brief),
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
    """Which fragment answers an edit, and for which field path.

    A chip posts itself alone (its group's hx-params) and gets its field back. A chip that
    arrives with the whole instruction came through the instruction form, whose target is the
    card: it gets the card, so the answer always fits what htmx swaps."""
    posted = [name for name in form.fields if name in post and name != "chip"]
    if post.get("chip"):
        path = post["chip"].partition("=")[0]
        return ("field", path) if path in FIELD_PATHS and not posted else ("instruction", "")
    if len(posted) == 1:
        return ("prompt", "prompt") if posted[0] == "prompt" else ("extra", posted[0])
    return "instruction", ""


@login_required
@require_POST
def instruction_add(request: AppRequest, brief_id: str):
    account, brief = load(request, brief_id)
    try:
        brief, key = ws.brief_instruction_add(brief=brief)
    except ws.WizardLimit as error:
        return render_configure(
            request, brief, account, status=INVALID, add_error=error.messages[0]
        )
    return after_structure_change(request, brief, account, focus=f"ins-{key}-title")


@login_required
@require_POST
def instruction_duplicate(request: AppRequest, brief_id: str, key: str):
    account, brief = load(request, brief_id)
    instruction_or_404(brief, key)
    try:
        brief, new_key = ws.brief_instruction_duplicate(brief=brief, key=key)
    except ws.WizardLimit as error:
        return render_configure(
            request, brief, account, status=INVALID, add_error=error.messages[0]
        )
    return after_structure_change(request, brief, account, focus=f"ins-{new_key}-title")


@login_required
@require_POST
def instruction_remove(request: AppRequest, brief_id: str, key: str):
    account, brief = load(request, brief_id)
    position = brief.instructions.index(instruction_or_404(brief, key))
    try:
        brief = ws.brief_instruction_remove(brief=brief, key=key)
    except ws.WizardLimit as error:
        return render_configure(
            request, brief, account, status=INVALID, add_error=error.messages[0]
        )
    # Focus moves to the instruction that took the removed one's place (or the one before it).
    neighbour = brief.instructions[min(position, len(brief.instructions) - 1)]
    return after_structure_change(request, brief, account, focus=f"ins-{neighbour['key']}-title")


@login_required
@require_http_methods(["GET", "POST"])
def expert(request: AppRequest, brief_id: str, key: str):
    """GET: the confirmation (the text goes verbatim, the fields are ignored). POST: switch."""
    account, brief = load(request, brief_id)
    instruction_or_404(brief, key)
    if request.method == "GET":
        return render_tool_panel(request, brief, account, key, "expert")
    form = wf.ExpertForm(request.POST)
    if not form.is_valid():
        return render_tool_panel(request, brief, account, key, "expert", status=INVALID)
    brief = ws.brief_expert_set(brief=brief, key=key, expert=form.cleaned_data["expert"])
    focus = f"prompt-{key}-input" if form.cleaned_data["expert"] else f"expert-{key}"
    return after_structure_change(request, brief, account, focus=focus, anchor=f"ins-{key}")
