"""Prices live in `identities.pricing`: change one there and both the pages and the charges
follow."""

import pytest
from django.urls import reverse

from accounts.models import CreditEntry
from identities import pricing
from identities.models import Identity
from identities.services.jobs import job_create, job_quote
from tests.html import text_of
from tests.pipeline import creation_request, run_job


@pytest.fixture
def account(alice):
    return alice.membership.account


@pytest.fixture
def job(account, django_capture_on_commit_callbacks):
    return run_job(account, capture=django_capture_on_commit_callbacks, variations=1)


def test_a_changed_promotion_price_is_shown_and_charged(
    monkeypatch, alice_client, account, job, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(pricing, "PROMOTION_CREDITS", 70)
    draft = job.drafts.get()
    url = reverse("identities:draft_promote", args=[draft.pk])
    panel = alice_client.get(url, headers={"HX-Request": "true"})
    assert text_of(panel, "[data-testid=promote-panel] button[type=submit]") == (
        "Promote · 70 credits"
    )
    page = alice_client.get(reverse("identities:job_detail", args=[job.public_id]))
    assert "(70 credits, one slot)" in text_of(page, "#job-progress .progress-card")
    credits = alice_client.get(reverse("accounts:credits"))
    assert "promoting a draft costs 70." in text_of(credits, "#ledger-h + p")

    account.refresh_from_db()
    balance = account.credit_balance
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url, {"name": "Astrid"}, headers={"HX-Request": "true"})
    identity = Identity.objects.get(source_draft=draft)
    assert identity.credits_charged == 70
    account.refresh_from_db()
    assert account.credit_balance == balance - 70
    reserved = account.ledger.get(kind=CreditEntry.RESERVE, reason__startswith="Promotion")
    assert reserved.amount == 70


def test_a_failed_preprocessing_says_what_was_returned(
    monkeypatch, alice_client, job, django_capture_on_commit_callbacks
):
    from identities.services import preprocessing

    def broken(identity):
        raise preprocessing.PreprocessingFailed("Expected exactly one face, found 0.")

    monkeypatch.setattr(preprocessing, "_analyse", broken)
    monkeypatch.setattr(pricing, "PROMOTION_CREDITS", 65)
    url = reverse("identities:draft_promote", args=[job.drafts.get().pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url, {"name": "Astrid"}, headers={"HX-Request": "true"})
    identity = Identity.objects.get()
    page = alice_client.get(reverse("identities:identity_detail", args=[identity.code]))
    assert response.status_code == 200
    assert "The 65 credits were returned." in text_of(page, "[data-testid=identity-status]")


def test_changed_draft_prices_are_shown_quoted_and_reserved(monkeypatch, alice_client, account):
    monkeypatch.setattr(pricing, "INHOUSE_DRAFT_CREDITS", {"1K": 3, "2K": 6, "4K": 9})
    credits = alice_client.get(reverse("accounts:credits"))
    assert "Drafts cost 3 / 6 / 9 credits (1K / 2K / 4K) on our engines, 2 / 3 / 5 on" in (
        text_of(credits, "#ledger-h + p")
    )
    request = creation_request(variations=2, size="2K")
    assert job_quote(request=request) == 12
    job = job_create(account=account, user=None, request=request)
    assert list(job.drafts.values_list("credits", flat=True)) == [6, 6]
    account.refresh_from_db()
    assert account.credits_reserved == 12


def test_the_templates_price_list_is_the_modules():
    prices = pricing.price_list()
    assert prices.promotion == pricing.PROMOTION_CREDITS
    assert prices.inhouse_line == " / ".join(map(str, pricing.INHOUSE_DRAFT_CREDITS.values()))
    assert prices.external_line == " / ".join(map(str, pricing.EXTERNAL_DRAFT_CREDITS.values()))
    assert prices.sizes == "1K / 2K / 4K"
