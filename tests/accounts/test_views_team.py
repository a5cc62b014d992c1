"""Team pages: invitations from Settings, the invitation link, roles, removal and switching."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.middleware import WORKSPACE_SESSION_KEY
from accounts.models import Invitation, Membership
from accounts.services import invitation_create
from accounts.views import SIGNUP_DONE
from tests.conftest import PASSWORD
from tests.html import select, select_one, text_of

HTMX = {"HTTP_HX_REQUEST": "true"}


def _link_of(response) -> str:
    return select_one(response, "[data-testid=invite-link]")["value"]


def test_owner_creates_an_invitation_and_sees_the_link_once(alice_client, alice, settings):
    settings.EMAIL_HOST = ""
    response = alice_client.post(reverse("accounts:invitation_create"), {"email": "d@x.test"})
    assert response.status_code == 200
    assert select_one(response, "h1").text == "Settings"
    assert "Copy this link" in text_of(response, "[data-testid=new-invitation]")
    link = _link_of(response)
    assert link.startswith("http://testserver/accounts/invite/")
    secret = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get(account=alice.membership.account)
    assert secret not in invitation.digest
    again = alice_client.get(reverse("accounts:settings"))
    assert secret not in again.content.decode()
    assert "d@x.test" in text_of(again, "[data-testid=invitations]")


def test_htmx_invitation_returns_the_team_fragment_and_mails_when_configured(
    alice_client, settings, mailoutbox
):
    settings.EMAIL_HOST = "smtp.brand.test"
    response = alice_client.post(
        reverse("accounts:invitation_create"), {"email": "d@x.test"}, **HTMX
    )
    assert response.status_code == 200
    assert select_one(response, "h1") is None
    assert select_one(response, "section#team") is not None
    assert "We e-mailed the link to d@x.test" in text_of(response, "[data-testid=new-invitation]")
    assert mailoutbox[0].to == ["d@x.test"]
    assert _link_of(response) in mailoutbox[0].body


def test_invalid_invitation_email_answers_422(alice_client):
    response = alice_client.post(reverse("accounts:invitation_create"), {"email": "nope"}, **HTMX)
    assert response.status_code == 422
    assert select(
        response, "section#team .error, section#team .form-errors, section#team [role=alert]"
    )
    assert not Invitation.objects.exists()


def test_member_is_denied_owner_pages_and_posts(bob_client, alice):
    for name in ("accounts:credits",):
        denied = bob_client.get(reverse(name))
        assert denied.status_code == 403
        assert "Only a workspace owner" in text_of(denied, "[data-testid=forbidden]")
    for name in ("accounts:invitation_create", "accounts:token_create"):
        denied = bob_client.post(reverse(name), {"name": "x", "email": ""})
        assert denied.status_code == 403
        assert "Only a workspace owner" in text_of(denied, "[data-testid=forbidden]")
    assert not Invitation.objects.exists()
    page = bob_client.get(reverse("accounts:settings"))
    assert page.status_code == 200
    assert select_one(page, "[data-testid=plan-facts]") is None
    assert text_of(page, "[data-testid=my-role]") == "Member"
    assert select_one(page, "form[action$='/accounts/settings/invitations/']") is None


def test_member_cannot_remove_the_owner(bob_client, alice):
    alice_row = Membership.objects.get(user=alice)
    response = bob_client.post(reverse("accounts:member_remove", args=[alice_row.pk]))
    assert response.status_code == 403
    assert Membership.objects.filter(pk=alice_row.pk).exists()


def test_another_accounts_invitation_and_member_are_404(charlie_client, alice, bob):
    invitation, _ = invitation_create(account=alice.membership.account, user=alice)
    response = charlie_client.post(reverse("accounts:invitation_withdraw", args=[invitation.pk]))
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    bob_row = Membership.objects.get(user=bob)
    assert (
        charlie_client.post(reverse("accounts:member_remove", args=[bob_row.pk])).status_code == 404
    )
    assert (
        charlie_client.post(
            reverse("accounts:member_role", args=[bob_row.pk]), {"role": "owner"}
        ).status_code
        == 404
    )
    assert Membership.objects.get(pk=bob_row.pk).role == "member"


def test_owner_withdraws_an_invitation(alice_client, alice):
    invitation, secret = invitation_create(account=alice.membership.account, user=alice)
    response = alice_client.post(
        reverse("accounts:invitation_withdraw", args=[invitation.pk]), **HTMX
    )
    assert response.status_code == 200
    assert "withdrawn" in text_of(response, "[data-testid=team-notice]")
    assert Client().get(reverse("accounts:invitation_open", args=[secret])).status_code == 404


def test_owner_removes_a_member_and_changes_roles(alice_client, alice, bob):
    bob_row = Membership.objects.get(user=bob)
    promoted = alice_client.post(
        reverse("accounts:member_role", args=[bob_row.pk]), {"role": "owner"}, **HTMX
    )
    assert promoted.status_code == 200
    assert Membership.objects.get(pk=bob_row.pk).role == "owner"
    removed = alice_client.post(reverse("accounts:member_remove", args=[bob_row.pk]), **HTMX)
    assert removed.status_code == 200
    assert "bob@brand.test was removed" in text_of(removed, "[data-testid=team-notice]")
    assert not Membership.objects.filter(pk=bob_row.pk).exists()


def test_the_last_owner_cannot_leave(alice_client, alice, bob):
    alice_row = Membership.objects.get(user=alice)
    response = alice_client.post(reverse("accounts:member_remove", args=[alice_row.pk]), **HTMX)
    assert response.status_code == 422
    assert "needs an owner" in text_of(response, "[data-testid=team-error]")
    assert Membership.objects.filter(pk=alice_row.pk).exists()


def test_signed_out_visitor_signs_up_and_logs_in_through_the_link(client, alice):
    _, secret = invitation_create(account=alice.membership.account, user=alice)
    here = reverse("accounts:invitation_open", args=[secret])
    page = client.get(here)
    assert page.status_code == 200
    assert "Join Alice Studio" in text_of(page, "h1")
    signup_href = select_one(page, "a[href^='/accounts/signup/']")["href"]
    signed_up = client.post(
        signup_href,
        {"email": "dave@x.test", "password": PASSWORD, "account_name": "", "next": here},
    )
    assert signed_up.status_code == 302
    assert signed_up["Location"] == f"{reverse('accounts:login')}?next={here.replace('/', '%2F')}"
    login = client.post(
        reverse("accounts:login"), {"username": "dave@x.test", "password": PASSWORD, "next": here}
    )
    assert login["Location"] == here
    joined = client.post(here)
    assert joined.status_code == 302
    dave = get_user_model().objects.get(username="dave@x.test")
    assert Membership.objects.filter(user=dave, account=alice.membership.account).exists()
    assert client.session[WORKSPACE_SESSION_KEY] == alice.membership.account.pk
    library = client.get(joined["Location"])
    assert "You joined Alice Studio" in library.content.decode()


def test_an_existing_email_signing_up_through_the_link_learns_nothing(client, alice, charlie):
    """Sign-up through an invitation answers exactly as sign-up always does."""
    _, secret = invitation_create(account=alice.membership.account, user=alice)
    here = reverse("accounts:invitation_open", args=[secret])
    answers = []
    for email in ("charlie@other.test", "new@x.test"):
        response = client.post(
            reverse("accounts:signup"),
            {"email": email, "password": PASSWORD, "account_name": "", "next": here},
            follow=True,
        )
        answers.append((response.status_code, response.redirect_chain[-1][0]))
        assert SIGNUP_DONE in response.content.decode()
    assert answers[0] == answers[1]


def test_a_used_or_unknown_link_answers_404_with_the_reason(client, alice, charlie_client):
    invitation, secret = invitation_create(account=alice.membership.account, user=alice)
    here = reverse("accounts:invitation_open", args=[secret])
    assert charlie_client.post(here).status_code == 302
    for url in (here, reverse("accounts:invitation_open", args=["not-a-real-secret"])):
        response = client.get(url)
        assert response.status_code == 404
        assert "already used" in text_of(response, "[data-testid=invitation]")


def test_switching_workspaces_changes_the_open_account(charlie_client, alice, charlie):
    invitation, _ = invitation_create(account=alice.membership.account, user=alice)
    from accounts.services import invitation_accept

    invitation_accept(invitation=invitation, user=charlie)
    settings_page = charlie_client.get(reverse("accounts:settings"))
    options = [o.text for o in select(settings_page, "[data-testid=workspace-switcher] option")]
    assert options == ["Alice Studio", "Charlie Co (owner)"]
    switched = charlie_client.post(
        reverse("accounts:workspace_switch"), {"account": alice.membership.account.pk}
    )
    assert switched.status_code == 302
    page = charlie_client.get(reverse("accounts:settings"))
    assert text_of(page, "[data-testid=my-role]") == "Member"
    assert "Alice Studio" in text_of(page, "#workspace-h + p, section[aria-labelledby=workspace-h]")
    # A member of Alice's workspace does not see its credits.
    assert charlie_client.get(reverse("accounts:credits")).status_code == 403


def test_switching_to_a_workspace_one_does_not_belong_to_is_404(charlie_client, alice, charlie):
    response = charlie_client.post(
        reverse("accounts:workspace_switch"), {"account": alice.membership.account.pk}
    )
    assert response.status_code == 404
    assert WORKSPACE_SESSION_KEY not in charlie_client.session


def test_a_person_removed_from_their_only_workspace_is_told_so(alice_client, bob_client, bob):
    bob_row = Membership.objects.get(user=bob)
    alice_client.post(reverse("accounts:member_remove", args=[bob_row.pk]))
    for name in ("identities:library", "identities:job_list"):
        response = bob_client.get(reverse(name))
        assert response.status_code == 403
        assert "not in a workspace" in text_of(response, "[data-testid=no-workspace]")


def test_the_header_switcher_partial_lists_the_workspaces(charlie_client, alice, charlie):
    """base.html includes the partial with compact=True; it needs only the context processor."""
    from django.template.loader import render_to_string

    from accounts.services import invitation_accept

    invitation, _ = invitation_create(account=alice.membership.account, user=alice)
    invitation_accept(invitation=invitation, user=charlie)
    request = charlie_client.get(reverse("identities:library")).wsgi_request
    html = render_to_string(
        "accounts/partials/_workspace_switcher.html",
        {"switcher_id": "header", "compact": True},
        request=request,
    )
    assert 'id="workspace-switch-header"' in html
    assert 'class="sr-only"' in html
    assert "Alice Studio" in html and "Charlie Co (owner)" in html
