from accounts.middleware import request_membership


def current_account(request):
    """The signed-in user's membership, for the navigation bar (the middleware's one query)."""
    return {"membership": request_membership(request)}
