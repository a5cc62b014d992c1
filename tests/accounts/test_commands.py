import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Account, CreditEntry


def test_create_account_creates_user_and_workspace(reference_data, capsys):
    call_command(
        "create_account",
        "ops@brand.test",
        "--password",
        "long-enough-pass-1",
        "--plan",
        "pro",
        "--credits",
        "300",
    )
    out = capsys.readouterr().out
    assert "Created ops@brand.test" in out
    account = Account.objects.get(memberships__user__username="ops@brand.test")
    assert account.plan.code == "pro"
    assert account.credit_balance == 300
    assert account.ledger.get().kind == CreditEntry.GRANT


def test_create_account_updates_an_existing_one(alice, capsys):
    call_command("create_account", "alice@brand.test", "--plan", "enterprise", "--credits", "10")
    account = alice.membership.account
    account.refresh_from_db()
    assert account.plan.code == "enterprise"
    assert account.credit_balance == 510
    assert "Updated alice@brand.test" in capsys.readouterr().out


def test_create_account_refuses_an_unknown_plan(reference_data):
    with pytest.raises(CommandError, match="Unknown plan 'gold'"):
        call_command(
            "create_account", "x@brand.test", "--password", "long-enough-pass-1", "--plan", "gold"
        )
    assert not Account.objects.exists()


def test_create_api_token_prints_a_working_token(alice, capsys):
    call_command("create_api_token", "alice@brand.test", "--name", "Deploy script")
    secret = capsys.readouterr().out.strip()
    response = Client(headers={"Authorization": f"Bearer {secret}"}).get("/api/v2/me")
    assert response.status_code == 200
    assert response.json()["token"] == "Deploy script"


def test_create_api_token_refuses_a_member(bob):
    with pytest.raises(CommandError, match="Only a workspace owner"):
        call_command("create_api_token", "bob@brand.test")


def test_seed_demo_is_idempotent(reference_data, capsys, settings):
    call_command("seed_demo")
    call_command("seed_demo")
    account = Account.objects.get(memberships__user__username=settings.CASTLESS_DEMO_EMAIL)
    assert account.plan.code == "pro"
    assert account.credit_balance == settings.CASTLESS_DEMO_CREDITS
    assert account.ledger.count() == 1
    assert "Demo login: demo@castless.local" in capsys.readouterr().out
