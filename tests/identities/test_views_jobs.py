import pytest
from django.urls import reverse

from accounts.models import Account
from identities.models import Draft, Identity, Job
from identities.services.jobs import job_create
from tests.html import select, select_one, text_of
from tests.pipeline import creation_request, run_job


@pytest.fixture
def job(alice, django_capture_on_commit_callbacks):
    return run_job(
        alice.membership.account,
        capture=django_capture_on_commit_callbacks,
        variations=2,
        instructions=2,
    )


def test_job_page_shows_drafts_grouped_by_instruction(alice_client, job):
    response = alice_client.get(reverse("identities:job_detail", args=[job.public_id]))
    assert response.status_code == 200
    assert text_of(response, "[data-testid=progress-count]") == "4 of 4 drafts"
    groups = select(response, "[data-testid=draft-group]")
    assert [g.select_one("h2").get_text(strip=True) for g in groups] == [
        "Instruction 1",
        "Instruction 2",
    ]
    assert all(len(g.select("[data-testid=draft][data-status=completed] img")) == 2 for g in groups)
    # Finished: the progress section no longer polls.
    assert select_one(response, "#job-progress").get("hx-trigger") is None


def test_a_running_job_polls_and_the_partial_is_the_progress_section(alice_client, alice):
    job = job_create(
        account=alice.membership.account, user=alice, request=creation_request(variations=2)
    )
    page = alice_client.get(reverse("identities:job_detail", args=[job.public_id]))
    assert "every 2s" in select_one(page, "#job-progress")["hx-trigger"]
    assert text_of(page, "[data-testid=job-status]") == "Queued"
    partial = alice_client.get(
        reverse("identities:job_detail", args=[job.public_id]), headers={"HX-Request": "true"}
    )
    assert select_one(partial, "h1") is None
    assert len(select(partial, "[data-testid=draft][data-status=pending]")) == 2


def test_failed_drafts_show_why(alice_client, job):
    draft = job.drafts.first()
    Draft.objects.filter(pk=draft.pk).update(
        status=Draft.FAILED, image="", error_message="Refused by the engine: IMAGE_SAFETY"
    )
    response = alice_client.get(reverse("identities:job_detail", args=[job.public_id]))
    failed = select_one(response, f"[data-draft-id='{draft.pk}']")
    assert "IMAGE_SAFETY" in failed.get_text()


def test_promote_panel_then_promotion_shows_preprocessing(
    alice_client, job, django_capture_on_commit_callbacks
):
    draft = job.drafts.first()
    url = reverse("identities:draft_promote", args=[draft.pk])
    panel = alice_client.get(url, headers={"HX-Request": "true"})
    assert select_one(panel, "[data-testid=promote-panel] input[name=name]") is not None
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url, {"name": "Astrid"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    identity = Identity.objects.get(source_draft=draft)
    assert identity.name == "Astrid"
    assert select_one(response, "[data-testid=identity-status]") is not None
    page = alice_client.get(reverse("identities:job_detail", args=[job.public_id]))
    assert "Promoted" in select_one(page, f"[data-draft-id='{draft.pk}']").get_text()


def test_promotion_errors_render_in_the_panel(alice_client, alice, job):
    Account.objects.filter(pk=alice.membership.account.pk).update(credit_balance=10)
    draft = job.drafts.first()
    response = alice_client.post(
        reverse("identities:draft_promote", args=[draft.pk]),
        {"name": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "needs 50, you have 10" in text_of(response, "[data-testid=promote-error]")
    assert not Identity.objects.exists()


def test_stranger_gets_404_on_a_job_and_its_drafts(charlie_client, job):
    assert (
        charlie_client.get(reverse("identities:job_detail", args=[job.public_id])).status_code
        == 404
    )
    draft = job.drafts.first()
    assert (
        charlie_client.get(reverse("identities:draft_promote", args=[draft.pk])).status_code == 404
    )
    assert (
        charlie_client.post(reverse("identities:draft_promote", args=[draft.pk])).status_code == 404
    )
    assert not Identity.objects.exists()
    assert Job.objects.count() == 1
