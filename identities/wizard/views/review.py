"""The Review and generate step: output choices, the cost against the balance, and Generate,
whose refusals (credits, plan, rate and job caps, a paused service, blocked names) are shown
beside what caused them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from config.forms import INVALID
from config.refusals import Refusal
from config.requests import AppRequest, wants_partial
from identities.briefs.request import BriefError
from identities.forms.refusals import dispatch_failure
from identities.models import Brief
from identities.wizard import display as wd
from identities.wizard import forms as wf
from identities.wizard import services as ws
from identities.wizard.check import brief_check
from identities.wizard.views.common import (
    REVIEW,
    REVIEW_FORM,
    context_for,
    job_url,
    load,
)


def _review(request, brief, account, *, status=200, form=None, failure=None, extra_errors=()):
    check = brief_check(brief=brief)
    errors = (*check.errors, *extra_errors)
    context = context_for(request, brief, account, step="review", check=check, failure=failure)
    context["problems"] = wd.problem_list(errors, brief.instructions)
    context["review"] = wd.review_views(
        brief.instructions, errors, plan=account.plan, model=brief.model
    )
    context["engines"] = wd.engine_views(brief.model)
    job_errors = wd.map_errors(errors).job
    context["engine_errors"] = job_errors.get("options.model", [])
    context["name_errors"] = job_errors.get("name", [])
    context["review_form"] = form
    if wants_partial(request):
        return render(request, REVIEW_FORM, {**context, "oob": True}, status=status)
    return render(request, REVIEW, context, status=status)


def _save_review(brief: Brief, form: wf.ReviewForm) -> Brief:
    return ws.brief_options_update(
        brief=brief,
        instructions=form.instruction_options(),
        model=form.cleaned_data["model"],
        name=form.cleaned_data["name"],
        add_ai_watermark=form.cleaned_data["add_ai_watermark"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: AppRequest, brief_id: str):
    """GET: the Review step. POST: save its choices (each change, by htmx)."""
    account, brief = load(request, brief_id)
    if request.method == "GET":
        return _review(request, brief, account)
    form = wf.ReviewForm(request.POST, keys=[i["key"] for i in brief.instructions])
    if not form.is_valid():
        return _review(request, brief, account, form=form, status=INVALID)
    brief = _save_review(brief, form)
    if not wants_partial(request):
        return redirect("identities:wizard_review", brief_id=brief.public_id)
    return _review(request, brief, account)


@login_required
@require_POST
def generate(request: AppRequest, brief_id: str):
    """Save the Review step's choices as posted, then dispatch; on success, the job page."""
    account, brief = load(request, brief_id)
    form = wf.ReviewForm(request.POST, keys=[i["key"] for i in brief.instructions])
    if "model" in request.POST:
        if not form.is_valid():
            return _review(request, brief, account, form=form, status=INVALID)
        brief = _save_review(brief, form)
    try:
        job = ws.brief_dispatch(brief=brief, account=account, user=request.user)
    except Refusal as refusal:
        # A brief's problems are on the page already: the check re-validates it.
        extra_errors = () if isinstance(refusal, BriefError) else refusal.problems
        return _review(
            request,
            brief,
            account,
            failure=dispatch_failure(refusal),
            extra_errors=extra_errors,
            status=INVALID,
        )
    url = job_url(job.public_id)
    if wants_partial(request):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)
