from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Account, CreditEntry
from tests.html import select, select_one

User = get_user_model()


def test_signup_creates_a_free_workspace_with_the_starter_allowance(client, reference_data):
    response = client.post(
        reverse("accounts:signup"),
        {"email": "Nina@Label.test", "account_name": "Label", "password": "a-long-enough-pass-7"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("identities:library")
    user = User.objects.get(username="nina@label.test")
    account = user.membership.account
    assert user.membership.role == "owner"
    assert account.plan.code == "free"
    assert account.credit_balance == account.plan.starter_credits > 0
    assert account.ledger.filter(kind=CreditEntry.GRANT).count() == 1
    # Logged in straight away.
    assert client.get(reverse("identities:library")).status_code == 200


def test_signup_page_shows_the_form(client, reference_data):
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    assert select_one(response, "form input[name=email]") is not None
    assert select_one(response, "form input[name=password][type=password]") is not None


def test_signup_with_a_taken_email_says_so_and_creates_nothing(client, alice):
    accounts_before = Account.objects.count()
    response = client.post(
        reverse("accounts:signup"),
        {"email": "ALICE@brand.test", "account_name": "Dup", "password": "a-long-enough-pass-7"},
    )
    assert response.status_code == 422
    errors = [p.text for p in select(response, ".field.has-error .error")]
    assert errors == ["An account with this e-mail already exists."]
    assert Account.objects.count() == accounts_before


def test_signup_with_a_weak_password_explains_why_and_creates_nothing(client, reference_data):
    response = client.post(
        reverse("accounts:signup"),
        {"email": "weak@label.test", "account_name": "", "password": "12345678"},
    )
    assert response.status_code == 422
    messages = " ".join(p.text for p in select(response, ".field.has-error .error"))
    assert "too short" in messages
    assert not User.objects.filter(username="weak@label.test").exists()


def test_signup_with_a_malformed_email_is_refused(client, reference_data):
    response = client.post(
        reverse("accounts:signup"), {"email": "not-an-email", "password": "a-long-enough-pass-7"}
    )
    assert response.status_code == 422
    assert select_one(response, ".field.has-error input[name=email]") is not None
    assert User.objects.count() == 0


def test_login_with_email_in_any_case_and_logout(client, alice):
    response = client.post(
        reverse("accounts:login"),
        {"username": "Alice@Brand.test", "password": "correct-horse-battery-9"},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:settings")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:settings")).status_code == 302


def test_login_with_a_wrong_password_is_refused(client, alice):
    response = client.post(
        reverse("accounts:login"), {"username": "alice@brand.test", "password": "wrong-password-1"}
    )
    assert response.status_code == 422
    assert "correct" in select_one(response, ".form-errors").text


def test_pages_need_a_login(client, reference_data):
    for name in ("identities:library", "accounts:settings", "accounts:credits"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
