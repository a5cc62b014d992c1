"""From Image and From Text: a panel inside one instruction that fills its Appearance, Face and
Hair in place from a reference photo or a paragraph, then says what it filled and what not.

A reading answers with the wizard body (the fields changed) and the panel open on the result;
a refusal answers 422 with the same body and the problem inside the panel.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_http_methods, require_POST

from config.forms import INVALID
from config.refusals import InsufficientCredits, Refusal
from config.requests import AppRequest
from identities.extraction import ExtractionError
from identities.forms.refusals import credits_message, refusal_messages
from identities.media import private_url
from identities.pricing import extraction_price
from identities.selectors import asset_get_for, assets_for
from identities.services.extraction import (
    TEXT_MAX_CHARS,
    brief_extract_from_image,
    brief_extract_from_text,
)
from identities.services.uploads import asset_upload
from identities.wizard import forms as wf
from identities.wizard import services as ws
from identities.wizard.convert import groups_from_api
from identities.wizard.display import reading_view
from identities.wizard.views.common import (
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
def extract(request: AppRequest, brief_id: str, key: str, source: str):
    account, brief = load(request, brief_id)
    instruction_or_404(brief, key)
    if source not in wf.SOURCES:
        raise Http404("Unknown source")
    if request.method == "GET":
        form = wf.ExtractTextForm(auto_id=_auto_id(key)) if source == "text" else None
        context = panel_context(request, account, key, source, form=form)
        return render_tool_panel(request, brief, account, key, "extract", **context)
    if source == "text":
        return _from_text(request, brief, account, key)
    return _from_image(request, brief, account, key)


def _from_text(request, brief, account, key):
    form = wf.ExtractTextForm(request.POST, auto_id=_auto_id(key))
    reading = None
    if form.is_valid():
        try:
            reading = brief_extract_from_text(
                account=account, user=request.user, text=form.cleaned_data["text"]
            )
        except ExtractionError as error:
            form.add_error("text", error.message)
        except InsufficientCredits as short:
            form.add_error(None, credits_message(short, "Reading a paragraph"))
    return _answer(request, brief, account, key, "text", form, reading)


def _from_image(request, brief, account, key):
    form = wf.ExtractImageForm(request.POST, request.FILES, auto_id=_auto_id(key))
    reading, picked = None, request.POST.get("file_id", "")
    if form.is_valid():
        asset = chosen_asset(request, account, form)
        if asset is not None:
            # Uploaded or not, the photo is now picked: a retry reads it without re-sending.
            picked = str(asset.file_id)
            try:
                reading = brief_extract_from_image(account=account, user=request.user, asset=asset)
            except ExtractionError as error:
                form.add_error(None, error.message)
            except InsufficientCredits as short:
                form.add_error(None, credits_message(short, "Reading a photo"))
    return _answer(request, brief, account, key, "image", form, reading, picked=picked)


def chosen_asset(request, account, form):
    upload = form.cleaned_data.get("upload")
    if not upload:
        return asset_get_for(account=account, file_id=form.cleaned_data["file_id"])
    try:
        return asset_upload(
            account=account, user=request.user, filename=upload.name, data=upload.read()
        )
    except Refusal as refusal:
        for message in refusal_messages(refusal):
            form.add_error("upload", message)
        return None


def _answer(request, brief, account, key, source, form, reading, *, picked=""):
    if reading is None:
        context = panel_context(request, account, key, source, form=form, picked=picked)
        return render_configure(
            request, brief, account, status=INVALID, tool="extract", tool_key=key, **context
        )
    # The reading may have charged: the summary shows the balance after it.
    account.refresh_from_db(fields=["credit_balance", "credits_reserved"])
    # The reading replaces the structured fields; options, variations and the prompt stay.
    item = instruction_or_404(brief, key)
    content = {
        **groups_from_api(reading.instruction_data),
        "expert": False,
        "prompt": item.get("prompt", ""),
        # Kept so the worker can check the drafts did not copy this photo's face.
        "read_from": [picked] if source == "image" and picked else [],
    }
    brief, _ = ws.brief_instruction_replace(brief=brief, key=key, content=content)
    fresh_form = None
    if source == "text":
        fresh_form = wf.ExtractTextForm(initial=form.cleaned_data, auto_id=_auto_id(key))
    view = reading_view(reading, show_confidence=source == "image")
    context = panel_context(
        request, account, key, source, form=fresh_form, reading=view, picked=picked
    )
    if source == "text" and view.unplaced_text:
        context["paragraph"] = form.cleaned_data["text"]
    response = render_configure(request, brief, account, tool="extract", tool_key=key, **context)
    if view.credits_charged:
        # The navigation's balance listens for this event and refreshes itself in place.
        response["HX-Trigger"] = "credits-changed"
    return response


@login_required
@require_POST
def keep_paragraph(request: AppRequest, brief_id: str, key: str):
    """Nothing lost: the paragraph becomes the instruction's expert prompt, sent verbatim."""
    account, brief = load(request, brief_id)
    instruction_or_404(brief, key)
    form = wf.KeepParagraphForm(request.POST)
    if not form.is_valid():
        text_form = wf.ExtractTextForm(request.POST, auto_id=_auto_id(key))
        for error in form.errors.get("text", []):
            text_form.add_error(None, error)
        context = panel_context(request, account, key, "text", form=text_form)
        return render_configure(
            request, brief, account, status=INVALID, tool="extract", tool_key=key, **context
        )
    brief = ws.brief_fields_update(
        brief=brief, key=key, values={"prompt": form.cleaned_data["text"]}
    )
    brief = ws.brief_expert_set(brief=brief, key=key, expert=True)
    return after_structure_change(
        request, brief, account, focus=f"prompt-{key}-input", anchor=f"ins-{key}"
    )


def panel_context(request, account, key, source, *, form=None, reading=None, picked="") -> dict:
    context = {"source": source, "source_label": wf.SOURCES[source], "reading": reading}
    if source == "text":
        context["text_form"] = form or wf.ExtractTextForm(auto_id=_auto_id(key))
        context["text_max"] = TEXT_MAX_CHARS
        return context
    form = form or wf.ExtractImageForm(auto_id=_auto_id(key))
    assets = list(assets_for(account=account)[:ASSET_LIMIT])
    if not picked and assets:
        picked = str(assets[0].file_id)
    context.update(
        image_form=form,
        accept=wf.ACCEPT,
        image_credits=extraction_price(source="image"),
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
    if reading is not None and reading.face_box:
        urls = [a["url"] for a in context["assets"] if a["file_id"] == picked]
        context["reading_photo"] = urls[0] if urls else ""
    return context


def _auto_id(key: str) -> str:
    return f"extract-{key}-%s"
