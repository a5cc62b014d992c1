"""The Jobs page (past creation jobs, found from the navigation), a draft at full size, the
engine each draft was drawn by, and the header's credit count refreshed after a promotion."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from identities.engines.labels import OFFLINE, engine_label
from identities.models import Identity, Job
from identities.services.promotion import identity_promote
from tests.html import select, select_one, text_of
from tests.pipeline import run_job


@pytest.fixture
def job(alice, django_capture_on_commit_callbacks):
    return run_job(
        alice.membership.account,
        capture=django_capture_on_commit_callbacks,
        variations=2,
        name="Autumn lookbook",
    )


def test_the_navigation_links_to_the_jobs_page(alice_client, job):
    page = alice_client.get(reverse("identities:library"))
    link = select_one(page, "nav.mainnav a[href='/jobs/']")
    assert link is not None and link.get_text(strip=True) == "Jobs"


def test_jobs_page_lists_name_status_drafts_and_promotion(
    alice_client, alice, job, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        identity_promote(draft=job.drafts.first(), user=alice, name="Astrid")
    response = alice_client.get(reverse("identities:job_list"))
    assert response.status_code == 200
    (row,) = select(response, "[data-testid=job-row]")
    cells = [" ".join(td.get_text(" ").split()) for td in row.select("td")]
    assert cells[0] == "Autumn lookbook"
    assert cells[2] == "Done"
    assert cells[3] == "2"
    assert cells[4] == "1 promoted"
    assert row.select_one("a")["href"] == reverse("identities:job_detail", args=[job.public_id])
    assert select_one(response, "nav.mainnav a[aria-current=page]").get_text(strip=True) == "Jobs"


def test_jobs_page_empty_state(charlie_client):
    response = charlie_client.get(reverse("identities:job_list"))
    assert response.status_code == 200
    assert select_one(response, "[data-testid=jobs-empty]") is not None
    assert select_one(response, "[data-testid=job-list]") is None


def test_jobs_page_shows_only_the_accounts_own_jobs(charlie_client, job):
    response = charlie_client.get(reverse("identities:job_list"))
    assert select(response, "[data-testid=job-row]") == []


def test_jobs_page_query_count_does_not_grow_with_the_jobs(
    alice, alice_client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    account = alice.membership.account
    run_job(account, capture=django_capture_on_commit_callbacks, variations=1)
    alice_client.get(reverse("identities:job_list"))  # warm the session
    with django_assert_num_queries(5) as one:
        alice_client.get(reverse("identities:job_list"))
    for _ in range(3):
        run_job(account, capture=django_capture_on_commit_callbacks, variations=2)
    with django_assert_num_queries(len(one.captured_queries)):
        response = alice_client.get(reverse("identities:job_list"))
    assert len(select(response, "[data-testid=job-row]")) == 4


def test_jobs_page_is_paginated(alice, alice_client, django_capture_on_commit_callbacks):
    account = alice.membership.account
    job = run_job(account, capture=django_capture_on_commit_callbacks, variations=1)
    for _ in range(20):
        Job.objects.create(account=account, job_type=Job.CREATION, name="Later", request={})
    first = alice_client.get(reverse("identities:job_list"))
    assert len(select(first, "[data-testid=job-row]")) == 20
    assert "Page 1 of 2" in text_of(first, ".pager")
    second = alice_client.get(reverse("identities:job_list") + "?page=2")
    (row,) = select(second, "[data-testid=job-row]")
    assert row["data-job-id"] == job.public_id


def test_job_page_says_which_engine_drew_the_drafts(alice_client, job):
    response = alice_client.get(reverse("identities:job_detail", args=[job.public_id]))
    assert {d.engine for d in job.drafts.all()} == {"local"}
    note = text_of(response, "[data-testid=engine-note]")
    assert "Offline illustration engine" in note and "photographic drafts" in note
    assert select_one(response, "[data-testid=draft]")["data-engine"] == "local"


def test_engine_labels_speak_a_brand_users_language():
    assert engine_label("orbita") == engine_label("local") == OFFLINE
    assert engine_label("nano_banana_pro") == "Gemini image (Google)"
    assert engine_label("seedream") == "Seedream (ByteDance)"
    assert engine_label("mobile_stylegan") == "Photoreal preview — non-commercial weights"
    assert engine_label("brand_new") == "brand_new"


def test_each_draft_opens_at_full_size_with_its_pixels_and_format(alice_client, job):
    draft = job.drafts.order_by("variation").first()
    listing = alice_client.get(reverse("identities:job_detail", args=[job.public_id]))
    link = select_one(listing, f"[data-draft-id='{draft.pk}'] [data-testid=draft-full-size]")
    assert link["href"] == reverse("identities:draft_detail", args=[draft.pk])

    response = alice_client.get(link["href"])
    assert response.status_code == 200
    assert text_of(response, "[data-testid=draft-pixels]") == (
        f"{draft.width} × {draft.height} px · JPEG"
    )
    image = select_one(response, "[data-testid=draft-image]")
    assert image["width"] == str(draft.width) and image["height"] == str(draft.height)
    download = alice_client.get(select_one(response, "[data-testid=draft-download]")["href"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    with Image.open(io.BytesIO(b"".join(download.streaming_content))) as pixels:
        assert pixels.size == (draft.width, draft.height)
        assert pixels.format == "JPEG"


def test_a_draft_page_is_404_for_another_account(charlie_client, job):
    draft = job.drafts.first()
    response = charlie_client.get(reverse("identities:draft_detail", args=[draft.pk]))
    assert response.status_code == 404


def test_promotion_tells_the_header_to_refresh_the_balance(
    alice_client, alice, job, django_capture_on_commit_callbacks
):
    draft = job.drafts.first()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            reverse("identities:draft_promote", args=[draft.pk]),
            {"name": "Astrid"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "credits-changed"
    assert Identity.objects.filter(source_draft=draft).exists()
    balance = alice_client.get(reverse("identities:nav_balance"), headers={"HX-Request": "true"})
    node = select_one(balance, "[data-testid=nav-balance]")
    alice.membership.account.refresh_from_db()
    assert node.get_text(strip=True) == str(alice.membership.account.credit_balance)
    assert node["hx-trigger"] == "credits-changed from:body"


def test_a_refused_promotion_does_not_announce_a_balance_change(alice_client, alice, job):
    from accounts.models import Account

    Account.objects.filter(pk=alice.membership.account.pk).update(credit_balance=10)
    response = alice_client.post(
        reverse("identities:draft_promote", args=[job.drafts.first().pk]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "HX-Trigger" not in response


def test_the_header_balance_listens_for_credit_changes(alice_client):
    page = alice_client.get(reverse("identities:library"))
    node = select_one(page, "header [data-testid=nav-balance]")
    assert node.get_text(strip=True) == "500"
    assert node["hx-get"] == reverse("identities:nav_balance")
    assert node["hx-trigger"] == "credits-changed from:body"


def test_every_page_has_a_favicon(alice_client):
    page = alice_client.get(reverse("identities:library"))
    assert select_one(page, "link[rel=icon]")["href"].endswith("castless/favicon.svg")


def test_the_balance_fragment_leaves_the_header_alone_when_signed_out(client):
    response = client.get(reverse("identities:nav_balance"), headers={"HX-Request": "true"})
    assert response.status_code == 204
