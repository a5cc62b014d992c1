"""What every step of the Create wizard shares: loading the brief (404 outside the account),
the page context, and rendering the full page or the part htmx asked for."""

from __future__ import annotations

import uuid
from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.models import Account
from config.requests import AppRequest, wants_partial
from identities.briefs.validation import MAX_INSTRUCTIONS
from identities.media import private_url
from identities.models import Brief
from identities.selectors import assets_for, creation_enabled
from identities.wizard import display as wd
from identities.wizard.check import brief_check
from identities.wizard.selectors import brief_get_for
from identities.wizard.services import StaleBrief

CONFIGURE = "wizard/configure.html"
REVIEW = "wizard/review.html"
BODY = "wizard/partials/_body.html"
EDITED = "wizard/partials/_edited.html"
REVIEW_FORM = "wizard/partials/_review_form.html"
STALE = "wizard/partials/_stale.html"


def account_of(request: AppRequest) -> Account:
    """The request's account (set once per request by the accounts middleware); a signed-in
    user without a workspace has no brief to open."""
    if not request.account:
        raise Http404("No workspace")
    return request.account


def load(request: AppRequest, brief_id: str) -> tuple[Account, Brief]:
    """The brief, as of the version the posting page saw (`brief_version`, sent by wizard.js
    with every write): the services refuse the write if the brief has moved on since."""
    account = account_of(request)
    brief = brief_get_for(account=account, public_id=brief_id)
    seen = request.POST.get("brief_version", "") if request.method == "POST" else ""
    if seen.isdigit():
        brief.version = int(seen)
    return account, brief


def refuses_stale(view):
    """A write from a tab showing an older brief: nothing is saved, and the tab says so where
    it is looking (htmx) or on the reloaded step (a plain post)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except StaleBrief as stale:
            if wants_partial(request):
                response = render(request, STALE, {"message": stale.message}, status=409)
                response["HX-Retarget"] = "#wizard-conflict"
                response["HX-Reswap"] = "innerHTML"
                return response
            messages.error(request, stale.message)
            return redirect(request.path if request.method == "GET" else _step_of(request))

    return wrapper


def _step_of(request) -> str:
    match = request.resolver_match
    brief_id = match.kwargs.get("brief_id") if match else None
    if not brief_id:
        return reverse("identities:wizard_start")
    return reverse("identities:wizard_configure", args=[brief_id])


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


def reference_assets(request, account, brief: Brief) -> dict[str, dict[str, str]]:
    """The account's uploads a brief's expert instructions use as references, by file_id, with
    a thumbnail address. Another account's file_id finds nothing (the API refuses it too)."""
    wanted = {f for item in brief.instructions for f in item.get("input_assets", [])}
    if not wanted:
        return {}
    found = assets_for(account=account).filter(file_id__in=[f for f in wanted if _is_uuid(f)])
    return {
        str(a.file_id): {
            "file_id": str(a.file_id),
            "filename": a.filename,
            "url": private_url(a.file.name, request=request),
        }
        for a in found
    }


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def job_url(public_id: str) -> str:
    return reverse("identities:job_detail", args=[public_id])


def render_configure(request, brief, account, *, status=200, **extra):
    """The Configure step: the full page, or its body for htmx."""
    context = context_for(request, brief, account, step="configure", **extra)
    context["instructions"] = wd.instruction_views(
        brief.instructions,
        context["check"].errors,
        form_errors=extra.get("form_errors"),
        assets=reference_assets(request, account, brief),
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
            for v in wd.instruction_views(
                brief.instructions,
                context["check"].errors,
                assets=reference_assets(request, account, brief),
            )
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
