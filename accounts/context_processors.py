from accounts.middleware import request_membership


def current_account(request):
    """The membership open in this request, for the navigation bar (the middleware's one
    query), and the person's workspaces for the switcher (a lazy queryset: only pages that
    show the switcher run it)."""
    user = getattr(request, "user", None)
    workspaces = []
    if user is not None and user.is_authenticated:
        from accounts.selectors import user_memberships

        workspaces = user_memberships(user=user)
    return {"membership": request_membership(request), "user_workspaces": workspaces}
