"""What every step of the Create wizard shares: loading the brief (404 outside the account),
the page context, and rendering the full page or the part htmx asked for."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.models import Account
from config.requests import AppRequest, wants_partial
from identities.briefs.validation import MAX_INSTRUCTIONS
from identities.models import Brief
from identities.selectors import creation_enabled
from identities.wizard import display as wd
from identities.wizard.check import brief_check
from identities.wizard.selectors import brief_get_for

CONFIGURE = "wizard/configure.html"
REVIEW = "wizard/review.html"
BODY = "wizard/partials/_body.html"
EDITED = "wizard/partials/_edited.html"
REVIEW_FORM = "wizard/partials/_review_form.html"


def account_of(request: AppRequest) -> Account:
    """The request's account (set once per request by the accounts middleware); a signed-in
    user without a workspace has no brief to open."""
    if not request.account:
        raise Http404("No workspace")
    return request.account


def load(request: AppRequest, brief_id: str) -> tuple[Account, Brief]:
    account = account_of(request)
    return account, brief_get_for(account=account, public_id=brief_id)


def instruction_or_404(brief: Brief, key: str) -> dict:
    item = next((i for i in brief.instructions if i["key"] == key), None)
    if item is None:
        raise Http404("This instruction was removed, perhaps in another tab.")
    return item


def context_for(request: AppRequest, brief: Brief, account, **extra) -> dict:
    check = extra.pop("check", None) or brief_check(brief=brief)
    enabled, why = creation_enabled()
    context = {
        "nav": "identities",
        "account": account,
        "brief": brief,
        "check": check,
        "json_text": wd.payload_json(check),
        "problems": wd.problem_list(check.errors, brief.instructions),
        "creation_enabled": enabled,
        "creation_off_reason": why,
        "can_add": len(brief.instructions) < MAX_INSTRUCTIONS,
        "max_instructions": MAX_INSTRUCTIONS,
        "job_url": job_url(brief.last_job.public_id) if brief.last_job_id else "",
    }
    context.update(extra)
    return context


def job_url(public_id: str) -> str:
    return reverse("identities:job_detail", args=[public_id])


def render_configure(request, brief, account, *, status=200, **extra):
    """The Configure step: the full page, or its body for htmx."""
    context = context_for(request, brief, account, step="configure", **extra)
    context["instructions"] = wd.instruction_views(
        brief.instructions, context["check"].errors, form_errors=extra.get("form_errors")
    )
    template = BODY if wants_partial(request) else CONFIGURE
    return render(request, template, context, status=status)


def configure_url(brief: Brief, anchor: str = "") -> str:
    url = reverse("identities:wizard_configure", args=[brief.public_id])
    return f"{url}#{anchor}" if anchor else url


def after_structure_change(request, brief, account, *, focus="", anchor="", **extra):
    if not wants_partial(request):
        return redirect(configure_url(brief, anchor or focus.removesuffix("-title")))
    return render_configure(request, brief, account, focus=focus, **extra)


def render_tool_panel(request, brief, account, key, tool, *, status=200, **extra):
    """A panel inside one instruction: alone for htmx, or open in the full page."""
    if wants_partial(request):
        context = context_for(request, brief, account, tool=tool, tool_key=key, **extra)
        context["ins"] = next(
            v
            for v in wd.instruction_views(brief.instructions, context["check"].errors)
            if v.key == key
        )
        return render(request, f"wizard/partials/_{tool}.html", context, status=status)
    return render_configure(
        request, brief, account, status=status, tool=tool, tool_key=key, **extra
    )


def render_panel(request, brief, account, panel, *, status=200, **extra):
    """A header panel (Load Preset, Save as preset): alone for htmx, or open in the page."""
    if wants_partial(request):
        context = context_for(request, brief, account, **extra)
        return render(request, f"wizard/partials/_{panel}.html", context, status=status)
    return render_configure(request, brief, account, status=status, panel=panel, **extra)
