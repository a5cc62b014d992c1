"""Team rules: invitations (hashed, expiring, single use), roles and removal."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Invitation, Membership
from accounts.selectors import invitation_open_by_secret
from accounts.services import (
    api_token_create,
    invitation_accept,
    invitation_create,
    invitation_email_send,
    invitation_revoke,
    membership_remove,
    membership_set_role,
)
from accounts.services.tokens import token_digest

pytestmark = pytest.mark.django_db


def _account(user):
    return user.membership.account


def test_an_invitation_keeps_only_the_digest_of_its_secret(alice):
    invitation, secret = invitation_create(account=_account(alice), user=alice, email="D@X.test")
    assert invitation.digest == token_digest(secret)
    assert secret not in Invitation.objects.values_list("digest", flat=True)
    assert invitation.email == "d@x.test"
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)
    assert invitation_open_by_secret(raw=secret) == invitation
    assert invitation_open_by_secret(raw=secret + "x") is None


def test_a_member_cannot_invite(bob):
    with pytest.raises(PermissionDenied, match="Only a workspace owner can invite"):
        invitation_create(account=_account(bob), user=bob)


def test_an_owner_of_another_workspace_cannot_invite_here(alice, charlie):
    with pytest.raises(PermissionDenied):
        invitation_create(account=_account(alice), user=charlie)


def test_accepting_makes_a_member_and_spends_the_link(alice, charlie):
    invitation, secret = invitation_create(account=_account(alice), user=alice)
    membership = invitation_accept(invitation=invitation, user=charlie)
    assert membership.role == Membership.MEMBER
    assert membership.account == _account(alice)
    # Charlie keeps his own workspace too: two memberships now.
    assert Membership.objects.filter(user=charlie).count() == 2
    invitation.refresh_from_db()
    assert invitation.accepted_by == charlie
    assert invitation_open_by_secret(raw=secret) is None


def test_a_used_link_is_refused_to_the_next_person(alice, charlie, bob):
    invitation, _ = invitation_create(account=_account(alice), user=alice)
    invitation_accept(invitation=invitation, user=charlie)
    dave = get_user_model().objects.create_user(username="dave@x.test", email="dave@x.test")
    with pytest.raises(ValidationError, match="already used"):
        invitation_accept(invitation=invitation, user=dave)
    assert not Membership.objects.filter(user=dave).exists()


def test_an_expired_link_is_refused(alice, charlie):
    invitation, secret = invitation_create(account=_account(alice), user=alice)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    assert invitation_open_by_secret(raw=secret) is None
    with pytest.raises(ValidationError, match="expired"):
        invitation_accept(invitation=invitation, user=charlie)
    assert Membership.objects.filter(user=charlie).count() == 1


def test_a_withdrawn_link_is_refused(alice, charlie):
    invitation, secret = invitation_create(account=_account(alice), user=alice)
    invitation_revoke(invitation=invitation, user=alice)
    assert invitation_open_by_secret(raw=secret) is None
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, user=charlie)


def test_an_existing_member_does_not_spend_the_link(alice, bob):
    invitation, secret = invitation_create(account=_account(alice), user=alice)
    assert invitation_accept(invitation=invitation, user=bob).role == Membership.MEMBER
    assert invitation_open_by_secret(raw=secret) == invitation


def test_the_link_is_mailed_only_when_smtp_is_configured(alice, settings):
    invitation, _ = invitation_create(account=_account(alice), user=alice, email="d@x.test")
    settings.EMAIL_HOST = ""
    assert invitation_email_send(invitation=invitation, link="http://t/l") is False
    assert mail.outbox == []
    settings.EMAIL_HOST = "smtp.brand.test"
    assert invitation_email_send(invitation=invitation, link="http://t/l") is True
    (message,) = mail.outbox
    assert message.to == ["d@x.test"]
    assert "Alice Studio" in message.subject
    assert "http://t/l" in message.body


def test_members_cannot_manage_tokens_or_roles(alice, bob):
    with pytest.raises(PermissionDenied):
        api_token_create(account=_account(alice), user=bob, name="Bob's")
    alice_row = Membership.objects.get(user=alice)
    with pytest.raises(PermissionDenied):
        membership_set_role(membership=alice_row, user=bob, role=Membership.MEMBER)


def test_owner_promotes_a_member_and_the_last_owner_cannot_step_down(alice, bob):
    alice_row = Membership.objects.get(user=alice)
    bob_row = Membership.objects.get(user=bob)
    with pytest.raises(ValidationError, match="needs an owner"):
        membership_set_role(membership=alice_row, user=alice, role=Membership.MEMBER)
    membership_set_role(membership=bob_row, user=alice, role=Membership.OWNER)
    membership_set_role(membership=alice_row, user=bob, role=Membership.MEMBER)
    alice_row.refresh_from_db()
    assert alice_row.role == Membership.MEMBER


def test_owner_removes_a_member_and_a_member_leaves(alice, bob, charlie):
    bob_row = Membership.objects.get(user=bob)
    with pytest.raises(PermissionDenied):
        membership_remove(membership=Membership.objects.get(user=alice), user=bob)
    membership_remove(membership=bob_row, user=alice)
    assert not Membership.objects.filter(pk=bob_row.pk).exists()

    invitation, _ = invitation_create(account=_account(alice), user=alice)
    joined = invitation_accept(invitation=invitation, user=charlie)
    membership_remove(membership=joined, user=charlie)
    assert list(Membership.objects.filter(user=charlie).values_list("role", flat=True)) == ["owner"]


def test_the_last_owner_can_neither_leave_nor_be_removed(alice, bob):
    alice_row = Membership.objects.get(user=alice)
    with pytest.raises(ValidationError, match="needs an owner"):
        membership_remove(membership=alice_row, user=alice)
    assert Membership.objects.filter(pk=alice_row.pk).exists()


def test_a_person_belongs_to_a_workspace_once(alice):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Membership.objects.create(user=alice, account=_account(alice), role=Membership.MEMBER)
