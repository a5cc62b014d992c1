"""`request.membership` and `request.account` for every web request, looked up once.

The JSON API sets `request.account` from the Bearer token; this gives the browser side the
same attribute, so views, templates and the context processor share one membership query per
request (lazily: pages that never touch it, such as login, pay nothing).
"""

from django.utils.functional import SimpleLazyObject

from accounts.models import Membership


def request_membership(request) -> Membership | None:
    if not hasattr(request, "_castless_membership"):
        user = getattr(request, "user", None)
        membership = None
        if user is not None and user.is_authenticated:
            membership = (
                Membership.objects.select_related("account__plan").filter(user_id=user.pk).first()
            )
        request._castless_membership = membership
    return request._castless_membership


class CurrentAccountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: request_membership(request))
        request.account = SimpleLazyObject(
            lambda: getattr(request_membership(request), "account", None)
        )
        return self.get_response(request)
