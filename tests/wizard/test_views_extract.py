"""From Image and From Text in the Create wizard. Each view: the happy path (status, content,
database effect), the htmx partial, the full page, and denial for Charlie."""

import io
from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import Account, CreditEntry
from identities.models import Brief, UploadedAsset
from identities.renderer import render_portrait
from identities.services.uploads import asset_upload
from identities.wizard import services as ws
from tests.html import select, select_one, text_of

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
PARAGRAPH = (
    "A 31-year-old woman with shoulder-length auburn hair, green eyes and freckles along the "
    "nose, plus a tiny tattoo of a swallow on her wrist."
)


@cache
def portrait_png() -> bytes:
    brief = {"appearance": {"skin": "light", "gender": "female"}, "hair": {"color": "auburn"}}
    buffer = io.BytesIO()
    render_portrait(brief, seed=11, width=768, height=768).image.save(buffer, format="PNG")
    return buffer.getvalue()


def blank_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 190, 180)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def brief(alice) -> Brief:
    brief = ws.brief_start(account=alice.membership.account, user=alice)
    key = brief.instructions[0]["key"]
    return ws.brief_options_update(
        brief=brief,
        model=brief.model,
        name=brief.name,
        add_ai_watermark=brief.add_ai_watermark,
        instructions={key: {"num_variations": 3, "ar": "1:1", "size": "1K", "format": "png"}},
    )


@pytest.fixture
def key(brief) -> str:
    return brief.instructions[0]["key"]


@pytest.fixture
def photo(alice) -> UploadedAsset:
    return asset_upload(
        account=alice.membership.account, user=alice, filename="casting.png", data=portrait_png()
    )


def url(brief: Brief, key: str, source: str) -> str:
    return reverse("identities:wizard_extract", args=[brief.public_id, key, source])


def keep_url(brief: Brief, key: str) -> str:
    return reverse("identities:wizard_extract_keep", args=[brief.public_id, key])


def instruction(brief: Brief) -> dict:
    return Brief.objects.get(pk=brief.pk).instructions[0]


def is_full_page(response) -> bool:
    return select_one(response, "header.topbar") is not None


def balance(user) -> int:
    return Account.objects.get(pk=user.membership.account.pk).credit_balance


def upload(data: bytes, name: str = "reference.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


# --- From Text ----------------------------------------------------------------------------------


def test_the_pencil_opens_a_paragraph_box(alice_client, brief, key):
    response = alice_client.get(url(brief, key, "text"), **HX)
    assert response.status_code == 200
    assert not is_full_page(response)
    assert select_one(response, "[data-testid=extract-panel] textarea[name=text]") is not None
    assert "Describe the person in a few sentences" in text_of(response, "label")
    assert text_of(response, "button[type=submit]") == "Fill the fields"


def test_the_paragraph_box_without_javascript_is_the_page_with_the_panel(alice_client, brief, key):
    response = alice_client.get(url(brief, key, "text"))
    assert is_full_page(response)
    assert select_one(response, f"#tool-{key} [data-testid=extract-text-form]") is not None


def test_a_paragraph_fills_the_fields_and_keeps_the_options(alice_client, brief, key):
    response = alice_client.post(url(brief, key, "text"), {"text": PARAGRAPH}, **HX)

    assert response.status_code == 200
    assert select_one(response, "#wizard-body") is not None and not is_full_page(response)
    item = instruction(brief)
    assert item["appearance"] == {"gender": "female", "age": "31"}
    assert item["face"]["eyes"] == "green"
    assert "freckles along the nose" in item["face"]["marks"]
    assert item["hair"] == {"color": "auburn", "length": "shoulder-length"}
    assert item["num_variations"] == 3 and item["options"]["format"] == "png"
    # The fields show the values in place, and the panel says what it filled.
    assert select_one(response, f"#form-{key} input[name='hair.color']")["value"] == "auburn"
    filled = [text_of_node(li) for li in select(response, "[data-testid=extract-filled] li")]
    assert "Age 31" in filled and "Hair colour auburn" in filled
    assert select_one(response, f"#tool-{key} textarea").get_text() == PARAGRAPH


def test_what_a_paragraph_cannot_place_is_offered_as_the_expert_prompt(alice_client, brief, key):
    response = alice_client.post(url(brief, key, "text"), {"text": PARAGRAPH}, **HX)
    unplaced = text_of(response, "[data-testid=extract-unplaced]")
    assert "Not placed in a field:" in unplaced and "swallow on her wrist" in unplaced
    keep = select_one(response, "[data-testid=extract-unplaced] form")
    assert keep["action"] == keep_url(brief, key)
    assert keep.select_one("input[name=text]")["value"] == PARAGRAPH
    assert "Keep the paragraph as the expert prompt instead" in keep.get_text()


def test_a_paragraph_without_javascript_answers_the_page_with_the_result(alice_client, brief, key):
    response = alice_client.post(url(brief, key, "text"), {"text": PARAGRAPH})
    assert response.status_code == 200
    assert is_full_page(response)
    assert select_one(response, f"#tool-{key} [data-testid=extract-result]") is not None


def test_keeping_the_paragraph_switches_to_expert_mode_with_it(alice_client, brief, key):
    alice_client.post(url(brief, key, "text"), {"text": PARAGRAPH}, **HX)
    response = alice_client.post(keep_url(brief, key), {"text": PARAGRAPH}, **HX)

    assert response.status_code == 200
    item = instruction(brief)
    assert item["expert"] is True and item["prompt"] == PARAGRAPH
    assert item["hair"]["color"] == "auburn"  # kept, greyed out, for switching back
    assert select_one(response, f"#prompt-{key}-input").get_text() == PARAGRAPH
    assert select_one(response, f"#form-{key} fieldset.wz-brief").has_attr("disabled")


def test_keeping_the_paragraph_without_javascript_redirects_to_the_instruction(
    alice_client, brief, key
):
    response = alice_client.post(keep_url(brief, key), {"text": PARAGRAPH})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#ins-{key}")


def test_a_paragraph_too_long_for_a_prompt_is_not_kept(alice_client, brief, key):
    response = alice_client.post(keep_url(brief, key), {"text": "word " * 500}, **HX)
    assert response.status_code == 422
    assert "at most 2,000 characters" in text_of(response, f"#tool-{key} .form-errors")
    assert instruction(brief)["expert"] is False


@pytest.mark.parametrize(
    "text, msg",
    [
        ("   ", "Write a paragraph describing the person first."),
        ("x" * 5001, "At most 5,000 characters"),
        ("The weather was lovely all week.", "Nothing in this paragraph fits a brief field."),
    ],
)
def test_a_paragraph_it_cannot_use_is_refused_in_the_panel(alice_client, brief, key, text, msg):
    response = alice_client.post(url(brief, key, "text"), {"text": text}, **HX)
    assert response.status_code == 422
    assert msg in text_of(response, f"#tool-{key} [data-testid=extract-text-form] .error")
    assert select_one(response, f"#tool-{key} textarea").get_text() == text
    assert instruction(brief)["appearance"] == {}


def test_from_text_in_alices_brief_is_404_for_charlie(charlie_client, brief, key):
    assert charlie_client.get(url(brief, key, "text")).status_code == 404
    assert charlie_client.post(url(brief, key, "text"), {"text": PARAGRAPH}).status_code == 404
    assert charlie_client.post(keep_url(brief, key), {"text": PARAGRAPH}).status_code == 404
    assert instruction(brief)["appearance"] == {} and instruction(brief)["prompt"] == ""


def test_an_unknown_source_or_instruction_is_404(alice_client, brief, key):
    assert alice_client.get(url(brief, key, "video")).status_code == 404
    assert alice_client.get(url(brief, "gone", "text")).status_code == 404


# --- From Image ---------------------------------------------------------------------------------


def test_the_sparkles_list_the_accounts_photos_and_an_upload(alice_client, brief, key, photo):
    response = alice_client.get(url(brief, key, "image"), **HX)
    assert response.status_code == 200
    assert not is_full_page(response)
    radio = select_one(response, ".wz-thumb input[type=radio][name=file_id]")
    assert radio["value"] == str(photo.file_id) and radio.has_attr("checked")
    assert select_one(response, ".wz-thumb img")["alt"] == "casting.png"
    form = select_one(response, "[data-testid=extract-image-form]")
    assert form["enctype"] == "multipart/form-data"
    assert form.select_one("input[type=file]")["accept"] == "image/jpeg,image/png,image/webp"
    assert "Read the photo · 1 credit" in text_of(response, "[data-testid=extract-image-form] .btn")
    assert "read, not copied" in text_of(response, "[data-testid=read-not-copied]")


def test_the_photo_list_without_javascript_is_the_page_with_the_panel(alice_client, brief, key):
    response = alice_client.get(url(brief, key, "image"))
    assert is_full_page(response)
    assert select_one(response, f"#tool-{key} [data-testid=extract-image-form]") is not None
    assert "No uploaded photos yet" in text_of(response, f"#tool-{key} [data-testid=extract-panel]")


def test_reading_a_photo_fills_the_fields_and_charges_one_credit(
    alice_client, alice, brief, key, photo
):
    before = balance(alice)
    response = alice_client.post(url(brief, key, "image"), {"file_id": photo.file_id}, **HX)

    assert response.status_code == 200
    item = instruction(brief)
    assert item["appearance"]["skin"] == "light"
    assert item["hair"]["color"] == "auburn"
    assert item["options"]["ar"] == "1:1" and item["num_variations"] == 3
    assert balance(alice) == before - 1
    entry = CreditEntry.objects.filter(account=alice.membership.account).latest("id")
    assert (entry.kind, entry.amount) == (CreditEntry.CHARGE, 1)
    assert select_one(response, f"#form-{key} input[name='appearance.skin']")["value"] == "light"
    filled = text_of(response, "[data-testid=extract-filled]")
    assert "Skin tone light" in filled and "% sure" in filled
    assert "1 credit used" in text_of(response, "[data-testid=extract-result]")
    assert text_of(response, "[data-testid=summary-balance]") == f"{before - 1} credits"
    assert "Eyebrows" in text_of(response, "[data-testid=extract-not-read]")


def test_a_photo_uploaded_in_the_panel_is_read_in_one_step(alice_client, alice, brief, key):
    response = alice_client.post(url(brief, key, "image"), {"upload": upload(portrait_png())})
    assert response.status_code == 200 and is_full_page(response)
    assert UploadedAsset.objects.filter(account=alice.membership.account).count() == 1
    assert instruction(brief)["hair"]["color"] == "auburn"
    assert select_one(response, f"#tool-{key} [data-testid=extract-result]") is not None


def test_a_file_that_is_not_an_image_is_refused_and_not_stored(alice_client, alice, brief, key):
    before = balance(alice)
    response = alice_client.post(
        url(brief, key, "image"), {"upload": upload(b"%PDF-1.4 not a photo", "brief.pdf")}, **HX
    )
    assert response.status_code == 422
    assert "Only .jpg, .jpeg, .png and .webp" in text_of(response, f"#tool-{key} .field .error")
    assert not UploadedAsset.objects.exists()
    assert balance(alice) == before


def test_a_photo_without_a_face_is_refused_free_of_charge(alice_client, alice, brief, key):
    before = balance(alice)
    response = alice_client.post(url(brief, key, "image"), {"upload": upload(blank_png())}, **HX)
    assert response.status_code == 422
    assert "face" in text_of(response, f"#tool-{key} .form-errors").lower()
    assert balance(alice) == before
    assert instruction(brief)["appearance"] == {}
    # The upload is kept in the account's photos and picked, so a retry needs no re-send.
    picked = select_one(response, f"#tool-{key} .wz-thumb input[checked]")
    assert picked["value"] == str(UploadedAsset.objects.get().file_id)


def test_without_the_credit_the_panel_says_so(alice_client, alice, brief, key, photo):
    Account.objects.filter(pk=alice.membership.account.pk).update(credit_balance=0)
    response = alice_client.post(url(brief, key, "image"), {"file_id": photo.file_id}, **HX)
    assert response.status_code == 422
    assert "needs 1 credit; you have 0" in text_of(response, f"#tool-{key} .form-errors")
    assert instruction(brief)["appearance"] == {}


def test_reading_with_no_photo_picked_asks_for_one(alice_client, brief, key):
    response = alice_client.post(url(brief, key, "image"), {}, **HX)
    assert response.status_code == 422
    assert "Pick one of your photos or upload one" in text_of(response, f"#tool-{key} .form-errors")


def test_from_image_in_alices_brief_is_404_for_charlie(charlie_client, brief, key, photo):
    assert charlie_client.get(url(brief, key, "image")).status_code == 404
    response = charlie_client.post(url(brief, key, "image"), {"file_id": photo.file_id})
    assert response.status_code == 404
    assert instruction(brief)["appearance"] == {}


def test_charlies_brief_cannot_read_alices_photo(charlie_client, charlie, photo):
    brief = ws.brief_start(account=charlie.membership.account, user=charlie)
    key = brief.instructions[0]["key"]
    before = balance(charlie)
    response = charlie_client.post(url(brief, key, "image"), {"file_id": photo.file_id}, **HX)
    assert response.status_code == 404
    assert balance(charlie) == before
    assert instruction(brief)["appearance"] == {}


def text_of_node(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_a_charged_reading_tells_the_page_the_balance_changed(alice_client, brief, key, photo):
    response = alice_client.post(url(brief, key, "image"), {"file_id": photo.file_id}, **HX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "credits-changed"


def test_a_refused_reading_charges_nothing_and_sends_no_credits_event(alice_client, brief, key):
    response = alice_client.post(url(brief, key, "image"), {}, **HX)
    assert response.status_code == 422
    assert "HX-Trigger" not in response
