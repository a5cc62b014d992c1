"""Create images with product images and a pose reference, on an engine that takes them (Gemini
image, on the local Gemini protocol server): the page offers the uploads, keeps them across a
refused try, and the run is sent the portrait, the product and the pose as reference images."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from identities.models import ImageRun, RunOutput, UploadedAsset
from tests.html import select, select_one, text_of
from tests.identities.fakes.gemini import FakeGemini
from tests.runs_web.helpers import png_bytes
from tests.runs_web.test_views_runs import FORM


@pytest.fixture
def gemini(settings):
    with FakeGemini() as fake:
        settings.CASTLESS_GEMINI_API_KEY = fake.API_KEY
        settings.CASTLESS_GEMINI_BASE_URL = fake.base_url
        settings.CASTLESS_GEMINI_MODEL = fake.MODEL
        settings.CASTLESS_ENGINE_MAX_RETRIES = 1
        settings.CASTLESS_ENGINE_TIMEOUT_SECONDS = 5.0
        yield fake
        assert fake.problems == []


def _upload(name: str, colour) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(colour), content_type="image/png")


def _inline_images(request) -> list[bytes]:
    parts = request.json()["contents"][0]["parts"][1:]
    return [base64.b64decode((p.get("inline_data") or p["inlineData"])["data"]) for p in parts]


def test_the_page_offers_products_and_a_pose_when_an_engine_takes_them(alice_client, maren, gemini):
    response = alice_client.get(reverse("identities:run_create", args=[maren.code]))
    assert select_one(response, "input[type=file][name=products][multiple]") is not None
    assert select_one(response, "input[type=file][name=pose]") is not None
    assert select_one(response, "[data-testid=insert-product]")["data-insert-token"] == "$product"
    engines = [o["value"] for o in select(response, "select[name=engine] option")]
    assert engines[0] == "auto" and "nano_banana_pro" in engines


def test_products_and_pose_kept_across_a_refusal_reach_the_engine(
    alice_client, alice, maren, gemini, django_capture_on_commit_callbacks
):
    url = reverse("identities:run_create", args=[maren.code])
    first = {
        **FORM,
        "prompt": "$model in a garden",  # forgot $product
        "engine": "nano_banana_pro",
        "num_images": "1",
        "products": [_upload("shirt.png", (200, 30, 30))],
        "pose": _upload("pose.png", (30, 30, 200)),
    }
    refused = alice_client.post(url, first)
    assert refused.status_code == 422
    assert "write $product where they go" in text_of(refused, "[data-testid=prompt-error]")
    product = select_one(refused, "[data-testid=kept-products] input[name=product_ids]")
    pose = select_one(refused, "[data-testid=kept-pose] input[name=pose_id]")
    assert product.has_attr("checked") and pose.has_attr("checked")
    assert UploadedAsset.objects.filter(account=alice.membership.account).count() == 2
    assert gemini.requests == []

    # Second try: fix the prompt, send only the ticked uploads back (no file chosen again).
    second = {
        **FORM,
        "prompt": "$model wearing $product in a garden",
        "engine": "nano_banana_pro",
        "num_images": "1",
        "product_ids": [product["value"]],
        "pose_id": [pose["value"]],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url, second)
    assert response.status_code == 302, text_of(response, "form")
    run = ImageRun.objects.get()
    assert run.engine == "nano_banana_pro" and run.status == ImageRun.COMPLETED
    assert run.inputs["product_images"] == ["data-uri"]
    assert run.inputs["image_reference"] == "data-uri"
    [call] = gemini.calls("generate")
    sent = _inline_images(call)
    assert len(sent) == 3  # the portrait, the product, the pose
    stored = {
        asset.filename: asset.file.open("rb").read()
        for asset in UploadedAsset.objects.filter(account=alice.membership.account)
    }
    assert sent[1] == stored["shirt.png"] and sent[2] == stored["pose.png"]
    assert RunOutput.objects.filter(run=run).count() == 1


def test_four_product_images_are_refused_and_none_is_stored(alice_client, alice, maren, gemini):
    data = {
        **FORM,
        "prompt": "$model wearing $product",
        "products": [_upload(f"p{i}.png", (40 * i, 90, 90)) for i in range(4)],
    }
    response = alice_client.post(reverse("identities:run_create", args=[maren.code]), data)
    assert response.status_code == 422
    field = select_one(response, "input[name=products]").find_parent(class_="field")
    assert "has-error" in field["class"]
    assert "at most 3 product images; 4 are chosen" in field.get_text()
    assert not UploadedAsset.objects.filter(account=alice.membership.account).exists()


def test_a_file_that_is_not_an_image_is_named_in_its_refusal(alice_client, maren, gemini):
    bogus = SimpleUploadedFile("notes.png", b"not an image at all", content_type="image/png")
    data = {**FORM, "prompt": "$model wearing $product", "products": [bogus]}
    response = alice_client.post(reverse("identities:run_create", args=[maren.code]), data)
    assert response.status_code == 422
    field = select_one(response, "input[name=products]").find_parent(class_="field")
    assert "“notes.png”" in field.select_one(".error").get_text()
    assert ImageRun.objects.count() == 0
