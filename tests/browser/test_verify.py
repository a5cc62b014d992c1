"""QA script for content credentials: from a draft's page, the "Content credentials" badge
opens Verify on that very image; uploading a copy with one byte changed reads as tampered, and
a re-saved copy as carrying no credentials."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.test_wizard_flows import log_in
from tests.pipeline import run_job

pytestmark = pytest.mark.browser


@pytest.fixture
def draft(alice, django_capture_on_commit_callbacks):
    job = run_job(
        alice.membership.account,
        capture=django_capture_on_commit_callbacks,
        variations=1,
        name="Credentials check",
    )
    return job.drafts.get()


def _bytes_of(draft) -> bytes:
    with draft.image.open("rb") as handle:
        return handle.read()


def test_check_a_drafts_credentials_then_a_tampered_and_a_resaved_copy(
    page, app_url, alice, draft, shot
):
    log_in(page, app_url, "alice@brand.test")
    page.goto(f"{app_url}/drafts/{draft.pk}/")

    # The draft page carries the badge; it opens Verify on this draft.
    page.get_by_test_id("credentials-badge").click()
    page.wait_for_url(re.compile(rf"/verify/\?draft={draft.pk}$"))
    result = page.get_by_test_id("verify-result")
    expect(result.get_by_role("heading", name=f"Draft {draft.pk}")).to_be_visible()
    expect(page.get_by_test_id("verify-headline")).to_have_text(
        "Signed, but not by a trusted certificate"
    )
    facts = page.get_by_test_id("verify-facts")
    expect(facts).to_contain_text("Castless")
    expect(facts).to_contain_text("Made by a generative AI model")
    expect(facts).to_contain_text(draft.job.public_id)
    shot("draft-credentials")

    # One changed byte in the picture: the credentials no longer match it.
    changed = bytearray(_bytes_of(draft))
    changed[len(changed) * 3 // 4] ^= 0x01
    page.get_by_label("Image to check").set_input_files(
        files=[{"name": "copy.jpg", "mimeType": "image/jpeg", "buffer": bytes(changed)}]
    )
    page.get_by_role("button", name="Check credentials").click()
    expect(page.get_by_test_id("verify-headline")).to_have_text("Tampered")
    expect(result.get_by_role("heading", name="The uploaded image")).to_be_visible()
    shot("tampered")

    # A re-saved copy has lost its credentials altogether.
    resaved = io.BytesIO()
    Image.open(io.BytesIO(_bytes_of(draft))).save(resaved, "JPEG", quality=90)
    page.get_by_label("Image to check").set_input_files(
        files=[{"name": "resaved.jpg", "mimeType": "image/jpeg", "buffer": resaved.getvalue()}]
    )
    page.get_by_role("button", name="Check credentials").click()
    expect(page.get_by_test_id("verify-headline")).to_have_text("No content credentials")
    expect(page.get_by_test_id("verify-facts")).to_have_count(0)


def test_verify_is_in_the_main_navigation_and_refuses_a_non_image(page, app_url, alice):
    log_in(page, app_url, "alice@brand.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Verify").click()
    expect(page.get_by_role("heading", name="Verify content credentials", level=1)).to_be_visible()
    page.get_by_label("Image to check").set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"}]
    )
    page.get_by_role("button", name="Check credentials").click()
    expect(page.locator(".field.has-error .error")).to_contain_text("Only JPEG and PNG")
