"""Add an existing model: guidelines and photos → review with the statements → the identity.

Step one checks the photos (`existing_photos_review`) and answers the review step, which shows
both photos, what the checks found and the account's look-alikes; step two ticks every
statement and calls `existing_model_add`. Each step is one partial, answered alone to htmx and
inside the page otherwise; a refusal re-renders the step with 422 and the sentence beside the
field it came from.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.throttle import client_address
from config.forms import INVALID
from config.refusals import Refusal
from config.requests import AppRequest, wants_partial
from identities.consent import VERSION
from identities.forms.add_existing import PHOTOS, PhotosForm, ReviewForm
from identities.forms.refusals import refusal_messages
from identities.media import private_url
from identities.selectors import asset_get_for, assets_for
from identities.services.add_existing import (
    existing_model_add,
    existing_model_precheck,
    existing_models_allowed,
)
from identities.services.existing_photos import (
    CLOSE_UP_MIN_FACE_PX,
    FULL_BODY_MIN_FACE_PX,
    existing_photos_review,
)
from identities.services.uploads import asset_upload

PAGE = "identities/add_existing/page.html"
PHOTOS_STEP = "identities/partials/_add_existing_photos.html"
REVIEW_STEP = "identities/partials/_add_existing_review.html"


def _answer(request: AppRequest, step: str, context: dict, *, status: int = 200) -> HttpResponse:
    context = {
        "step": step,
        "close_up_min": CLOSE_UP_MIN_FACE_PX,
        "full_body_min": FULL_BODY_MIN_FACE_PX,
        **context,
    }
    template = step if wants_partial(request) else PAGE
    return render(request, template, context, status=status)


def _photos_form(request: AppRequest, data=None, files=None) -> PhotosForm:
    assets = assets_for(account=request.account)[:50]
    return PhotosForm(data, files, assets=assets)


def _field_of(problem_field: str | None) -> str | None:
    """Where a refusal's problem is shown: "close_up.file_id" → the close-up's field."""
    head = (problem_field or "").split(".")[0]
    return {"close_up": "close_up_upload", "full_body": "full_body_upload"}.get(
        head, head if head in ("name", "gender") else None
    )


def _add_refusal(form, refusal: Refusal, *, fields) -> None:
    if not refusal.problems:
        form.add_error(None, refusal.summary)
    for problem in refusal.problems:
        field = _field_of(problem.field)
        form.add_error(field if field in fields else None, problem.message)


def _chosen(request: AppRequest, form: PhotosForm, field: str):
    upload = form.cleaned_data.get(f"{field}_upload")
    if upload:
        return asset_upload(
            account=request.account, user=request.user, filename=upload.name, data=upload.read()
        )
    try:
        return asset_get_for(account=request.account, file_id=form.cleaned_data[f"{field}_asset"])
    except Http404:
        form.add_error(f"{field}_asset", "Not one of your uploads.")
        return None


def _keep_uploads(request: AppRequest, form: PhotosForm, chosen: dict) -> None:
    """After a refusal, the photos just uploaded stay picked: a retry need not send them again."""
    data = form.data.copy()
    for field, asset in chosen.items():
        if asset is not None:
            data[f"{field}_asset"] = str(asset.file_id)
    form.data = data
    choices = _photos_form(request).fields["close_up_asset"].choices
    for field, _ in PHOTOS:
        form.fields[f"{field}_asset"].choices = choices


def _review_context(request: AppRequest, review, form: ReviewForm) -> dict:
    return {
        "form": form,
        "review": review,
        "close_up_url": private_url(review.close_up.asset.file.name, request=request),
        "full_body_url": private_url(review.full_body.asset.file.name, request=request),
        "lookalikes": [
            {
                "item": item,
                "image": private_url(
                    item.identity.thumbnail.name or item.identity.portrait.name, request=request
                ),
            }
            for item in review.lookalikes
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def add_existing(request: AppRequest) -> HttpResponse:
    if not existing_models_allowed(account=request.account):
        return _answer(request, PHOTOS_STEP, {"form": None, "plan_locked": True}, status=403)
    if request.method == "GET":
        return _answer(request, PHOTOS_STEP, {"form": _photos_form(request)})
    form = _photos_form(request, request.POST, request.FILES)
    if not form.is_valid():
        return _answer(request, PHOTOS_STEP, {"form": form}, status=INVALID)
    chosen: dict = {}
    try:
        name, gender = existing_model_precheck(
            account=request.account,
            name=form.cleaned_data["name"],
            gender=form.cleaned_data["gender"],
        )
        for field, _ in PHOTOS:
            chosen[field] = _chosen(request, form, field)
        if None in chosen.values():
            return _answer(request, PHOTOS_STEP, {"form": form}, status=INVALID)
        review = existing_photos_review(account=request.account, **chosen)
    except Refusal as refusal:
        _add_refusal(form, refusal, fields=form.fields)
        _keep_uploads(request, form, chosen)
        return _answer(request, PHOTOS_STEP, {"form": form}, status=INVALID)
    review_form = ReviewForm(
        initial={
            "close_up": chosen["close_up"].file_id,
            "full_body": chosen["full_body"].file_id,
            "name": name,
            "gender": gender,
            "version": VERSION,
        }
    )
    return _answer(request, REVIEW_STEP, _review_context(request, review, review_form))


@login_required
@require_POST
def add_existing_confirm(request: AppRequest) -> HttpResponse:
    if not existing_models_allowed(account=request.account):
        return _answer(request, PHOTOS_STEP, {"form": None, "plan_locked": True}, status=403)
    form = ReviewForm(request.POST)
    # Another account's upload (or no upload at all) is a 404, before anything is read.
    assets = _assets_or_404(request)
    try:
        review = existing_photos_review(account=request.account, **assets)
    except Refusal as refusal:
        photos = _photos_form(
            request, {key: request.POST.get(key, "") for key in ("name", "gender")}
        )
        photos.is_valid()
        _add_refusal(photos, refusal, fields=photos.fields)
        return _answer(request, PHOTOS_STEP, {"form": photos}, status=INVALID)
    if not form.is_valid():
        context = _review_context(request, review, form)
        return _answer(request, REVIEW_STEP, context, status=INVALID)
    try:
        identity, _ = existing_model_add(
            account=request.account,
            user=request.user,
            name=form.cleaned_data["name"],
            gender=form.cleaned_data["gender"],
            consent_version=form.cleaned_data["version"],
            accepted=form.accepted(),
            ip_address=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            **assets,
        )
    except Refusal as refusal:
        for message in refusal_messages(refusal):
            form.add_error(None, message)
        context = _review_context(request, review, form)
        return _answer(request, REVIEW_STEP, context, status=INVALID)
    target = reverse("identities:identity_detail", args=[identity.code])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def _assets_or_404(request: AppRequest) -> dict:
    return {
        field: asset_get_for(account=request.account, file_id=request.POST.get(field, ""))
        for field, _ in PHOTOS
    }
