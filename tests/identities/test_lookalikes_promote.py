"""The look-alike check in the promote panel: a draft whose face is one of the account's
identities is shown beside it and needs an explicit confirmation; the API is not blocked."""

import json

import pytest
from django.urls import reverse

from identities.lookalikes import CODES_FIELD, CONFIRM_FIELD
from identities.models import Draft, Identity
from tests.html import select, select_one, text_of
from tests.pipeline import run_job

HTMX = {"HX-Request": "true"}


@pytest.fixture
def job(alice, django_capture_on_commit_callbacks):
    return run_job(
        alice.membership.account, capture=django_capture_on_commit_callbacks, variations=2
    )


@pytest.fixture
def kept(alice_client, job, django_capture_on_commit_callbacks) -> Identity:
    """The first draft promoted and preprocessed (the tasks run in-process)."""
    first = job.drafts.order_by("variation").first()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            reverse("identities:draft_promote", args=[first.pk]), {"name": "Astrid"}, headers=HTMX
        )
    identity = Identity.objects.get(source_draft=first)
    assert identity.embedding is not None
    return identity


@pytest.fixture
def twin(job, kept) -> Draft:
    """The second draft, showing the kept identity's face (the same picture)."""
    draft = job.drafts.order_by("variation").last()
    Draft.objects.filter(pk=draft.pk).update(image=kept.source_draft.image.name)
    draft.refresh_from_db()
    return draft


def promote_url(draft) -> str:
    return reverse("identities:draft_promote", args=[draft.pk])


def test_the_panel_shows_the_lookalike_beside_the_draft(alice_client, twin, kept):
    response = alice_client.get(promote_url(twin), headers=HTMX)
    assert response.status_code == 200
    warning = select_one(response, "[data-testid=promote-panel] [data-testid=lookalike-warning]")
    assert warning is not None
    assert "This face looks like Astrid" in warning.get_text()
    assert text_of(response, "[data-testid=lookalike-words]") == "almost certainly the same person"
    (pair,) = select(response, "[data-testid=lookalike]")
    assert pair["data-code"] == kept.code
    assert [img["alt"] for img in pair.select("img")] == ["This draft", "Astrid"]
    assert all(img["src"] for img in pair.select("img"))
    confirm = select_one(response, f"input[name={CONFIRM_FIELD}]")
    assert confirm.has_attr("required")


def test_promoting_a_lookalike_without_confirming_is_refused_in_the_panel(alice_client, twin, kept):
    response = alice_client.post(promote_url(twin), {"name": "Berit"}, headers=HTMX)
    assert response.status_code == 422
    assert "Tick the box" in text_of(response, "[data-testid=lookalike-error]")
    assert select_one(response, "input[name=name]")["value"] == "Berit"
    assert not Identity.objects.filter(source_draft=twin).exists()


def test_a_confirmed_lookalike_is_promoted(
    alice_client, twin, kept, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            promote_url(twin),
            {"name": "Berit", CONFIRM_FIELD: "yes", CODES_FIELD: [kept.code]},
            headers=HTMX,
        )
    assert response.status_code == 200
    assert select_one(response, "[data-testid=identity-status]") is not None
    assert Identity.objects.get(source_draft=twin).name == "Berit"


def test_a_confirmation_that_did_not_show_every_lookalike_asks_again(alice_client, twin, kept):
    response = alice_client.post(
        promote_url(twin), {CONFIRM_FIELD: "yes", CODES_FIELD: ["someone-else"]}, headers=HTMX
    )
    assert response.status_code == 422
    assert select_one(response, f"[data-testid=lookalike][data-code='{kept.code}']") is not None
    assert not Identity.objects.filter(source_draft=twin).exists()


def test_a_draft_like_nobody_promotes_without_a_warning(alice_client, kept, job):
    draft = job.drafts.order_by("variation").last()
    Identity.objects.filter(pk=kept.pk).update(embedding=bytes(4 * 128))  # matches nothing
    panel = alice_client.get(promote_url(draft), headers=HTMX)
    assert select_one(panel, "[data-testid=lookalike-warning]") is None
    response = alice_client.post(promote_url(draft), {"name": "Cora"}, headers=HTMX)
    assert response.status_code == 200
    assert Identity.objects.get(source_draft=draft).name == "Cora"


def test_the_api_promotes_a_lookalike_with_the_seed_body(alice_api, twin, kept):
    response = alice_api.post(
        "/api/v2/identity/promote-generated",
        json.dumps({"image_result_id": twin.pk}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert set(response.json()) == {"identity_code", "preprocessing_job_id", "status", "message"}
    assert Identity.objects.filter(source_draft=twin).exists()


def test_a_stranger_sees_no_panel_and_no_lookalike(charlie_client, twin):
    assert charlie_client.get(promote_url(twin), headers=HTMX).status_code == 404
