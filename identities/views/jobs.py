"""The job page: drafts arriving (polling that stops itself), promotion, preprocessing."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from config.forms import INVALID
from config.refusals import Refusal
from config.requests import AppRequest, wants_partial
from identities.forms.refusals import promote_failure
from identities.media import private_url
from identities.names import DEFAULT_NAME, NAME_MAX_LENGTH
from identities.selectors import (
    draft_get_for,
    draft_identity_codes,
    job_drafts,
    job_get_for,
    job_progress,
)
from identities.services.promotion import identity_promote


def _groups(job, request) -> list[dict]:
    """Drafts grouped by instruction, each with its image link and its identity if promoted."""
    drafts = list(job_drafts(job=job, include_unfinished=True).select_related("instruction"))
    promoted = draft_identity_codes(drafts=drafts)
    groups: dict[int, dict] = {}
    for draft in drafts:
        group = groups.setdefault(
            draft.image_index,
            {"index": draft.image_index, "instruction": draft.instruction, "drafts": []},
        )
        group["drafts"].append(
            {
                "draft": draft,
                "image": private_url(draft.image.name, request=request),
                "identity_code": promoted.get(draft.pk),
            }
        )
    return list(groups.values())


@login_required
def job_detail(request: AppRequest, job_id: str):
    account = request.account
    job = job_get_for(account=account, job_id=job_id)
    context = {
        "nav": "identities",
        "account": account,
        "job": job,
        "progress": job_progress(job=job),
        "groups": _groups(job, request),
    }
    if wants_partial(request):
        return render(request, "identities/partials/_job_progress.html", context)
    return render(request, "identities/job_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def draft_promote(request: AppRequest, draft_id: int):
    """GET: the promote panel (optional name). POST: promote, then show preprocessing."""
    draft = draft_get_for(account=request.account, draft_id=draft_id)
    context = {
        "draft": draft,
        "default_name": draft.job.name or DEFAULT_NAME,
        "name_max_length": NAME_MAX_LENGTH,
    }
    if request.method == "GET":
        return render(request, "identities/partials/_promote_panel.html", context)
    name = request.POST.get("name", "").strip() or None
    try:
        identity, _ = identity_promote(draft=draft, user=request.user, name=name)
    except Refusal as refusal:
        context.update(failure=promote_failure(refusal), name=name or "")
        return render(request, "identities/partials/_promote_panel.html", context, status=INVALID)
    return render(
        request,
        "identities/partials/_identity_status.html",
        {"identity": identity, "own": True, "from_job": True},
    )
