"""The "Add an existing model" pages: guidelines and photos, review, confirm, identity page."""

import io

import pytest
from django.urls import reverse

from identities.consent import STATEMENTS, VERSION
from identities.models import ConsentRecord, Identity
from tests.add_existing import photos
from tests.html import select, select_one, text_of

START = reverse("identities:add_existing")
CONFIRM = reverse("identities:add_existing_confirm")


def _file(image, name):
    data = io.BytesIO(photos.jpeg(image))
    data.name = name
    return data


def _photos_post(client, **extra):
    data = {
        "close_up_upload": _file(photos.astronaut_close_up(), "close.jpg"),
        "full_body_upload": _file(photos.astronaut_full_body(), "full.jpg"),
        "name": "Eileen",
        "gender": "female",
        **extra,
    }
    return client.post(START, data)


def _review_data(near, far, keys):
    data = {
        "close_up": str(near.file_id),
        "full_body": str(far.file_id),
        "name": "Eileen",
        "gender": "female",
        "version": VERSION,
    }
    data.update({f"accept_{key}": "on" for key in keys})
    return data


def test_the_library_links_to_the_flow(alice_client):
    response = alice_client.get(reverse("identities:library"))
    assert select_one(response, "[data-testid=add-existing]")["href"] == START


def test_the_first_step_shows_guidelines_with_examples_and_the_form(alice_client):
    response = alice_client.get(START)
    assert response.status_code == 200
    assert len(select(response, "[data-testid=examples] .example-do")) == 2
    assert len(select(response, "[data-testid=examples] .example-dont")) == 5
    assert "Framing" in text_of(response, "[data-testid=guidelines]")
    form = select_one(response, "form[data-testid=add-existing-photos]")
    assert form is not None and form["enctype"] == "multipart/form-data"


def test_the_htmx_answer_is_the_step_alone(alice_client):
    response = alice_client.get(START, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert select_one(response, "#add-existing[data-step=photos]") is not None
    assert select_one(response, "[data-testid=guidelines]") is None


def test_the_free_plan_sees_why_and_no_form(charlie_client):
    response = charlie_client.get(START)
    assert response.status_code == 403
    assert "Pro or Enterprise" in text_of(response, "[data-testid=plan-locked]")
    assert select_one(response, "form[data-testid=add-existing-photos]") is None


def test_good_photos_lead_to_the_review_with_every_statement(alice, alice_client):
    response = _photos_post(alice_client)
    assert response.status_code == 200
    assert select_one(response, "#add-existing[data-step=review]") is not None
    boxes = select(response, "[data-testid=statements] input[type=checkbox]")
    assert len(boxes) == len(STATEMENTS)
    assert all(box.has_attr("required") for box in boxes)
    assert "Same person" in text_of(response, "[data-testid=review-checks]")
    assert "No identity in your library" in text_of(response, "[data-testid=lookalikes]")
    assert not Identity.objects.filter(account=alice.membership.account).exists()


def test_two_different_people_are_refused_beside_the_photo(alice, alice_client):
    response = _photos_post(
        alice_client, full_body_upload=_file(photos.full_body(photos.hanks(), 3), "h.jpg")
    )
    assert response.status_code == 422
    assert "do not show the same person" in text_of(response, "[data-testid=full-body] .error")
    assert not Identity.objects.filter(account=alice.membership.account).exists()


def test_a_missing_photo_is_asked_for(alice, alice_client):
    response = alice_client.post(START, {"name": "Eileen", "gender": "female"})
    assert response.status_code == 422
    assert "Upload a close-up" in text_of(response, "[data-testid=close-up] .error")


def test_confirm_with_every_statement_creates_the_identity_and_its_record(
    alice, alice_client, astronaut_pair, all_keys, django_capture_on_commit_callbacks
):
    near, far = astronaut_pair
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            CONFIRM, _review_data(near, far, all_keys), headers={"User-Agent": "QA browser"}
        )
    identity = Identity.objects.get(account=alice.membership.account)
    assert response.status_code == 302
    assert response["Location"] == reverse("identities:identity_detail", args=[identity.code])
    assert identity.consent.user_agent == "QA browser"
    page = alice_client.get(response["Location"])
    record = text_of(page, "[data-testid=consent-record]")
    assert "alice@brand.test" in record and identity.consent.close_up_sha256 in record
    assert len(select(page, "[data-testid=consent-record] li[data-key]")) == len(STATEMENTS)


def test_the_htmx_confirm_redirects_with_a_header(
    alice, alice_client, astronaut_pair, all_keys, django_capture_on_commit_callbacks
):
    near, far = astronaut_pair
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            CONFIRM, _review_data(near, far, all_keys), headers={"HX-Request": "true"}
        )
    identity = Identity.objects.get(account=alice.membership.account)
    assert response.status_code == 204
    assert response["HX-Redirect"].endswith(f"/identities/{identity.code}/")


def test_an_unticked_statement_is_shown_and_nothing_is_created(
    alice, alice_client, astronaut_pair, all_keys
):
    near, far = astronaut_pair
    response = alice_client.post(CONFIRM, _review_data(near, far, all_keys[1:]))
    assert response.status_code == 422
    errors = select(response, "[data-testid=statements] .statement.has-error")
    assert len(errors) == 1
    assert STATEMENTS[0].text in errors[0].get_text()
    assert not Identity.objects.filter(account=alice.membership.account).exists()
    assert not ConsentRecord.objects.exists()


def test_another_accounts_upload_is_404(alice_client, charlie, upload, astronaut_pair, all_keys):
    theirs = upload(charlie, photos.astronaut_close_up())
    response = alice_client.post(CONFIRM, _review_data(theirs, astronaut_pair[1], all_keys))
    assert response.status_code == 404
    assert not Identity.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_a_lookalike_in_the_library_is_shown_before_confirming(
    request, persona, alice, upload, all_keys, django_capture_on_commit_callbacks
):
    """Alice's library already has Eileen; a second set of her photos shows the look-alike
    to every member of the workspace."""
    near, far = (
        upload(alice, photos.astronaut_close_up()),
        upload(alice, photos.astronaut_full_body()),
    )
    client = request.getfixturevalue(f"{persona}_client")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CONFIRM, _review_data(near, far, all_keys))
    response = _photos_post(client, name="Eileen again")
    assert response.status_code == 200
    entry = text_of(response, "[data-testid=lookalike]")
    assert "Eileen" in entry and "same person" in entry


def test_deleting_from_the_identity_page_erases_the_photos_and_keeps_the_record(
    alice, alice_client, astronaut_pair, all_keys, django_capture_on_commit_callbacks
):
    near, far = astronaut_pair
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(CONFIRM, _review_data(near, far, all_keys))
    identity = Identity.objects.get(account=alice.membership.account)
    response = alice_client.post(reverse("identities:identity_delete", args=[identity.code]))
    assert response.status_code in (204, 302)
    identity.refresh_from_db()
    assert identity.deleted_at is not None and identity.embedding is None
    assert not identity.portrait and not identity.source_photos.exists()
    assert ConsentRecord.objects.get(identity=identity).accepted_by_email == "alice@brand.test"
    library = alice_client.get(reverse("identities:library"))
    assert identity.code not in library.content.decode()
