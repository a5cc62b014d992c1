from django.apps import AppConfig


def _first_membership(user):
    """The user's first workspace: the one they signed up with or were first added to.

    Management commands, admin and fixtures that speak of "the user's account" mean this one;
    a web request uses `request.membership` instead (the workspace chosen in the session).
    """
    if not user.pk:
        return None
    return user.memberships.select_related("account__plan").order_by("created_at", "id").first()


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from django.contrib.auth import get_user_model

        get_user_model().add_to_class("membership", property(_first_membership))
