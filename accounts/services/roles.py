"""Who may do what in a workspace: owners manage the team, API tokens, webhooks and billing;
members create, promote and use identities. Every check reads the membership of *this*
account, since a person may belong to several."""

from django.core.exceptions import PermissionDenied

from accounts.models import Account, Membership


def membership_of(*, user, account: Account | int) -> Membership | None:
    account_id = account if isinstance(account, int) else account.pk
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user_id=user.pk, account_id=account_id).first()


def owner_require(*, user, account: Account | int, action: str) -> Membership:
    """The user's owner membership of the account, or PermissionDenied naming the action."""
    membership = membership_of(user=user, account=account)
    if membership is None or not membership.is_owner:
        raise PermissionDenied(f"Only a workspace owner can {action}.")
    return membership
