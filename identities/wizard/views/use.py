""" "Use as preset" on an identity's page: the Create wizard opened on that identity's brief.

A brief already in progress is never silently mixed with it: the user chooses to replace it
(a fresh brief holding exactly the identity's brief) or to keep both (the identity's brief as
one more instruction).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from config.requests import AppRequest
from identities.models import Identity
from identities.wizard import services as ws
from identities.wizard.display.review import brief_summary
from identities.wizard.views.common import account_of

USE_BRIEF = "wizard/use_brief.html"
CHOICES = ("replace", "keep")


def use_identity_brief(request: AppRequest, identity: Identity):
    """POST from the identity's page (no `choice`: ask when a brief is in progress), or from
    the question (`choice` = replace or keep)."""
    account = account_of(request)
    brief = ws.brief_start(account=account, user=request.user)
    content = {group: dict(fields) for group, fields in identity.brief.items()}
    choice = request.POST.get("choice", "")
    if choice not in CHOICES:
        if ws.brief_in_progress(brief):
            return _ask(request, brief, identity)
        choice = "replace"
    if choice == "replace":
        brief, key = ws.brief_start_from(brief=brief, content=content)
    else:
        try:
            brief, key = ws.brief_instruction_replace(brief=brief, key=None, content=content)
        except ws.WizardLimit as error:
            messages.error(request, f"{error.messages[0]} Remove one to use this brief.")
            return redirect("identities:wizard_configure", brief_id=brief.public_id)
    messages.success(request, f"The brief of “{identity.name}” is ready to adjust.")
    return redirect(reverse("identities:wizard_configure", args=[brief.public_id]) + f"#ins-{key}")


def _ask(request, brief, identity):
    summaries = [brief_summary(item) or "Empty instruction" for item in brief.instructions]
    context = {
        "nav": "identities",
        "identity": identity,
        "brief": brief,
        "summaries": summaries,
        "identity_summary": brief_summary({**identity.brief, "expert": False}),
        "can_keep": len(brief.instructions) < ws.MAX_INSTRUCTIONS,
    }
    return render(request, USE_BRIEF, context)
