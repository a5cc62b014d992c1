"""The navigation's credit count as a fragment: it reloads itself when a response says the
balance moved (the `credits-changed` htmx event), so in-page charges show without a reload."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from config.requests import AppRequest


@require_safe
def nav_balance(request: AppRequest):
    # Signed out (a session that expired in an open tab): 204 leaves the pill as it is, where a
    # login redirect would be followed by htmx and swap the whole login page into the header.
    if not request.account:
        return HttpResponse(status=204)
    return render(
        request,
        "identities/partials/_nav_balance.html",
        {"balance": request.account.credit_balance},
    )
