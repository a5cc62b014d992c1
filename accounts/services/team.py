"""A workspace's team: invitations, roles, leaving and removal.

The guards that keep a workspace manageable (it always has an owner) lock the account row, so
two owners demoting each other at once cannot leave it with none.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Account, Invitation, Membership
from accounts.services.roles import membership_of, owner_require
from accounts.services.tokens import token_digest

INVITATION_LIFETIME = timedelta(days=7)
INVITATION_CLOSED = (
    "This invitation link has expired, was already used or was withdrawn. "
    "Ask the workspace owner for a new one."
)
LAST_OWNER = "A workspace needs an owner: make another member an owner first."


def invitation_create(*, account: Account, user, email: str = "") -> tuple[Invitation, str]:
    """A new invitation and its secret, which is never available again."""
    owner_require(user=user, account=account, action="invite members")
    raw = secrets.token_urlsafe(32)
    invitation = Invitation(
        account=account,
        email=email.strip().lower(),
        digest=token_digest(raw),
        created_by=user,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    return invitation, raw


def invitation_email_send(*, invitation: Invitation, link: str) -> bool:
    """E-mail the link when the invitation names an address and SMTP is configured."""
    if not invitation.email or not settings.EMAIL_HOST:
        return False
    inviter = invitation.created_by.email if invitation.created_by else "A Castless owner"
    send_mail(
        subject=f"Join {invitation.account.name} on Castless",
        message=(
            f"{inviter} invited you to the workspace {invitation.account.name} on Castless.\n\n"
            f"Open this link to sign up or log in and join it:\n{link}\n\n"
            f"The link works once, until {invitation.expires_at:%Y-%m-%d %H:%M} UTC."
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )
    return True


def invitation_revoke(*, invitation: Invitation, user) -> None:
    owner_require(user=user, account=invitation.account_id, action="withdraw invitations")
    Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Join the invitation's workspace as a member; the link is spent by this one use.

    Somebody who already belongs to the workspace keeps their role and leaves the link unspent,
    so an owner who tries their own link does not burn the colleague's.
    """
    existing = membership_of(user=user, account=invitation.account_id)
    if existing is not None:
        return existing
    # The conditional UPDATE is the single-use guarantee: of two requests racing with the same
    # link, only one finds it still open.
    spent = Invitation.objects.filter(
        pk=invitation.pk,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).update(accepted_at=timezone.now(), accepted_by=user)
    if not spent:
        raise ValidationError(INVITATION_CLOSED)
    try:
        with transaction.atomic():
            return Membership.objects.create(
                user=user, account_id=invitation.account_id, role=Membership.MEMBER
            )
    except IntegrityError:
        # The same person joined through another link at the same moment.
        return Membership.objects.get(user=user, account_id=invitation.account_id)


def _owners_after(*, account_id: int, without: Membership) -> int:
    Account.objects.select_for_update().filter(pk=account_id).first()
    return (
        Membership.objects.filter(account_id=account_id, role=Membership.OWNER)
        .exclude(pk=without.pk)
        .count()
    )


@transaction.atomic
def membership_remove(*, membership: Membership, user) -> None:
    """An owner removes someone, or a person leaves; the last owner can do neither."""
    if membership.user_id != user.pk:
        owner_require(user=user, account=membership.account_id, action="remove members")
    if (
        membership.is_owner
        and _owners_after(account_id=membership.account_id, without=membership) == 0
    ):
        raise ValidationError(LAST_OWNER)
    Membership.objects.filter(pk=membership.pk).delete()


@transaction.atomic
def membership_set_role(*, membership: Membership, user, role: str) -> Membership:
    owner_require(user=user, account=membership.account_id, action="change roles")
    if role not in {Membership.OWNER, Membership.MEMBER}:
        raise ValidationError({"role": "Choose owner or member."})
    if (
        membership.is_owner
        and role == Membership.MEMBER
        and _owners_after(account_id=membership.account_id, without=membership) == 0
    ):
        raise ValidationError(LAST_OWNER)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership
