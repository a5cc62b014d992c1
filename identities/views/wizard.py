"""The Create wizard: Configure Instructions, then Review and generate.

Every view: the brief through `wizard_get_for` (404 outside the account) → a form → one
service → the full page, or for htmx the part that changed. Typing and chip clicks answer with
that field's fragment plus out-of-band updates (JSON inspector, summary, instruction status);
structural edits (add, duplicate, remove, expert mode, Load Preset) answer with the wizard body.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.selectors import membership_for
from config.api.errors import ApiError
from config.forms import INVALID, add_service_errors
from config.requests import AppRequest, wants_partial
from identities.briefs.request import BriefError
from identities.briefs.validation import MAX_INSTRUCTIONS
from identities.forms import wizard as wf
from identities.models import WizardDraft
from identities.services import wizard as ws
from identities.services.jobs import creation_enabled
from identities.services.presets import preset_get_for, preset_list_for

CONFIGURE = "identities/wizard/configure.html"
REVIEW = "identities/wizard/review.html"
BODY = "identities/partials/_wizard_body.html"
EDITED = "identities/partials/_wizard_edited.html"
REVIEW_FORM = "identities/partials/_wizard_review_form.html"
EXTRACT_SOURCES = {"image": "From Image", "text": "From Text"}


def _load(request: AppRequest, draft_id: str):
    account = membership_for(user=request.user).account
    return account, ws.wizard_get_for(account=account, public_id=draft_id)


def _instruction(draft: WizardDraft, key: str) -> dict:
    item = next((i for i in draft.instructions if i["key"] == key), None)
    if item is None:
        raise Http404("This instruction was removed, perhaps in another tab.")
    return item


def _context(request: AppRequest, draft: WizardDraft, account, **extra) -> dict:
    check = extra.pop("check", None) or ws.wizard_check(draft=draft)
    enabled, why = creation_enabled()
    context = {
        "nav": "identities",
        "account": account,
        "draft": draft,
        "check": check,
        "json_text": wf.payload_json(check),
        "problems": wf.problem_list(check.errors, draft.instructions),
        "creation_enabled": enabled,
        "creation_off_reason": why,
        "can_add": len(draft.instructions) < MAX_INSTRUCTIONS,
        "max_instructions": MAX_INSTRUCTIONS,
        "job_url": _job_url(draft.last_job.public_id) if draft.last_job_id else "",
    }
    context.update(extra)
    return context


def _job_url(public_id: str) -> str:
    return reverse("identities:job_detail", args=[public_id])


def _configure(request, draft, account, *, status=200, **extra):
    """The Configure step: the full page, or its body for htmx."""
    context = _context(request, draft, account, step="configure", **extra)
    context["instructions"] = wf.instruction_views(
        draft.instructions, context["check"].errors, form_errors=extra.get("form_errors")
    )
    template = BODY if wants_partial(request) else CONFIGURE
    return render(request, template, context, status=status)


def _configure_url(draft: WizardDraft, anchor: str = "") -> str:
    url = reverse("identities:wizard_configure", args=[draft.public_id])
    return f"{url}#{anchor}" if anchor else url


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
    account = membership_for(user=request.user).account
    draft = ws.wizard_restart(account=account, user=request.user)
    return redirect("identities:wizard_configure", draft_id=draft.public_id)


# --- Configure Instructions ---------------------------------------------------------------------


@login_required
@require_safe
def configure(request: AppRequest, draft_id: str):
    account, draft = _load(request, draft_id)
    return _configure(request, draft, account, inspect_open=request.GET.get("inspect") == "1")


@login_required
@require_POST
def instruction_save(request: AppRequest, draft_id: str, key: str):
    """One field typed, one chip clicked, or (without JavaScript) the whole instruction."""
    account, draft = _load(request, draft_id)
    _instruction(draft, key)
    form = wf.InstructionEditForm(request.POST)
    status = 200
    if form.is_valid():
        chip = form.cleaned_data["chip"]
        try:
            draft = ws.wizard_fields_update(draft=draft, key=key, values=form.values(), chip=chip)
        except ws.InstructionGone:
            raise Http404("This instruction was removed, perhaps in another tab.") from None
        if not wants_partial(request):
            anchor = wf.field_anchor(key, chip[0] if chip else next(iter(form.values()), ""))
            return redirect(_configure_url(draft, anchor))
    else:
        status = INVALID
        chip = None
    return _edited(request, draft, account, key=key, form=form, status=status)


def _edited(request, draft, account, *, key, form, status):
    """What one edit changed: the chip's whole field, the typed field's chips and problems, or
    (a full form post) the instruction; with the inspector, summary and status out of band."""
    form_errors = {key: dict(form.errors)} if form.errors else None
    context = _context(request, draft, account, step="configure", form_errors=form_errors)
    views = wf.instruction_views(
        draft.instructions, context["check"].errors, form_errors=form_errors
    )
    context["instructions"] = views
    if not wants_partial(request):
        # No JavaScript and an invalid post: the whole page, with the problem in place.
        return render(request, CONFIGURE, context, status=status)
    ins = next(v for v in views if v.key == key)
    part, path = _edited_part(request.POST, form)
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
    account, draft = _load(request, draft_id)
    try:
        draft, key = ws.wizard_instruction_add(draft=draft)
    except ws.WizardLimit as error:
        return _configure(request, draft, account, status=INVALID, add_error=error.messages[0])
    return _after_structure_change(request, draft, account, focus=f"ins-{key}-title")


@login_required
@require_POST
def instruction_duplicate(request: AppRequest, draft_id: str, key: str):
    account, draft = _load(request, draft_id)
    _instruction(draft, key)
    try:
        draft, new_key = ws.wizard_instruction_duplicate(draft=draft, key=key)
    except ws.WizardLimit as error:
        return _configure(request, draft, account, status=INVALID, add_error=error.messages[0])
    return _after_structure_change(request, draft, account, focus=f"ins-{new_key}-title")


@login_required
@require_POST
def instruction_remove(request: AppRequest, draft_id: str, key: str):
    account, draft = _load(request, draft_id)
    position = draft.instructions.index(_instruction(draft, key))
    try:
        draft = ws.wizard_instruction_remove(draft=draft, key=key)
    except ws.WizardLimit as error:
        return _configure(request, draft, account, status=INVALID, add_error=error.messages[0])
    # Focus moves to the instruction that took the removed one's place (or the one before it).
    neighbour = draft.instructions[min(position, len(draft.instructions) - 1)]
    return _after_structure_change(request, draft, account, focus=f"ins-{neighbour['key']}-title")


def _after_structure_change(request, draft, account, *, focus="", anchor="", **extra):
    if not wants_partial(request):
        return redirect(_configure_url(draft, anchor or focus.removesuffix("-title")))
    return _configure(request, draft, account, focus=focus, **extra)


@login_required
@require_http_methods(["GET", "POST"])
def expert(request: AppRequest, draft_id: str, key: str):
    """GET: the confirmation (the text goes verbatim, the fields are ignored). POST: switch."""
    account, draft = _load(request, draft_id)
    _instruction(draft, key)
    if request.method == "GET":
        return _tool_panel(request, draft, account, key, "expert")
    form = wf.ExpertForm(request.POST)
    if not form.is_valid():
        return _tool_panel(request, draft, account, key, "expert", status=INVALID)
    draft = ws.wizard_expert_set(draft=draft, key=key, expert=form.cleaned_data["expert"])
    focus = f"prompt-{key}-input" if form.cleaned_data["expert"] else f"expert-{key}"
    return _after_structure_change(request, draft, account, focus=focus, anchor=f"ins-{key}")


@login_required
@require_safe
def extract(request: AppRequest, draft_id: str, key: str, source: str):
    """From Image / From Text. The extraction service lands in a later issue: until then the
    panel says so plainly and fills nothing."""
    account, draft = _load(request, draft_id)
    _instruction(draft, key)
    if source not in EXTRACT_SOURCES:
        raise Http404("Unknown source")
    return _tool_panel(request, draft, account, key, "extract", source=EXTRACT_SOURCES[source])


def _tool_panel(request, draft, account, key, tool, *, status=200, **extra):
    """A panel inside one instruction: alone for htmx, or open in the full page."""
    if wants_partial(request):
        context = _context(request, draft, account, tool=tool, tool_key=key, **extra)
        context["ins"] = next(
            v
            for v in wf.instruction_views(draft.instructions, context["check"].errors)
            if v.key == key
        )
        return render(request, f"identities/partials/_wizard_{tool}.html", context, status=status)
    return _configure(request, draft, account, status=status, tool=tool, tool_key=key, **extra)


# --- presets ------------------------------------------------------------------------------------


def _targets(draft: WizardDraft) -> list[tuple[str, str]]:
    targets = [
        (i["key"], f"Instruction {n} (replace it)") for n, i in enumerate(draft.instructions, 1)
    ]
    if len(draft.instructions) < MAX_INSTRUCTIONS:
        targets.append(("new", "A new instruction"))
    return targets


def _default_target(draft: WizardDraft) -> str:
    """An untouched instruction is the natural place for a preset; otherwise a new one."""
    for item in draft.instructions:
        if not ws.instruction_is_blank(item):
            continue
        return item["key"]
    return "new" if len(draft.instructions) < MAX_INSTRUCTIONS else draft.instructions[-1]["key"]


def _sources(draft: WizardDraft) -> list[tuple[str, str]]:
    return [(i["key"], f"Instruction {n}") for n, i in enumerate(draft.instructions, 1)]


def _panel(request, draft, account, panel, *, status=200, **extra):
    """A header panel (Load Preset, Save as preset): alone for htmx, or open in the page."""
    if wants_partial(request):
        context = _context(request, draft, account, **extra)
        return render(request, f"identities/partials/_wizard_{panel}.html", context, status=status)
    return _configure(request, draft, account, status=status, panel=panel, **extra)


@login_required
@require_safe
def presets(request: AppRequest, draft_id: str):
    account, draft = _load(request, draft_id)
    return _preset_panel(request, draft, account)


def _preset_panel(request, draft, account, *, form=None, status=200):
    own, catalog = preset_list_for(account=account)
    form = form or wf.PresetLoadForm(
        initial={"target": _default_target(draft)}, targets=_targets(draft)
    )
    return _panel(
        request,
        draft,
        account,
        "presets",
        status=status,
        load_form=form,
        own_presets=own,
        catalog_presets=catalog,
    )


@login_required
@require_POST
def preset_load(request: AppRequest, draft_id: str):
    account, draft = _load(request, draft_id)
    form = wf.PresetLoadForm(request.POST, targets=_targets(draft))
    if not form.is_valid():
        return _preset_panel(request, draft, account, form=form, status=INVALID)
    preset = preset_get_for(account=account, preset_id=form.cleaned_data["preset"])
    target = form.cleaned_data["target"]
    try:
        draft, key = ws.wizard_preset_load(
            draft=draft, preset=preset, key=None if target == "new" else target
        )
    except (ws.WizardLimit, ws.InstructionGone) as error:
        form.add_error("target", getattr(error, "messages", ["Pick the instruction again."])[0])
        return _preset_panel(request, draft, account, form=form, status=INVALID)
    if not wants_partial(request):
        messages.success(request, f"Loaded the preset “{preset.name}”. Change anything you like.")
    return _after_structure_change(
        request, draft, account, focus=f"ins-{key}-title", loaded_preset=preset
    )


@login_required
@require_http_methods(["GET", "POST"])
def preset_save(request: AppRequest, draft_id: str):
    account, draft = _load(request, draft_id)
    form = wf.PresetSaveForm(request.POST or None, sources=_sources(draft))
    if request.method == "GET":
        return _panel(request, draft, account, "save_preset", save_form=form)
    if form.is_valid():
        try:
            preset = ws.wizard_preset_save(
                draft=draft,
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
            fresh = wf.PresetSaveForm(sources=_sources(draft))
            return _panel(request, draft, account, "save_preset", save_form=fresh, saved=preset)
    return _panel(request, draft, account, "save_preset", status=INVALID, save_form=form)


# --- Review and generate ------------------------------------------------------------------------


def _review(request, draft, account, *, status=200, form=None, failure=None, extra_errors=()):
    check = ws.wizard_check(draft=draft)
    errors = (*check.errors, *extra_errors)
    context = _context(request, draft, account, step="review", check=check, failure=failure)
    context["problems"] = wf.problem_list(errors, draft.instructions)
    context["review"] = wf.review_views(
        draft.instructions, errors, plan=account.plan, model=draft.model
    )
    context["engines"] = wf.engine_views(draft.model)
    job_errors = wf.map_errors(errors).job
    context["engine_errors"] = job_errors.get("options.model", [])
    context["name_errors"] = job_errors.get("name", [])
    context["review_form"] = form
    if wants_partial(request):
        return render(request, REVIEW_FORM, {**context, "oob": True}, status=status)
    return render(request, REVIEW, context, status=status)


def _save_review(draft: WizardDraft, form: wf.ReviewForm) -> WizardDraft:
    return ws.wizard_options_update(
        draft=draft,
        instructions=form.instruction_options(),
        model=form.cleaned_data["model"],
        name=form.cleaned_data["name"],
        add_ai_watermark=form.cleaned_data["add_ai_watermark"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: AppRequest, draft_id: str):
    """GET: the Review step. POST: save its choices (each change, by htmx)."""
    account, draft = _load(request, draft_id)
    if request.method == "GET":
        return _review(request, draft, account)
    form = wf.ReviewForm(request.POST, keys=[i["key"] for i in draft.instructions])
    if not form.is_valid():
        return _review(request, draft, account, form=form, status=INVALID)
    draft = _save_review(draft, form)
    if not wants_partial(request):
        return redirect("identities:wizard_review", draft_id=draft.public_id)
    return _review(request, draft, account)


@login_required
@require_POST
def generate(request: AppRequest, draft_id: str):
    """Save the Review step's choices as posted, then dispatch; on success, the job page."""
    account, draft = _load(request, draft_id)
    form = wf.ReviewForm(request.POST, keys=[i["key"] for i in draft.instructions])
    if "model" in request.POST:
        if not form.is_valid():
            return _review(request, draft, account, form=form, status=INVALID)
        draft = _save_review(draft, form)
    try:
        job = ws.wizard_dispatch(draft=draft, account=account, user=request.user)
    except BriefError as error:
        failure = wf.DispatchFailure.from_brief_error(error)
        return _review(request, draft, account, failure=failure, status=INVALID)
    except ApiError as error:
        failure = wf.DispatchFailure.from_api_error(error)
        return _review(
            request, draft, account, failure=failure, extra_errors=error.detail, status=INVALID
        )
    url = _job_url(job.public_id)
    if wants_partial(request):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)
