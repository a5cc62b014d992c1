"""The Review and generate step: output choices, the cost against the balance, and Generate,
whose refusals (402, 403, 429, 503, blocked names) are shown beside what caused them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from config.api.errors import ApiError
from config.forms import INVALID
from config.requests import AppRequest, wants_partial
from identities.briefs.request import BriefError
from identities.forms import wizard as wf
from identities.models import WizardDraft
from identities.services import wizard as ws
from identities.views.wizard.common import (
    REVIEW,
    REVIEW_FORM,
    context_for,
    job_url,
    load,
)


def _review(request, draft, account, *, status=200, form=None, failure=None, extra_errors=()):
    check = ws.wizard_check(draft=draft)
    errors = (*check.errors, *extra_errors)
    context = context_for(request, draft, account, step="review", check=check, failure=failure)
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
    account, draft = load(request, draft_id)
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
    account, draft = load(request, draft_id)
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
    url = job_url(job.public_id)
    if wants_partial(request):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)
