"""Reference images of an expert instruction: up to three of the account's uploads (or a new
upload), sent as the API's `input_assets`. The picker is From Image's: the same thumbnails and
the same one-step upload."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods

from config.forms import INVALID
from config.requests import AppRequest
from identities.wizard import forms as wf
from identities.wizard import services as ws
from identities.wizard.views.common import (
    after_structure_change,
    instruction_or_404,
    load,
    render_tool_panel,
)
from identities.wizard.views.extract import chosen_asset, panel_context


@login_required
@require_http_methods(["GET", "POST"])
def references(request: AppRequest, brief_id: str, key: str):
    """GET: the picker. POST: attach the picked (or uploaded) photo, or `remove` one."""
    account, brief = load(request, brief_id)
    instruction_or_404(brief, key)
    if request.method == "GET":
        return _picker(request, brief, account, key)
    if request.POST.get("remove"):
        brief = ws.brief_reference_remove(brief=brief, key=key, file_id=request.POST["remove"])
        return after_structure_change(request, brief, account, focus=f"prompt-{key}-input")
    form = wf.ExtractImageForm(request.POST, request.FILES, auto_id=f"refs-{key}-%s")
    asset = chosen_asset(request, account, form) if form.is_valid() else None
    if asset is None:
        return _picker(request, brief, account, key, form=form, status=INVALID)
    try:
        brief = ws.brief_reference_add(brief=brief, key=key, file_id=str(asset.file_id))
    except ws.WizardLimit as error:
        form.add_error(None, error.messages[0])
        return _picker(request, brief, account, key, form=form, status=INVALID)
    return after_structure_change(request, brief, account, focus=f"prompt-{key}-input")


def _picker(request, brief, account, key, *, form=None, status=200):
    context = panel_context(request, account, key, "image", form=form)
    return render_tool_panel(request, brief, account, key, "references", status=status, **context)
