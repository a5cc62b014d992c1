import io
import struct
import zlib
from functools import cache

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from accounts.models import Account, CreditEntry
from identities.briefs.validation import validate_instruction
from identities.models import Draft, Identity, Job, Preset, UploadedAsset
from identities.renderer import render_portrait
from identities.services.extraction import TEXT_MAX_CHARS

IMAGE_URL = "/api/v2/preset/extract-from-image"
TEXT_URL = "/api/v2/preset/extract-from-text"


@cache
def _portrait_jpeg() -> bytes:
    brief = {"appearance": {"skin": "light", "gender": "female"}, "hair": {"color": "auburn"}}
    buffer = io.BytesIO()
    render_portrait(brief, seed=11, width=768, height=768).image.save(buffer, format="JPEG")
    return buffer.getvalue()


def _upload(api, data: bytes, name="reference.jpg") -> str:
    file = io.BytesIO(data)
    file.name = name
    response = api.post("/api/v2/upload", {"file": file})
    assert response.status_code == 201, response.content
    return response.json()["file_id"]


def _asset_with_bytes(account, data: bytes) -> UploadedAsset:
    """An asset whose stored file is exactly `data` (uploads re-encode, so write it directly)."""
    asset = UploadedAsset(account=account, filename="odd.png", status=UploadedAsset.READY)
    asset.file.save("odd.png", ContentFile(data), save=False)
    asset.save()
    return asset


def _extract(api, file_id, kind="identity_creation"):
    return api.post(IMAGE_URL, {"file_id": file_id, "type": kind}, content_type="application/json")


def _balance(user) -> int:
    return Account.objects.get(pk=user.membership.account.pk).credit_balance


def _stored_rows() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (UploadedAsset, Job, Draft, Identity, Preset))


def test_a_reference_photo_becomes_a_valid_brief_and_costs_one_credit(alice_api, alice):
    file_id = _upload(alice_api, _portrait_jpeg())
    rows, balance = _stored_rows(), _balance(alice)
    response = _extract(alice_api, file_id)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["file_id"] == file_id
    assert body["instruction_data"]["hair"]["color"] == "auburn"
    assert body["instruction_data"]["appearance"]["gender"] == "female"
    validate_instruction(body["instruction_data"])
    assert body["confidence"]["hair.color"] >= 0.6
    assert "face.eyebrows" in body["not_read"]
    assert body["suggested_name"].startswith("Woman")
    assert body["suggested_description"].startswith("From a reference photo:")
    assert (body["source"], body["credits_charged"]) == ("photo", 1)
    assert _balance(alice) == balance - 1
    entry = CreditEntry.objects.filter(account=alice.membership.account).latest("id")
    assert (entry.kind, entry.amount, entry.reason) == (CreditEntry.CHARGE, 1, "Extract from image")
    # Read, not copied: no new upload, job, draft, identity or preset.
    assert _stored_rows() == rows


def test_another_accounts_asset_is_404_and_costs_nothing(alice_api, charlie_api, alice):
    file_id = _upload(charlie_api, _portrait_jpeg())
    balance = _balance(alice)
    assert _extract(alice_api, file_id).status_code == 404
    assert _extract(alice_api, "not-a-uuid").status_code == 404
    assert _balance(alice) == balance


def test_type_and_file_id_are_both_checked(alice_api):
    response = alice_api.post(IMAGE_URL, {"type": "outfit"}, content_type="application/json")
    assert response.status_code == 400
    fields = {problem["field"] for problem in response.json()["detail"]}
    assert fields == {"type", "file_id"}


def test_a_photo_without_a_face_is_a_clear_400_and_costs_nothing(alice_api, alice):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 140, 200)).save(buffer, format="JPEG")
    file_id = _upload(alice_api, buffer.getvalue())
    balance = _balance(alice)
    response = _extract(alice_api, file_id)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "no_face"
    assert body["detail"][0]["field"] == "file_id"
    assert "No face found" in body["error"]
    assert _balance(alice) == balance


def test_a_tiny_face_says_how_small_it_is(alice_api):
    buffer = io.BytesIO()
    Image.open(io.BytesIO(_portrait_jpeg())).resize((180, 180)).save(buffer, format="JPEG")
    response = _extract(alice_api, _upload(alice_api, buffer.getvalue()))
    assert response.status_code == 400
    assert response.json()["code"] == "face_too_small"


def test_a_file_that_is_not_an_image_is_a_clear_400(alice_api, alice):
    asset = _asset_with_bytes(alice.membership.account, b"%PDF-1.7 certainly not a picture")
    response = _extract(alice_api, str(asset.file_id))
    assert response.status_code == 400
    assert response.json()["code"] == "not_an_image"


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width x height pixels; its header is all a size check reads."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = chunk(b"IDAT", zlib.compress(b"\x00" * 64))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + pixels + chunk(b"IEND", b"")


def test_a_photo_over_50_megapixels_is_refused_before_decoding(alice_api, alice):
    asset = _asset_with_bytes(alice.membership.account, _png_header_only(10_000, 6_000))
    response = _extract(alice_api, str(asset.file_id))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "too_large"
    assert "50 megapixels" in body["error"]


def test_an_upload_still_waiting_for_its_bytes_is_refused(alice_api):
    start = alice_api.post(
        "/api/v2/upload", {"filename": "ref.jpg"}, content_type="application/json"
    )
    response = _extract(alice_api, start.json()["file_id"])
    assert response.status_code == 400
    assert response.json()["code"] == "not_ready"


def test_without_the_credit_it_answers_402(alice_api, alice):
    file_id = _upload(alice_api, _portrait_jpeg())
    Account.objects.filter(pk=alice.membership.account.pk).update(credit_balance=0)
    response = _extract(alice_api, file_id)
    assert response.status_code == 402
    assert response.json()["required_credits"] == 1


def test_a_paragraph_becomes_a_brief_with_what_it_could_not_place(alice_api, alice):
    text = (
        "A 31-year-old woman, long jet-black hair parted in the middle, freckles along the "
        "nose, a septum ring, 5'9\", size 38/8, gaze slightly off-camera."
    )
    balance = _balance(alice)
    response = alice_api.post(TEXT_URL, {"text": text}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    data = body["instruction_data"]
    assert data["appearance"] == {
        "gender": "female",
        "age": 31,
        "height": "175 cm",
        "size": "S",
    }
    assert data["hair"] == {"color": "jet-black", "length": "long", "style": "middle part"}
    assert data["face"]["marks"] == "freckles along the nose, septum ring"
    assert body["unplaced_text"] == "gaze slightly off-camera"
    assert (body["source"], body["credits_charged"]) == ("parser", 0)
    validate_instruction(data)
    assert _balance(alice) == balance  # From Text is free by default


def test_an_empty_paragraph_is_a_clear_400(alice_api):
    response = alice_api.post(TEXT_URL, {"text": "   "}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "empty_text"
    missing = alice_api.post(TEXT_URL, {}, content_type="application/json")
    assert missing.status_code == 400
    assert missing.json()["detail"][0]["field"] == "text"


def test_a_20000_word_paragraph_is_refused_with_the_limit(alice_api):
    text = "tall " * 20_000
    response = alice_api.post(TEXT_URL, {"text": text}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["max_length"]) == ("text_too_long", TEXT_MAX_CHARS)


def test_a_paragraph_with_nothing_to_place_says_so_and_returns_it(alice_api):
    text = "Shot on film at golden hour, candid and unposed."
    response = alice_api.post(TEXT_URL, {"text": text}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "nothing_placed"
    assert response.json()["unplaced_text"] == text


def test_text_credits_are_charged_when_set(alice_api, alice, settings):
    settings.CASTLESS_EXTRACT_TEXT_CREDITS = 2
    balance = _balance(alice)
    response = alice_api.post(
        TEXT_URL, {"text": "Long jet-black hair"}, content_type="application/json"
    )
    assert response.json()["credits_charged"] == 2
    assert _balance(alice) == balance - 2
    entry = CreditEntry.objects.filter(account=alice.membership.account).latest("id")
    assert entry.reason == "Extract from text"


@pytest.mark.parametrize("url", [IMAGE_URL, TEXT_URL])
def test_both_need_a_token(client, db, url):
    assert client.post(url, {}, content_type="application/json").status_code == 401
