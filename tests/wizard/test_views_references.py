"""Reference images in expert mode: up to three of the account's uploads attached to an expert
instruction, sent as the API's `input_assets`, refused for engines that take none."""

import json

import pytest
from django.urls import reverse

from identities.models import Brief
from identities.services.uploads import asset_upload
from identities.wizard import services as ws
from tests.html import select, select_one, text_of
from tests.wizard.test_views_extract import portrait_png, upload

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def brief(alice) -> Brief:
    brief = ws.brief_start(account=alice.membership.account, user=alice)
    key = brief.instructions[0]["key"]
    brief = ws.brief_expert_set(brief=brief, key=key, expert=True)
    return ws.brief_fields_update(brief=brief, key=key, values={"prompt": "A calm woman, 30."})


@pytest.fixture
def key(brief) -> str:
    return brief.instructions[0]["key"]


def photos(user, count):
    return [
        asset_upload(
            account=user.membership.account, user=user, filename=f"ref{n}.png", data=portrait_png()
        )
        for n in range(count)
    ]


def refs_url(brief, key):
    return reverse("identities:wizard_references", args=[brief.public_id, key])


def fresh(brief) -> Brief:
    return Brief.objects.get(pk=brief.pk)


def payload(response) -> dict:
    return json.loads(text_of(response, "[data-testid=json-payload]"))


def test_the_picker_lists_the_accounts_uploads(alice_client, alice, brief, key):
    (photo,) = photos(alice, 1)
    response = alice_client.get(refs_url(brief, key), **HX)
    assert response.status_code == 200
    assert select_one(response, f"input[name=file_id][value='{photo.file_id}']") is not None
    assert select_one(response, "input[type=file][name=upload]") is not None


def test_attaching_shows_a_thumbnail_and_puts_input_assets_in_the_payload(
    alice_client, alice, brief, key
):
    (photo,) = photos(alice, 1)
    response = alice_client.post(refs_url(brief, key), {"file_id": photo.file_id}, **HX)
    assert response.status_code == 200
    assert fresh(brief).instructions[0]["input_assets"] == [str(photo.file_id)]
    refs = select_one(response, "[data-testid=references]")
    assert len(refs.select("img")) == 1
    assert refs.select_one("button[name=remove]")["value"] == str(photo.file_id)
    sent = payload(response)["instructions"][0]
    assert sent["input_assets"] == [{"file_id": str(photo.file_id)}]


def test_a_new_upload_is_attached_in_one_step(alice_client, brief, key):
    response = alice_client.post(refs_url(brief, key), {"upload": upload(portrait_png())}, **HX)
    assert response.status_code == 200
    assert len(fresh(brief).instructions[0]["input_assets"]) == 1


def test_a_fourth_reference_is_refused_and_the_add_button_is_gone_at_three(
    alice_client, alice, brief, key
):
    assets = photos(alice, 4)
    for asset in assets[:3]:
        response = alice_client.post(refs_url(brief, key), {"file_id": asset.file_id}, **HX)
    assert select_one(response, f"#add-ref-{key}") is None
    refused = alice_client.post(refs_url(brief, key), {"file_id": assets[3].file_id}, **HX)
    assert refused.status_code == 422
    assert "at most 3 reference images" in text_of(refused, ".form-errors")
    assert len(fresh(brief).instructions[0]["input_assets"]) == 3


def test_remove_takes_the_reference_out(alice_client, alice, brief, key):
    (photo,) = photos(alice, 1)
    alice_client.post(refs_url(brief, key), {"file_id": photo.file_id}, **HX)
    response = alice_client.post(refs_url(brief, key), {"remove": str(photo.file_id)}, **HX)
    assert response.status_code == 200
    assert fresh(brief).instructions[0]["input_assets"] == []
    assert "input_assets" not in payload(response)["instructions"][0]


def test_an_engine_without_references_is_refused_on_the_review_step_with_its_reason(
    alice_client, alice, brief, key
):
    (photo,) = photos(alice, 1)
    alice_client.post(refs_url(brief, key), {"file_id": photo.file_id}, **HX)
    for engine in ("orbita", "local"):
        ws.brief_options_update(
            brief=fresh(brief), instructions={}, model=engine, name="", add_ai_watermark=False
        )
        response = alice_client.get(reverse("identities:wizard_review", args=[brief.public_id]))
        problems = text_of(response, "[data-testid=brief-problems]")
        assert "input_assets is not supported on" in problems
        assert text_of(response, "[data-testid=summary-cost]") == "—"


def test_charlie_cannot_attach_to_alices_brief_nor_attach_alices_upload(
    charlie_client, charlie, alice, brief, key
):
    (photo,) = photos(alice, 1)
    assert charlie_client.post(refs_url(brief, key), {"file_id": photo.file_id}).status_code == 404
    own = ws.brief_start(account=charlie.membership.account, user=charlie)
    own_key = own.instructions[0]["key"]
    response = charlie_client.post(refs_url(own, own_key), {"file_id": photo.file_id}, **HX)
    assert response.status_code in (404, 422)
    assert not fresh(own).instructions[0].get("input_assets")


def test_without_javascript_the_picker_is_the_page_with_the_panel(alice_client, brief, key):
    response = alice_client.get(refs_url(brief, key))
    assert select_one(response, "header.topbar") is not None
    assert select(response, "[data-testid=references-panel]")
