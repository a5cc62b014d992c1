from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class AppRequest(HttpRequest):
    """The request our views receive: Django's, plus the user, django-htmx's details and the
    signed-in user's workspace (set lazily by accounts.middleware; None without one)."""

    user: AbstractBaseUser | AnonymousUser
    htmx: HtmxDetails
    account: Any


def wants_partial(request: AppRequest) -> bool:
    """htmx asked for a fragment. History restores (back button after a cache miss) and plain
    navigations get the full page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request
