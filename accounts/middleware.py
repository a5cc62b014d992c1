"""`request.membership` and `request.account` for every web request, looked up once.

The JSON API sets `request.account` from the Bearer token; this gives the browser side the
same attribute, so views, templates and the context processor share one membership query per
request (lazily: pages that never touch it, such as login, pay nothing).

A person may belong to several workspaces: the session remembers the one they switched to
(`WORKSPACE_SESSION_KEY`), and when it names none they still belong to, the first one opens.
"""

from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from accounts.models import Membership

WORKSPACE_SESSION_KEY = "castless_account_id"


def request_membership(request) -> Membership | None:
    if not hasattr(request, "_castless_membership"):
        user = getattr(request, "user", None)
        membership = None
        if user is not None and user.is_authenticated:
            chosen = _chosen_account_id(request)
            # One query either way: the chosen workspace sorts first when the user still
            # belongs to it, else the oldest membership wins.
            membership = (
                Membership.objects.select_related("account__plan")
                .filter(user_id=user.pk)
                .annotate(
                    _chosen=Case(
                        When(account_id=chosen, then=Value(0)),
                        default=Value(1),
                        output_field=IntegerField(),
                    )
                )
                .order_by("_chosen", "created_at", "id")
                .first()
            )
        request._castless_membership = membership
    return request._castless_membership


def _chosen_account_id(request) -> int:
    session = getattr(request, "session", None)
    try:
        return int(session.get(WORKSPACE_SESSION_KEY, 0)) if session is not None else 0
    except (TypeError, ValueError):
        return 0


class CurrentAccountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: request_membership(request))
        request.account = SimpleLazyObject(
            lambda: getattr(request_membership(request), "account", None)
        )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Someone removed from their last workspace is still signed in but has no library:
        the workspace pages say so instead of failing on a missing account. Invitation links
        (to join another workspace) and log-out stay reachable."""
        match = request.resolver_match
        if match is None or match.app_name != "identities" or match.url_name in _OPEN_PAGES:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request_membership(request) is not None:
            return None
        return render(request, "accounts/no_workspace.html", status=403)


# Pages that need no workspace: signed image links carry their own authorisation.
_OPEN_PAGES = {"media_signed"}
