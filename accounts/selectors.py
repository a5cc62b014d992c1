"""Reads for the accounts domain."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Account, ApiToken, CreditEntry, Membership


def membership_for(*, user) -> Membership:
    """The user's membership (with account and plan); 404 when they have none."""
    if not user.is_authenticated:
        raise Http404("No workspace")
    membership = Membership.objects.select_related("account__plan").filter(user_id=user.pk).first()
    if membership is None:
        raise Http404("No workspace")
    return membership


def account_members(*, account: Account) -> QuerySet[Membership]:
    return account.memberships.select_related("user").order_by("created_at")


def account_ledger(*, account: Account) -> QuerySet[CreditEntry]:
    return account.ledger.select_related("created_by").order_by("-created_at", "-id")


def account_tokens(*, account: Account) -> QuerySet[ApiToken]:
    return account.api_tokens.select_related("created_by").order_by("-created_at")


def api_token_get_for(*, account: Account, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(account=account, pk=token_id).first()
    if token is None:
        raise Http404("No such token")
    return token


def account_slots_used(*, account: Account) -> int:
    """Identity slots taken: promoted identities of the account that are not deleted."""
    from identities.selectors import identity_slots_used

    return identity_slots_used(account=account)
