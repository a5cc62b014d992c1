from django.urls import reverse

from accounts.services import credits_capture, credits_reserve
from tests.html import select, select_one, text_of


def test_credits_page_shows_balance_reserved_and_history(alice_client, alice):
    account = alice.membership.account
    reservations = credits_reserve(account=account, amounts=[4, 4], reason="Job spring")
    credits_capture(reservation=reservations[0])
    response = alice_client.get(reverse("accounts:credits"))
    assert response.status_code == 200
    assert text_of(response, "[data-testid=balance]") == "492"
    assert text_of(response, "[data-testid=reserved]") == "4"
    kinds = [row["data-kind"] for row in select(response, "[data-testid=ledger] tbody tr")]
    assert kinds == ["capture", "reserve", "grant"]


def test_credits_history_pages_through_htmx_fragments(alice_client, alice):
    account = alice.membership.account
    for index in range(30):
        credits_reserve(account=account, amounts=[1], reason=f"Job {index}")
    first = alice_client.get(reverse("accounts:credits"))
    assert len(select(first, "[data-testid=ledger] tbody tr")) == 25
    fragment = alice_client.get(
        reverse("accounts:credits") + "?page=2", headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert select_one(fragment, "h1") is None
    assert len(select(fragment, "#ledger tbody tr")) == 6


def test_credits_page_shows_only_my_workspace(charlie_client, alice, charlie):
    credits_reserve(account=alice.membership.account, amounts=[9], reason="Alice secret job")
    response = charlie_client.get(reverse("accounts:credits"))
    assert "Alice secret job" not in response.content.decode()
    assert text_of(response, "[data-testid=balance]") == "100"


def test_credits_page_query_count_does_not_grow_with_history(
    alice_client, alice, django_assert_max_num_queries
):
    account = alice.membership.account
    for index in range(20):
        credits_reserve(account=account, amounts=[1], reason=f"Job {index}")
    with django_assert_max_num_queries(8):
        alice_client.get(reverse("accounts:credits"))
