from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.models import Account, CreditEntry, Membership
from accounts.services import account_signup
from accounts.views import SIGNUP_DONE
from tests.conftest import PASSWORD
from tests.html import select, select_one, text_of

User = get_user_model()


SIGNUP = {"account_name": "Label", "password": "a-long-enough-pass-7"}


def _sign_up(client, email: str, **fields):
    return client.post(reverse("accounts:signup"), {"email": email, **SIGNUP, **fields})


def _login_page_after(client, response):
    """The page a finished sign-up lands on: (its flash message, the pre-filled e-mail)."""
    page = client.get(response["Location"])
    assert page.status_code == 200
    return text_of(page, ".messages"), select_one(page, "input[name=username]").get("value")


def test_signup_creates_a_free_workspace_with_the_starter_allowance(client, reference_data):
    response = _sign_up(client, "Nina@Label.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    user = User.objects.get(username="nina@label.test")
    account = user.membership.account
    assert user.membership.role == "owner"
    assert account.name == "Label"
    assert account.plan.code == "free"
    assert account.credit_balance == account.plan.starter_credits > 0
    assert account.ledger.filter(kind=CreditEntry.GRANT).count() == 1


def test_after_signup_the_user_logs_in_with_the_email_filled_in(client, reference_data):
    response = _sign_up(client, "Nina@Label.test")
    message, email = _login_page_after(client, response)
    assert message == SIGNUP_DONE
    assert email == "Nina@Label.test"
    # Sign-up itself never logs in (that alone would tell which e-mails are new).
    assert client.get(reverse("identities:library")).status_code == 302

    response = client.post(
        reverse("accounts:login"), {"username": "nina@label.test", "password": SIGNUP["password"]}
    )
    assert response.status_code == 302
    assert client.get(reverse("identities:library")).status_code == 200


def test_signup_page_shows_the_form(client, reference_data):
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    assert select_one(response, "form input[name=email]") is not None
    assert select_one(response, "form input[name=password][type=password]") is not None


def test_signup_with_a_taken_email_answers_like_a_new_one_and_changes_nothing(alice):
    account = alice.membership.account
    accounts_before, users_before = Account.objects.count(), User.objects.count()
    balance, password_hash = account.credit_balance, alice.password

    new, taken = Client(), Client()
    fresh = _sign_up(new, "newcomer@brand.test", account_name="Dup")
    existing = _sign_up(taken, "ALICE@brand.test", account_name="Dup")

    # Same status, same place, same words: nothing tells the two apart.
    assert (existing.status_code, existing["Location"]) == (fresh.status_code, fresh["Location"])
    assert existing.content == fresh.content == b""
    assert _login_page_after(taken, existing) == (SIGNUP_DONE, "ALICE@brand.test")
    assert _login_page_after(new, fresh)[0] == SIGNUP_DONE

    # Only the new e-mail got a workspace; Alice's account is as it was.
    assert Account.objects.count() == accounts_before + 1
    assert User.objects.count() == users_before + 1
    alice.refresh_from_db()
    account.refresh_from_db()
    assert alice.password == password_hash
    assert (account.name, account.credit_balance) == ("Alice Studio", balance)
    assert Membership.objects.filter(user=alice).count() == 1
    # The password typed at sign-up does not open Alice's account; hers still does.
    denied = taken.post(
        reverse("accounts:login"), {"username": "alice@brand.test", "password": SIGNUP["password"]}
    )
    assert denied.status_code == 422
    allowed = taken.post(
        reverse("accounts:login"), {"username": "alice@brand.test", "password": PASSWORD}
    )
    assert allowed.status_code == 302


def test_a_weak_password_is_explained_alike_for_a_taken_and_a_new_email(alice):
    answers = [
        _sign_up(Client(), email, password="12345678")
        for email in ("alice@brand.test", "someone@new.test")
    ]
    assert [answer.status_code for answer in answers] == [422, 422]
    errors = [[p.text for p in select(answer, ".field.has-error .error")] for answer in answers]
    assert errors[0] == errors[1]
    assert any("too short" in error for error in errors[0])


def test_a_signup_that_races_another_for_the_same_email_answers_alike(alice, monkeypatch):
    # The existence check passed, then the other request's row won the unique username.
    monkeypatch.setattr("accounts.services.accounts._user_exists", lambda email: False)
    accounts_before = Account.objects.count()
    assert (
        account_signup(
            email="alice@brand.test", password="a-long-enough-pass-7", account_name="Dup"
        )
        is None
    )
    assert Account.objects.count() == accounts_before
    response = _sign_up(Client(), "alice@brand.test")
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:login"))


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
