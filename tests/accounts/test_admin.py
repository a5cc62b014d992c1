import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import Account, CreditEntry, Plan
from accounts.services import api_token_create
from tests.html import select, text_of


@pytest.fixture
def admin_client(reference_data):
    admin = get_user_model().objects.create_superuser(
        "root@castless.test", "root@castless.test", "pw-admin-123456"
    )
    client = Client()
    client.force_login(admin)
    return client


def test_accounts_list_shows_plan_balance_reserved_slots_and_members(
    admin_client, alice, bob, charlie
):
    response = admin_client.get("/admin/accounts/account/")
    assert response.status_code == 200
    rows = {
        row.select_one("th").get_text(strip=True): row
        for row in select(response, "#result_list tbody tr")
    }

    def cell(account, column):
        return rows[account].select_one(f"td.field-{column}").get_text(strip=True)

    assert cell("Alice Studio", "plan") == "Pro"
    assert cell("Alice Studio", "credit_balance") == "500"
    assert cell("Alice Studio", "credits_reserved") == "0"
    assert cell("Alice Studio", "slots") == "0 / 50"
    assert cell("Alice Studio", "member_count") == "2"
    assert cell("Charlie Co", "member_count") == "1"


def test_grant_credits_action_writes_a_ledger_entry(admin_client, charlie):
    account = charlie.membership.account
    confirm = admin_client.post(
        "/admin/accounts/account/", {"action": "grant_credits", "_selected_action": [account.pk]}
    )
    assert confirm.status_code == 200
    assert "Grant credits" in text_of(confirm, "title")
    done = admin_client.post(
        "/admin/accounts/account/",
        {
            "action": "grant_credits",
            "_selected_action": [account.pk],
            "apply": "1",
            "amount": "250",
            "reason": "Goodwill",
        },
    )
    assert done.status_code == 302
    account.refresh_from_db()
    assert account.credit_balance == 350
    entry = account.ledger.first()
    assert (entry.kind, entry.amount, entry.reason) == (CreditEntry.GRANT, 250, "Goodwill")
    assert entry.created_by.email == "root@castless.test"


def test_grant_credits_refuses_a_non_positive_amount(admin_client, charlie):
    account = charlie.membership.account
    response = admin_client.post(
        "/admin/accounts/account/",
        {
            "action": "grant_credits",
            "_selected_action": [account.pk],
            "apply": "1",
            "amount": "-5",
            "reason": "x",
        },
    )
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.credit_balance == 100


def test_plans_are_editable(admin_client):
    plan = Plan.objects.get(code="basic")
    response = admin_client.get(f"/admin/accounts/plan/{plan.pk}/change/")
    assert response.status_code == 200
    assert select(response, "select[name=max_size]")


def test_token_admin_never_shows_the_secret_or_digest(admin_client, alice):
    token, secret = api_token_create(account=alice.membership.account, user=alice, name="Visible")
    page = admin_client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert secret not in page
    assert token.digest not in page
    assert "Visible" in page


def test_feature_flag_is_toggled_in_admin(admin_client):
    from identities.models import FeatureFlag

    flag = FeatureFlag.objects.get(name="identity_creation")
    response = admin_client.post(
        f"/admin/identities/featureflag/{flag.pk}/change/",
        {"name": "identity_creation", "enabled": "", "message": "Maintenance until 3pm"},
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.enabled is False


def test_ledger_is_read_only_in_admin(admin_client, alice):
    entry = Account.objects.get(name="Alice Studio").ledger.first()
    assert admin_client.get("/admin/accounts/creditentry/add/").status_code == 403
    assert (
        admin_client.post(
            f"/admin/accounts/creditentry/{entry.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
