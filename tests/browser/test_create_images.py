"""QA scripts for Create images (issue 13): from an identity's page to new images of the same
face, with the cost shown before dispatch, the face similarity of each image and a download;
and a prompt without `$model`, refused beside the prompt with everything typed kept."""

import re

import pytest
from django.template.defaultfilters import floatformat
from django_q.conf import Conf
from playwright.sync_api import expect

from identities.models import ImageRun, RunOutput
from identities.services.runs import run_quote
from identities.tasks import image_run_generate
from tests.browser.test_csp import Watch
from tests.browser.test_wizard_flows import log_in
from tests.identities.fakes.gemini import FakeGemini
from tests.runs_web.helpers import png_bytes, ready_identity

pytestmark = pytest.mark.browser

PROMPT_REST = "in a red linen shirt, smiling, grey studio backdrop"


def _quote(identity, **inputs) -> int:
    return run_quote(
        inputs={"prompt": "$model", "identity_code": identity.code, **inputs},
        account=identity.account,
    )


def test_a_user_creates_images_of_an_identity_and_downloads_one(
    page, app_url, alice, django_capture_on_commit_callbacks, shot, tmp_path, monkeypatch
):
    maren = ready_identity(alice, "Maren", django_capture_on_commit_callbacks)
    watch = Watch(page)
    log_in(page, app_url, "alice@brand.test")

    # Open the identity from the library, then Create images.
    page.get_by_test_id("section-mine").get_by_role("link", name="Maren").click()
    expect(page.get_by_test_id("generated-empty")).to_be_visible()
    page.get_by_test_id("create-images").click()
    expect(page.get_by_role("heading", name="Create images", level=1)).to_be_visible()
    # The cost updates itself: the button for browsers without JavaScript is not shown.
    expect(page.get_by_role("button", name="Update cost")).to_be_hidden()

    # Type the scene, put the caret at the start and press the $model chip: it goes in there.
    prompt = page.get_by_label("Prompt", exact=True)
    prompt.fill(PROMPT_REST)
    prompt.press("Home")
    page.get_by_test_id("insert-model").click()
    expect(prompt).to_have_value(f"$model {PROMPT_REST}")
    expect(prompt).to_be_focused()

    # Two images at 1K, automatic mode: the cost before dispatch follows the form.
    expect(page.get_by_test_id("run-cost-total")).to_have_text(f"{_quote(maren)} credits")
    page.get_by_label("Number of images").fill("2")
    two = _quote(maren, num_images=2)
    expect(page.get_by_test_id("run-cost-total")).to_have_text(f"{two} credits")
    page.get_by_label("2K · about 4 megapixels").check()
    expect(page.get_by_test_id("run-cost-total")).to_have_text(
        f"{_quote(maren, num_images=2, resolution='2k')} credits"
    )
    page.get_by_label("1K · about 1 megapixel").check()
    expect(page.get_by_test_id("run-cost-total")).to_have_text(f"{two} credits")

    # A new seed replaces the default 42.
    seed = page.get_by_label("Seed")
    expect(seed).to_have_value("42")
    page.get_by_test_id("new-seed").click()
    expect(seed).not_to_have_value("42")
    chosen = int(seed.input_value())
    assert 0 <= chosen <= 2**32 - 1
    shot("form-filled")

    # Create. No worker is running yet: the results page opens with two places waiting.
    monkeypatch.setattr(Conf, "SYNC", False)
    page.get_by_role("button", name="Create images").click()
    page.wait_for_url(re.compile(r"/runs/run_\w+/$"))
    expect(page.get_by_test_id("run-status")).to_have_text("Queued")
    expect(page.get_by_test_id("run-count")).to_have_text("0 of 2 images")
    expect(page.get_by_test_id("run-waiting")).to_have_count(2)
    shot("queued")

    # The worker draws the run; the page fills in by itself, then stops polling.
    run = ImageRun.objects.get()
    image_run_generate(run.pk)
    expect(page.get_by_test_id("run-count")).to_have_text("2 of 2 images")
    expect(page.get_by_test_id("run-status")).to_have_text("Done")
    assert page.get_by_test_id("run-results").get_attribute("hx-trigger") is None
    images = page.get_by_test_id("run-image")
    expect(images).to_have_count(2)
    for index in range(2):
        expect(images.nth(index)).to_have_js_property("complete", True)
        assert images.nth(index).evaluate("img => img.naturalWidth") > 0
    run.refresh_from_db()
    assert (run.prompt, run.seed, run.num_images, run.credits) == (
        f"$model {PROMPT_REST}",
        chosen,
        2,
        two,
    )
    outputs = list(RunOutput.objects.filter(run=run).order_by("index"))
    similarities = page.get_by_test_id("face-similarity")
    for index, output in enumerate(outputs):
        assert output.face_similarity is not None
        # Rounded as the page rounds it (half up: 0.995 shows as 1.00, where :.2f gives 0.99).
        shown = floatformat(output.face_similarity, 2)
        expect(similarities.nth(index)).to_contain_text(f"Face similarity {shown}")
    shot("results")

    # Download the first image: the file saved is the stored image, byte for byte.
    with page.expect_download() as download_info:
        page.get_by_test_id("run-download").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".png")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes() == outputs[0].image.open("rb").read()

    # Back on the identity's page, its generated images are listed.
    page.get_by_role("link", name="← Maren").click()
    expect(page.get_by_test_id("generated-image")).to_have_count(2)
    shot("identity-page")
    watch.assert_clean()


def test_a_prompt_without_model_is_refused_and_nothing_typed_is_lost(
    page, app_url, alice, django_capture_on_commit_callbacks, shot
):
    maren = ready_identity(alice, "Maren", django_capture_on_commit_callbacks)
    log_in(page, app_url, "alice@brand.test")
    page.goto(f"{app_url}/identities/{maren.code}/create-images/")

    page.get_by_label("Prompt", exact=True).fill("A woman " + PROMPT_REST)
    page.get_by_label("Number of images").fill("3")
    page.get_by_label("Seed").fill("1234")
    page.get_by_role("button", name="Create images").click()

    expect(page.get_by_test_id("prompt-error")).to_contain_text(
        "Write $model where the identity should appear"
    )
    expect(page.get_by_label("Prompt", exact=True)).to_have_value("A woman " + PROMPT_REST)
    expect(page.get_by_label("Number of images")).to_have_value("3")
    expect(page.get_by_label("Seed")).to_have_value("1234")
    assert ImageRun.objects.count() == 0

    # At phone width the form scrolls down, never sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_test_id("run-form")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the Create images page is {width}px wide at 390px"
    shot("create-390")


def test_a_product_photo_is_kept_after_a_refusal_and_dresses_the_identity(
    page, app_url, alice, django_capture_on_commit_callbacks, settings, tmp_path, shot
):
    maren = ready_identity(alice, "Maren", django_capture_on_commit_callbacks)
    shirt = tmp_path / "linen-shirt.png"
    shirt.write_bytes(png_bytes((200, 30, 30)))
    with FakeGemini() as gemini:
        settings.CASTLESS_GEMINI_API_KEY = gemini.API_KEY
        settings.CASTLESS_GEMINI_BASE_URL = gemini.base_url
        settings.CASTLESS_GEMINI_MODEL = gemini.MODEL
        log_in(page, app_url, "alice@brand.test")
        page.goto(f"{app_url}/identities/{maren.code}/create-images/")

        # Choose a shirt photo but forget $product: refused, and the photo is still there.
        page.get_by_label("Prompt", exact=True).fill("$model in a garden")
        page.get_by_label("Product images").set_input_files(shirt)
        page.get_by_label("Engine").select_option("nano_banana_pro")
        page.get_by_role("button", name="Create images").click()
        expect(page.get_by_test_id("prompt-error")).to_contain_text("write $product")
        kept = page.get_by_test_id("kept-products")
        expect(kept.get_by_role("checkbox", name="Use “linen-shirt.png”")).to_be_checked()
        expect(kept.locator("img")).to_have_js_property("complete", True)
        shot("product-kept")

        # After "$model " type "wearing " and press the $product chip, then create.
        prompt = page.get_by_label("Prompt", exact=True)
        prompt.focus()
        prompt.evaluate("area => area.setSelectionRange(7, 7)")
        page.keyboard.type("wearing ")
        page.get_by_test_id("insert-product").click()
        expect(prompt).to_have_value("$model wearing $product in a garden")
        page.get_by_role("button", name="Create images").click()
        page.wait_for_url(re.compile(r"/runs/run_\w+/$"))
        expect(page.get_by_test_id("run-status")).to_have_text("Done")
        expect(page.get_by_test_id("run-image")).to_have_count(1)
        assert gemini.problems == []
        assert len(gemini.calls("generate")) == 1
        run = ImageRun.objects.get()
        assert run.engine == "nano_banana_pro" and run.inputs["product_images"] == ["data-uri"]
