"""The job page: drafts arriving (polling that stops itself), promotion, preprocessing."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.selectors import membership_for
from config.api.errors import ApiError
from config.forms import INVALID
from config.requests import AppRequest, wants_partial
from identities.media import private_url
from identities.models import Identity
from identities.models.identity import LIVE
from identities.selectors import draft_get_for, job_drafts, job_get_for, job_progress
from identities.services.promotion import identity_promote


def _groups(job, request) -> list[dict]:
    """Drafts grouped by instruction, each with its image link and its identity if promoted."""
    drafts = list(job_drafts(job=job, include_unfinished=True).select_related("instruction"))
    promoted = dict(
        Identity.objects.filter(LIVE, source_draft__in=drafts).values_list(
            "source_draft_id", "code"
        )
    )
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
    account = membership_for(user=request.user).account
    job = job_get_for(account=account, job_id=job_id)
    progress = job_progress(job=job)
    context = {
        "nav": "identities",
        "account": account,
        "job": job,
        "progress": progress,
        "percent": round(100 * progress["processed"] / progress["total"])
        if progress["total"]
        else 0,
        "groups": _groups(job, request),
    }
    if wants_partial(request):
        return render(request, "identities/partials/_job_progress.html", context)
    return render(request, "identities/job_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def draft_promote(request: AppRequest, draft_id: int):
    """GET: the promote panel (optional name). POST: promote, then show preprocessing."""
    account = membership_for(user=request.user).account
    draft = draft_get_for(account=account, draft_id=draft_id)
    context = {"draft": draft, "default_name": draft.job.name or "Untitled identity"}
    if request.method == "GET":
        return render(request, "identities/partials/_promote_panel.html", context)
    name = request.POST.get("name", "").strip() or None
    try:
        identity, _ = identity_promote(
            account=account, user=request.user, image_result_id=draft.pk, name=name
        )
    except ApiError as error:
        existing = error.extra.get("identity_code") if error.status == 409 else None
        context.update(error=error, existing_code=existing, name=name or "")
        return render(request, "identities/partials/_promote_panel.html", context, status=INVALID)
    return render(
        request,
        "identities/partials/_identity_status.html",
        {"identity": identity, "own": True, "from_job": True},
    )
