"""Reads for the accounts domain."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.middleware import request_membership
from accounts.models import Account, ApiToken, CreditEntry, Invitation, Membership
from accounts.services.tokens import token_digest


def membership_for(*, request) -> Membership:
    """The membership of the workspace open in this request (with account and plan); 404 when
    the user belongs to none."""
    if not request.user.is_authenticated:
        raise Http404("No workspace")
    membership = request_membership(request)
    if membership is None:
        raise Http404("No workspace")
    return membership


def user_memberships(*, user) -> QuerySet[Membership]:
    """Every workspace the user belongs to, for the switcher."""
    return (
        Membership.objects.select_related("account")
        .filter(user_id=user.pk)
        .order_by("account__name", "account_id")
    )


def account_members(*, account: Account) -> QuerySet[Membership]:
    return account.memberships.select_related("user").order_by("created_at", "id")


def member_get_for(*, account: Account, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("user").filter(account=account, pk=membership_id).first()
    )
    if membership is None:
        raise Http404("No such member")
    return membership


def account_open_invitations(*, account: Account) -> QuerySet[Invitation]:
    return account.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("created_by")


def invitation_get_for(*, account: Account, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.filter(account=account, pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def invitation_open_by_secret(*, raw: str) -> Invitation | None:
    """The invitation this link's secret opens, while it is still usable; else None."""
    if not raw or len(raw) > 128:
        return None
    invitation = (
        Invitation.objects.select_related("account", "created_by")
        .filter(digest=token_digest(raw))
        .first()
    )
    if invitation is None or not invitation.is_open(timezone.now()):
        return None
    return invitation


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
