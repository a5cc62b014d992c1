"""The Identities page: the library grid, and one identity's detail page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from catalog.rules import identity_is_locked
from config.forms import INVALID
from config.refusals import Refusal
from config.requests import AppRequest, wants_partial
from identities.filters import LibraryFilterForm
from identities.media import private_url
from identities.selectors import (
    identity_get_for,
    identity_list_for,
    identity_owned_by,
    identity_slots_used,
)
from identities.services.library import identity_delete, identity_rename

PER_PAGE = 24


def _card(identity, *, account, request) -> dict:
    return {
        "identity": identity,
        "image": private_url(identity.thumbnail.name or identity.portrait.name, request=request),
        "locked": identity_is_locked(identity=identity, account=account),
    }


@login_required
def library(request: AppRequest):
    account = request.account
    form = LibraryFilterForm(request.GET or None)
    queryset = identity_list_for(
        account=account, filters=form.filters() if form.is_bound else LibraryFilterForm().filters()
    )
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "nav": "identities",
        "account": account,
        "form": form,
        "page": page,
        "cards": [_card(identity, account=account, request=request) for identity in page],
        "slots_used": identity_slots_used(account=account),
        "query": request.GET.copy().urlencode() if request.GET else "",
    }
    if wants_partial(request):
        return render(request, "identities/partials/_library_results.html", context)
    return render(request, "identities/library.html", context)


def _detail_context(request: AppRequest, identity, account, **extra) -> dict:
    own = identity.account_id == account.pk
    return {
        "nav": "identities",
        "account": account,
        "identity": identity,
        "own": own,
        "portrait": private_url(identity.portrait.name, request=request),
        "locked": identity_is_locked(identity=identity, account=account),
        "brief_groups": [
            (group, sorted(fields.items())) for group, fields in identity.brief.items() if fields
        ],
        **extra,
    }


@login_required
def identity_detail(request: AppRequest, code: str):
    account = request.account
    identity = identity_get_for(account=account, code=code)
    context = _detail_context(
        request, identity, account, from_job=request.GET.get("from_job") == "1"
    )
    if wants_partial(request):
        return render(request, "identities/partials/_identity_status.html", context)
    return render(request, "identities/identity_detail.html", context)


@login_required
@require_POST
def identity_rename_view(request: AppRequest, code: str):
    account = request.account
    identity = identity_owned_by(account=account, code=code)
    try:
        identity_rename(identity=identity, name=request.POST.get("name", ""))
    except Refusal as refusal:
        context = _detail_context(
            request,
            identity,
            account,
            rename_error=refusal.message,
            rename_value=request.POST.get("name", ""),
        )
        identity.refresh_from_db()
        template = (
            "identities/partials/_identity_name.html"
            if wants_partial(request)
            else "identities/identity_detail.html"
        )
        return render(request, template, context, status=INVALID)
    if wants_partial(request):
        return render(
            request,
            "identities/partials/_identity_name.html",
            _detail_context(request, identity, account, renamed=True),
        )
    messages.success(request, f"Renamed to “{identity.name}”.")
    return redirect("identities:identity_detail", code=identity.code)


@login_required
@require_POST
def identity_use_brief(request: AppRequest, code: str):
    """ "Use as preset": open the Create wizard with this identity's brief filled in (into the
    open brief's empty instruction, or as a new instruction next to the ones being edited)."""
    from identities.wizard import services as ws
    from identities.wizard.convert import instruction_is_blank

    account = request.account
    identity = identity_get_for(account=account, code=code)
    brief = ws.brief_start(account=account, user=request.user)
    blank = next((i["key"] for i in brief.instructions if instruction_is_blank(i)), None)
    content = {group: dict(fields) for group, fields in identity.brief.items()}
    try:
        brief, key = ws.brief_instruction_replace(brief=brief, key=blank, content=content)
    except ws.WizardLimit as error:
        messages.error(request, f"{error} Remove one to use this brief.")
        return redirect("identities:wizard_configure", brief_id=brief.public_id)
    messages.success(request, f"The brief of “{identity.name}” is ready to adjust.")
    url = reverse("identities:wizard_configure", args=[brief.public_id]) + f"#ins-{key}"
    return redirect(url)


@login_required
@require_POST
def identity_delete_view(request: AppRequest, code: str):
    account = request.account
    identity = identity_owned_by(account=account, code=code)
    identity_delete(identity=identity)
    messages.success(request, f"“{identity.name}” was deleted; its slot is free again.")
    response = redirect("identities:library")
    if request.htmx:
        response["HX-Redirect"] = response["Location"]
    return response
