"""What every step of the Create wizard shares: loading the brief (404 outside the account),
the page context, and rendering the full page or the part htmx asked for."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.selectors import membership_for
from config.requests import AppRequest, wants_partial
from identities.briefs.validation import MAX_INSTRUCTIONS
from identities.forms import wizard as wf
from identities.models import WizardDraft
from identities.services import wizard as ws
from identities.services.jobs import creation_enabled

CONFIGURE = "identities/wizard/configure.html"
REVIEW = "identities/wizard/review.html"
BODY = "identities/partials/_wizard_body.html"
EDITED = "identities/partials/_wizard_edited.html"
REVIEW_FORM = "identities/partials/_wizard_review_form.html"


def load(request: AppRequest, draft_id: str):
    account = membership_for(user=request.user).account
    return account, ws.wizard_get_for(account=account, public_id=draft_id)


def instruction_or_404(draft: WizardDraft, key: str) -> dict:
    item = next((i for i in draft.instructions if i["key"] == key), None)
    if item is None:
        raise Http404("This instruction was removed, perhaps in another tab.")
    return item


def context_for(request: AppRequest, draft: WizardDraft, account, **extra) -> dict:
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
        "job_url": job_url(draft.last_job.public_id) if draft.last_job_id else "",
    }
    context.update(extra)
    return context


def job_url(public_id: str) -> str:
    return reverse("identities:job_detail", args=[public_id])


def render_configure(request, draft, account, *, status=200, **extra):
    """The Configure step: the full page, or its body for htmx."""
    context = context_for(request, draft, account, step="configure", **extra)
    context["instructions"] = wf.instruction_views(
        draft.instructions, context["check"].errors, form_errors=extra.get("form_errors")
    )
    template = BODY if wants_partial(request) else CONFIGURE
    return render(request, template, context, status=status)


def configure_url(draft: WizardDraft, anchor: str = "") -> str:
    url = reverse("identities:wizard_configure", args=[draft.public_id])
    return f"{url}#{anchor}" if anchor else url


def after_structure_change(request, draft, account, *, focus="", anchor="", **extra):
    if not wants_partial(request):
        return redirect(configure_url(draft, anchor or focus.removesuffix("-title")))
    return render_configure(request, draft, account, focus=focus, **extra)


def render_tool_panel(request, draft, account, key, tool, *, status=200, **extra):
    """A panel inside one instruction: alone for htmx, or open in the full page."""
    if wants_partial(request):
        context = context_for(request, draft, account, tool=tool, tool_key=key, **extra)
        context["ins"] = next(
            v
            for v in wf.instruction_views(draft.instructions, context["check"].errors)
            if v.key == key
        )
        return render(request, f"identities/partials/_wizard_{tool}.html", context, status=status)
    return render_configure(
        request, draft, account, status=status, tool=tool, tool_key=key, **extra
    )


def render_panel(request, draft, account, panel, *, status=200, **extra):
    """A header panel (Load Preset, Save as preset): alone for htmx, or open in the page."""
    if wants_partial(request):
        context = context_for(request, draft, account, **extra)
        return render(request, f"identities/partials/_wizard_{panel}.html", context, status=status)
    return render_configure(request, draft, account, status=status, panel=panel, **extra)
