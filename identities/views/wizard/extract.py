"""From Image and From Text: a panel inside one instruction that fills its Appearance, Face and
Hair in place from a reference photo or a paragraph, then says what it filled and what not.

A reading answers with the wizard body (the fields changed) and the panel open on the result;
a refusal answers 422 with the same body and the problem inside the panel.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_http_methods, require_POST

from accounts.services import InsufficientCredits
from config.api.errors import ApiError
from config.forms import INVALID
from config.requests import AppRequest
from identities.extraction import ExtractionError
from identities.forms.wizard import extract as xf
from identities.media import private_url
from identities.selectors import asset_get_for, assets_for
from identities.services import wizard as ws
from identities.services.extraction import brief_extract_from_image, brief_extract_from_text
from identities.services.uploads import asset_upload
from identities.views.wizard.common import (
    after_structure_change,
    instruction_or_404,
    load,
    render_configure,
    render_tool_panel,
)

# The newest uploads are the likely references; older ones stay reachable through the API.
ASSET_LIMIT = 12


@login_required
@require_http_methods(["GET", "POST"])
def extract(request: AppRequest, draft_id: str, key: str, source: str):
    account, draft = load(request, draft_id)
    instruction_or_404(draft, key)
    if source not in xf.SOURCES:
        raise Http404("Unknown source")
    if request.method == "GET":
        form = xf.ExtractTextForm(auto_id=_auto_id(key)) if source == "text" else None
        context = _panel_context(request, account, key, source, form=form)
        return render_tool_panel(request, draft, account, key, "extract", **context)
    if source == "text":
        return _from_text(request, draft, account, key)
    return _from_image(request, draft, account, key)


def _from_text(request, draft, account, key):
    form = xf.ExtractTextForm(request.POST, auto_id=_auto_id(key))
    reading = None
    if form.is_valid():
        try:
            reading = brief_extract_from_text(
                account=account, user=request.user, text=form.cleaned_data["text"]
            )
        except ExtractionError as error:
            form.add_error("text", error.message)
        except InsufficientCredits as short:
            form.add_error(None, _short_message(short, "Reading a paragraph"))
    return _answer(request, draft, account, key, "text", form, reading)


def _from_image(request, draft, account, key):
    form = xf.ExtractImageForm(request.POST, request.FILES, auto_id=_auto_id(key))
    reading, picked = None, request.POST.get("file_id", "")
    if form.is_valid():
        asset = _chosen_asset(request, account, form)
        if asset is not None:
            # Uploaded or not, the photo is now picked: a retry reads it without re-sending.
            picked = str(asset.file_id)
            try:
                reading = brief_extract_from_image(account=account, user=request.user, asset=asset)
            except ExtractionError as error:
                form.add_error(None, error.message)
            except InsufficientCredits as short:
                form.add_error(None, _short_message(short, "Reading a photo"))
    return _answer(request, draft, account, key, "image", form, reading, picked=picked)


def _chosen_asset(request, account, form):
    upload = form.cleaned_data.get("upload")
    if not upload:
        return asset_get_for(account=account, file_id=form.cleaned_data["file_id"])
    try:
        return asset_upload(
            account=account, user=request.user, filename=upload.name, data=upload.read()
        )
    except ApiError as error:
        for detail in error.detail or []:
            form.add_error("upload", detail.message)
        if not error.detail:
            form.add_error("upload", error.error)
        return None


def _answer(request, draft, account, key, source, form, reading, *, picked=""):
    if reading is None:
        context = _panel_context(request, account, key, source, form=form, picked=picked)
        return render_configure(
            request, draft, account, status=INVALID, tool="extract", tool_key=key, **context
        )
    # The reading may have charged: the summary shows the balance after it.
    account.refresh_from_db(fields=["credit_balance", "credits_reserved"])
    # The reading replaces the structured fields; options, variations and the prompt stay.
    item = instruction_or_404(draft, key)
    content = {**xf.reading_content(reading), "expert": False, "prompt": item.get("prompt", "")}
    draft, _ = ws.wizard_instruction_replace(draft=draft, key=key, content=content)
    fresh_form = None
    if source == "text":
        fresh_form = xf.ExtractTextForm(initial=form.cleaned_data, auto_id=_auto_id(key))
    view = xf.reading_view(reading, show_confidence=source == "image")
    context = _panel_context(
        request, account, key, source, form=fresh_form, reading=view, picked=picked
    )
    if source == "text" and view.unplaced_text:
        context["paragraph"] = form.cleaned_data["text"]
    return render_configure(request, draft, account, tool="extract", tool_key=key, **context)


@login_required
@require_POST
def keep_paragraph(request: AppRequest, draft_id: str, key: str):
    """Nothing lost: the paragraph becomes the instruction's expert prompt, sent verbatim."""
    account, draft = load(request, draft_id)
    instruction_or_404(draft, key)
    form = xf.KeepParagraphForm(request.POST)
    if not form.is_valid():
        text_form = xf.ExtractTextForm(request.POST, auto_id=_auto_id(key))
        for error in form.errors.get("text", []):
            text_form.add_error(None, error)
        context = _panel_context(request, account, key, "text", form=text_form)
        return render_configure(
            request, draft, account, status=INVALID, tool="extract", tool_key=key, **context
        )
    draft = ws.wizard_fields_update(
        draft=draft, key=key, values={"prompt": form.cleaned_data["text"]}
    )
    draft = ws.wizard_expert_set(draft=draft, key=key, expert=True)
    return after_structure_change(
        request, draft, account, focus=f"prompt-{key}-input", anchor=f"ins-{key}"
    )


def _panel_context(request, account, key, source, *, form=None, reading=None, picked="") -> dict:
    context = {"source": source, "source_label": xf.SOURCES[source], "reading": reading}
    if source == "text":
        context["text_form"] = form or xf.ExtractTextForm(auto_id=_auto_id(key))
        context["text_max"] = xf.TEXT_MAX_CHARS
        return context
    form = form or xf.ExtractImageForm(auto_id=_auto_id(key))
    assets = list(assets_for(account=account)[:ASSET_LIMIT])
    if not picked and assets:
        picked = str(assets[0].file_id)
    context.update(
        image_form=form,
        accept=xf.ACCEPT,
        image_credits=settings.CASTLESS_EXTRACT_IMAGE_CREDITS,
        picked=picked,
        assets=[
            {
                "file_id": str(a.file_id),
                "filename": a.filename,
                "created_at": a.created_at,
                "url": private_url(a.file.name, request=request),
            }
            for a in assets
        ],
    )
    return context


def _auto_id(key: str) -> str:
    return f"extract-{key}-%s"


def _short_message(short: InsufficientCredits, what: str) -> str:
    unit = "credit" if short.required == 1 else "credits"
    return (
        f"{what} needs {short.required} {unit}; you have {short.available}. "
        "Top up your credits, or fill the fields yourself."
    )
