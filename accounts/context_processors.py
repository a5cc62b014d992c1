from accounts.models import Membership


def current_account(request):
    """The signed-in user's membership, for the navigation bar (one query, cached per request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"membership": None}
    if not hasattr(request, "_castless_membership"):
        request._castless_membership = (
            Membership.objects.select_related("account__plan").filter(user_id=user.pk).first()
        )
    return {"membership": request._castless_membership}
