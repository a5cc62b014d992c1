"""The jobs pages: the list of past creation jobs, one job's page (drafts arriving, polling
that stops itself), a draft at full size, promotion and its preprocessing."""

from pathlib import PurePosixPath

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from config.forms import INVALID
from config.refusals import Refusal
from config.requests import AppRequest, wants_partial
from identities.engines.labels import engine_label
from identities.faces.similarity import SAME_PERSON
from identities.forms.refusals import promote_failure
from identities.lookalikes import (
    CODES_FIELD,
    CONFIRM_FIELD,
    draft_lookalikes,
    lookalikes_confirmed,
)
from identities.media import private_url
from identities.models import Draft
from identities.names import DEFAULT_NAME, NAME_MAX_LENGTH
from identities.selectors import (
    draft_get_for,
    draft_identity_codes,
    job_drafts,
    job_get_for,
    job_list_for,
    job_progress,
)
from identities.services.promotion import identity_promote

JOBS_PER_PAGE = 20

# A browser shows these as the "format" of a draft; the stored name's suffix is what was written.
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WebP"}

# Header an htmx response sends after it moved the balance: the navigation's credit count
# listens for it and reloads itself, so the header never shows a stale balance.
CREDITS_CHANGED = "credits-changed"


def _groups(job, request) -> list[dict]:
    """Drafts grouped by instruction, each with its image link and its identity if promoted,
    and the engines that drew the group, in words a brand user reads."""
    drafts = list(job_drafts(job=job, include_unfinished=True).select_related("instruction"))
    promoted = draft_identity_codes(drafts=drafts)
    groups: dict[int, dict] = {}
    for draft in drafts:
        group = groups.setdefault(
            draft.image_index,
            {
                "index": draft.image_index,
                "instruction": draft.instruction,
                "drafts": [],
                "engines": [],
            },
        )
        if draft.engine:
            label = engine_label(draft.engine)
            if label not in group["engines"]:
                group["engines"].append(label)
        group["drafts"].append(
            {
                "draft": draft,
                "image": private_url(draft.image.name, request=request),
                "identity_code": promoted.get(draft.pk),
                "engine": engine_label(draft.engine) if draft.engine else "",
            }
        )
    return list(groups.values())


@login_required
def job_list(request: AppRequest):
    """Past creation jobs, so unpromoted drafts can be found again after leaving a job page."""
    page = Paginator(job_list_for(account=request.account), JOBS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "identities/job_list.html",
        {"nav": "jobs", "account": request.account, "page": page},
    )


@login_required
def draft_detail(request: AppRequest, draft_id: int):
    """One finished draft at full resolution, with its pixel size, format and a download link,
    to inspect before paying for promotion."""
    draft = draft_get_for(account=request.account, draft_id=draft_id)
    if draft.status != Draft.COMPLETED or not draft.image:
        raise Http404("This draft has no image")
    image = private_url(draft.image.name, request=request)
    suffix = PurePosixPath(draft.image.name).suffix.lower()
    context = {
        "nav": "jobs",
        "account": request.account,
        "draft": draft,
        "job": draft.job,
        "image": image,
        "download": image + ("&" if "?" in image else "?") + "download=1",
        "format": FORMATS.get(suffix, suffix.lstrip(".").upper() or "image"),
        "engine": engine_label(draft.engine),
        "identity_code": draft_identity_codes(drafts=[draft]).get(draft.pk),
    }
    return render(request, "identities/draft_detail.html", context)


@login_required
def job_detail(request: AppRequest, job_id: str):
    account = request.account
    job = job_get_for(account=account, job_id=job_id)
    context = {
        "nav": "jobs",
        "account": account,
        "job": job,
        "progress": job_progress(job=job),
        "groups": _groups(job, request),
    }
    if wants_partial(request):
        return render(request, "identities/partials/_job_progress.html", context)
    return render(request, "identities/job_detail.html", context)


def _lookalike_context(draft: Draft, request) -> dict:
    """The account's identities this draft's face would duplicate, shown beside it."""
    lookalikes = draft_lookalikes(draft=draft)
    return {
        "lookalikes": lookalikes,
        "lookalike_rows": [
            {
                "lookalike": item,
                "image": private_url(
                    item.identity.thumbnail.name or item.identity.portrait.name, request=request
                ),
            }
            for item in lookalikes
        ],
        "draft_image": private_url(draft.image.name, request=request) if lookalikes else "",
        "same_person": SAME_PERSON,
        "confirm_field": CONFIRM_FIELD,
        "codes_field": CODES_FIELD,
    }


@login_required
@require_http_methods(["GET", "POST"])
def draft_promote(request: AppRequest, draft_id: int):
    """GET: the promote panel (optional name). POST: promote, then show preprocessing."""
    draft = draft_get_for(account=request.account, draft_id=draft_id)
    context = {
        "draft": draft,
        "default_name": draft.job.name or DEFAULT_NAME,
        "name_max_length": NAME_MAX_LENGTH,
        **_lookalike_context(draft, request),
    }
    if request.method == "GET":
        return render(request, "identities/partials/_promote_panel.html", context)
    name = request.POST.get("name", "").strip() or None
    if not lookalikes_confirmed(context["lookalikes"], request.POST):
        context.update(name=name or "", lookalike_unconfirmed=True)
        return render(request, "identities/partials/_promote_panel.html", context, status=INVALID)
    try:
        identity, _ = identity_promote(draft=draft, user=request.user, name=name)
    except Refusal as refusal:
        context.update(failure=promote_failure(refusal), name=name or "")
        return render(request, "identities/partials/_promote_panel.html", context, status=INVALID)
    response = render(
        request,
        "identities/partials/_identity_status.html",
        {"identity": identity, "own": True, "from_job": True, "focus": True},
    )
    response["HX-Trigger"] = CREDITS_CHANGED
    return response
