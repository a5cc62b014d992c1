"""Verify: read any JPEG or PNG's content credentials and say what they mean, in plain words.

An upload is read in memory and never stored. `?draft=<id>` and `?identity=<code>` check the
stored image of one of the account's drafts or identities, which is where their "Content
credentials" badges link.
"""

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from config.forms import INVALID
from config.requests import AppRequest, wants_partial
from identities.forms.verify import VerifyForm
from identities.models import Draft
from identities.provenance import UnsupportedImage, Verification, verify_image
from identities.provenance.words import (
    verification_explanation,
    verification_facts,
    verification_headline,
)
from identities.selectors import draft_get_for, identity_get_for

PARTIAL = "identities/partials/_credentials_verify.html"
PAGE = "identities/verify.html"


def credentials_context(verification: Verification) -> dict:
    return {
        "verification": verification,
        "headline": verification_headline(verification),
        "explanation": verification_explanation(verification),
        "facts": verification_facts(verification),
    }


def _stored(request: AppRequest) -> tuple[str, str] | None:
    """(storage name, what it is) of the draft or identity image the query names, or None."""
    account = request.account
    if draft_id := request.GET.get("draft", ""):
        if not draft_id.isdigit():
            raise Http404("No such draft")
        draft = draft_get_for(account=account, draft_id=int(draft_id))
        if draft.status != Draft.COMPLETED or not draft.image:
            raise Http404("This draft has no image")
        return draft.image.name, f"Draft {draft.pk}"
    if code := request.GET.get("identity", ""):
        identity = identity_get_for(account=account, code=code)
        return identity.portrait.name, f"Portrait of {identity.name}"
    return None


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: AppRequest):
    context, status = {"nav": "verify", "form": VerifyForm()}, 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["image"]
            try:
                context.update(credentials_context(verify_image(data=upload.read())))
                context["subject"] = "The uploaded image"
            except UnsupportedImage as error:
                form.add_error("image", str(error))
        if form.errors:
            status = INVALID
    elif (stored := _stored(request)) is not None:
        name, subject = stored
        with default_storage.open(name, "rb") as handle:
            context.update(credentials_context(verify_image(data=handle.read())))
        context["subject"] = subject
    template = PARTIAL if wants_partial(request) else PAGE
    return render(request, template, context, status=status)
