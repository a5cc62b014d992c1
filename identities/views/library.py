"""The Identities page: the library grid, and one identity's detail page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from catalog.rules import identity_is_locked
from catalog.selectors import catalog_condition
from config.forms import INVALID
from config.refusals import Refusal
from config.requests import AppRequest, wants_partial
from identities.briefs.vocabulary import GROUPS, fields_of
from identities.engines.labels import engine_label
from identities.filters import LibraryFilterForm
from identities.media import private_url
from identities.selectors import (
    identity_get_for,
    identity_list_for,
    identity_owned_by,
    identity_slots_used,
)
from identities.services.library import identity_delete, identity_rename
from identities.views.runs import identity_generated

PER_PAGE = 24


# The library lists three sections, in this order: the account's own identities, the catalog
# its plan unlocks, then catalog tiers above the plan (shown locked, to say what upgrading brings).
SECTIONS = (
    ("mine", "Your identities"),
    ("catalog", "Catalog"),
    ("locked", "Catalog · above your plan"),
)
_SECTION_RANK = {"mine": 0, "catalog": 1, "locked": 2}
# Filter fields that together make the age range: one bad bound drops both from the query.
AGE_FIELDS = ("min_age", "max_age")


def _card(identity, *, account, request) -> dict:
    return {
        "identity": identity,
        "image": private_url(identity.thumbnail.name or identity.portrait.name, request=request),
        "locked": identity_is_locked(identity=identity, account=account),
    }


def _usable_filters(form: LibraryFilterForm):
    """The filters to query with. An invalid field (e.g. "Age to" below "Age from") is shown as
    an error but leaves the search text and the other filters applied, instead of resetting all."""
    if not form.is_bound:
        return LibraryFilterForm().filters()
    if form.is_valid():
        return form.filters()
    dropped = set(form.errors)
    if dropped & set(AGE_FIELDS):
        dropped |= set(AGE_FIELDS)
    kept = {key: value for key, value in form.data.items() if key not in dropped}
    return LibraryFilterForm(kept).filters()


def _ranked(queryset, *, account):
    """Own identities first, then usable catalog ones, locked tiers last; the query's own order
    inside each (a free account sees what it can use before what it cannot)."""
    rank = Case(
        When(account=account, then=Value(_SECTION_RANK["mine"])),
        When(catalog_condition(account=account), then=Value(_SECTION_RANK["catalog"])),
        default=Value(_SECTION_RANK["locked"]),
        output_field=IntegerField(),
    )
    return queryset.annotate(library_rank=rank).order_by("library_rank", *queryset.query.order_by)


def _sections(cards: list[dict]) -> list[dict]:
    keys = [key for key, _ in SECTIONS]
    grouped: dict[str, list[dict]] = {key: [] for key in keys}
    for card in cards:
        grouped[keys[card["identity"].library_rank]].append(card)
    return [
        {"key": key, "title": title, "cards": grouped[key]}
        for key, title in SECTIONS
        if grouped[key]
    ]


@login_required
def library(request: AppRequest):
    account = request.account
    form = LibraryFilterForm(request.GET or None)
    filters = _usable_filters(form)
    queryset = _ranked(identity_list_for(account=account, filters=filters), account=account)
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    cards = [_card(identity, account=account, request=request) for identity in page]
    slots_used = identity_slots_used(account=account)
    sections = _sections(cards)
    filtering = any((filters.search, filters.gender, filters.tier)) or any(
        bound is not None for bound in (filters.min_age, filters.max_age)
    )
    # One empty state at a time: "your library is empty" when the account has made nobody yet
    # and nothing is filtered (the catalog still shows below it), else "no match" for filters
    # that hide everything.
    library_empty = slots_used == 0 and not filtering and filters.ownership in ("all", "mine")
    context = {
        "nav": "identities",
        "account": account,
        "form": form,
        "page": page,
        "cards": cards,
        "sections": sections,
        "slots_used": slots_used,
        "library_empty": library_empty,
        "no_match": not cards and not library_empty,
        "query": request.GET.copy().urlencode() if request.GET else "",
    }
    if wants_partial(request):
        return render(request, "identities/partials/_library_results.html", context)
    return render(request, "identities/library.html", context)


def _brief_rows(brief: dict) -> list[tuple[str, list[tuple[str, object]]]]:
    """The brief as the wizard lays it out: Appearance, Face, Hair, each in the vocabulary's
    field order with its labels; a key the vocabulary does not know keeps its place at the end."""
    rows = []
    for group in [*GROUPS, *(name for name in brief if name not in GROUPS)]:
        fields = brief.get(group) or {}
        if not fields:
            continue
        known = {field.name: field.label for field in fields_of(group)} if group in GROUPS else {}
        ordered = [(known[name], fields[name]) for name in known if name in fields]
        extra = [
            (name.replace("_", " ").capitalize(), value)
            for name, value in fields.items()
            if name not in known
        ]
        rows.append((group, ordered + extra))
    return rows


def _detail_context(request: AppRequest, identity, account, **extra) -> dict:
    own = identity.account_id == account.pk
    locked = identity_is_locked(identity=identity, account=account)
    return {
        "nav": "identities",
        "account": account,
        "identity": identity,
        "own": own,
        "portrait": private_url(identity.portrait.name, request=request),
        "locked": locked,
        "brief_groups": _brief_rows(identity.brief),
        "engine": engine_label(identity.engine),
        # Create images: the images this account made with the identity (none while locked).
        "generated": [] if locked else identity_generated(request, identity),
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
    """ "Use as preset": open the Create wizard on a fresh brief holding exactly this
    identity's brief, asking first when a brief is in progress (the wizard's `use` view)."""
    from identities.wizard.views.use import use_identity_brief

    identity = identity_get_for(account=request.account, code=code)
    return use_identity_brief(request, identity)


@login_required
@require_POST
def identity_delete_view(request: AppRequest, code: str):
    account = request.account
    identity = identity_owned_by(account=account, code=code)
    identity_delete(identity=identity)
    messages.success(request, f"Deleted “{identity.name}”. Its slot is free again.")
    if request.htmx:
        # htmx follows a 302 inside its own request and would swap the library into the delete
        # card; HX-Redirect makes the browser itself navigate, so the URL and the page change.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("identities:library")
        return response
    return redirect("identities:library")
