from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import api_token_create
from accounts.services.tokens import token_digest
from tests.html import select, select_one, text_of


def test_settings_page_shows_workspace_plan_members_and_tokens(alice_client, alice, bob):
    response = alice_client.get(reverse("accounts:settings"))
    assert response.status_code == 200
    assert "Pro" in text_of(response, "[data-testid=plan-facts]")
    members = [
        (li["data-email"], li.select_one("[data-testid=member-role]").text)
        for li in select(response, "[data-testid=members] li")
    ]
    assert members == [("alice@brand.test", "Owner"), ("bob@brand.test", "Member")]
    assert select_one(response, "#api-tokens form[hx-post]") is not None


def test_owner_creates_a_token_and_sees_the_secret_once_in_the_full_page(alice_client, alice):
    response = alice_client.post(reverse("accounts:token_create"), {"name": "PIM sync"})
    assert response.status_code == 200
    assert select_one(response, "h1").text == "Settings"  # the full page, not the fragment
    secret = select_one(response, "[data-testid=new-token-value]")["value"]
    token = ApiToken.objects.get(account=alice.membership.account, name="PIM sync")
    assert token.digest == token_digest(secret)
    assert secret not in ApiToken.objects.values_list("digest", flat=True)
    # Shown once: the next page view lists the token by prefix only.
    again = alice_client.get(reverse("accounts:settings"))
    assert secret not in again.content.decode()
    assert token.prefix in text_of(again, "[data-testid=token-table]")


def test_owner_creates_a_token_through_htmx_and_gets_the_fragment(alice_client, alice):
    response = alice_client.post(
        reverse("accounts:token_create"), {"name": "Agency"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert select_one(response, "h1") is None
    assert select_one(response, "section#api-tokens [data-testid=new-token-value]") is not None
    assert ApiToken.objects.filter(name="Agency").count() == 1


def test_token_without_a_name_is_refused_in_the_form(alice_client, alice):
    response = alice_client.post(
        reverse("accounts:token_create"), {"name": ""}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert select_one(response, ".field.has-error input[name=name]") is not None
    assert ApiToken.objects.count() == 0


def test_duplicate_active_token_name_is_refused(alice_client, alice):
    alice_client.post(reverse("accounts:token_create"), {"name": "Same"})
    response = alice_client.post(reverse("accounts:token_create"), {"name": "Same"})
    assert response.status_code == 422
    assert "already exists" in text_of(response, ".field.has-error .error")
    assert ApiToken.objects.filter(name="Same").count() == 1


def test_member_cannot_create_tokens(bob_client, alice):
    response = bob_client.post(
        reverse("accounts:token_create"), {"name": "Sneaky"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    assert "Only a workspace owner" in response.content.decode()
    assert ApiToken.objects.count() == 0
    page = bob_client.get(reverse("accounts:settings"))
    assert select_one(page, "#api-tokens form[hx-post]") is None


def test_owner_revokes_a_token(alice_client, alice):
    token, _ = api_token_create(account=alice.membership.account, user=alice, name="Old")
    response = alice_client.post(
        reverse("accounts:token_revoke", args=[token.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "revoked" in text_of(response, "[data-testid=token-table] tbody")


def test_stranger_gets_404_when_revoking_someone_elses_token(charlie_client, alice):
    token, _ = api_token_create(account=alice.membership.account, user=alice, name="Mine")
    response = charlie_client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_owner_renames_the_workspace_and_member_cannot(alice_client, bob_client, alice, bob):
    response = alice_client.post(reverse("accounts:settings"), {"name": "Alice Atelier"})
    assert response.status_code == 302
    alice.membership.account.refresh_from_db()
    assert alice.membership.account.name == "Alice Atelier"
    refused = bob_client.post(reverse("accounts:settings"), {"name": "Bob's now"})
    assert refused.status_code == 403
    assert "Only a workspace owner can rename" in text_of(refused, "[data-testid=forbidden]")
    alice.membership.account.refresh_from_db()
    assert alice.membership.account.name == "Alice Atelier"
