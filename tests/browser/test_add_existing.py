"""QA script for "Add an existing model" (issue 14): a Pro workspace brings a real person's two
photos, reads the guidelines, ticks every statement and gets a private identity whose page shows
the consent record. The photos are a public-domain portrait that ships in scikit-image."""

import pytest
from playwright.sync_api import expect

from identities.models import ConsentRecord, Identity, UploadedAsset
from tests.add_existing import photos
from tests.browser.test_wizard_flows import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def photo_files(tmp_path):
    files = {}
    for name, image in (
        ("close-up.jpg", photos.astronaut_close_up()),
        ("full-body.jpg", photos.astronaut_full_body()),
        ("someone-else.jpg", photos.full_body(photos.hanks(), 3)),
    ):
        path = tmp_path / name
        path.write_bytes(photos.jpeg(image))
        files[name] = path
    return files


def test_a_pro_user_adds_an_existing_model_with_consent(page, app_url, alice, photo_files, shot):
    # Alice (Pro plan) opens Identities and follows "Add an existing model".
    log_in(page, app_url, "alice@brand.test")
    page.get_by_test_id("add-existing").click()
    expect(page.get_by_role("heading", name="Add an existing model")).to_be_visible()

    # The guidelines explain framing, light and angles, with do and don't pictures.
    guidelines = page.get_by_test_id("guidelines")
    expect(guidelines).to_contain_text("Framing")
    expect(guidelines).to_contain_text("Light")
    expect(guidelines).to_contain_text("Angle")
    expect(page.locator(".example-do img")).to_have_count(2)
    expect(page.locator(".example-dont img")).to_have_count(5)
    shot("guidelines")

    # First try: a full-body shot of someone else. The check says so beside that photo.
    page.get_by_label("Upload a close-up").set_input_files(photo_files["close-up.jpg"])
    page.get_by_label("Upload a full-body shot").set_input_files(photo_files["someone-else.jpg"])
    page.get_by_label("Model name").fill("Eileen")
    page.get_by_label("Gender").select_option("female")
    page.get_by_test_id("add-existing-next").click()
    expect(page.get_by_test_id("full-body")).to_contain_text("do not show the same person")
    assert not Identity.objects.exists()

    # Second try with her own full-body shot (the close-up stays picked from the uploads).
    kept = UploadedAsset.objects.get(filename="close-up.jpg")
    expect(page.get_by_test_id("close-up").get_by_label("Or use an upload")).to_have_value(
        str(kept.file_id)
    )
    page.get_by_label("Upload a full-body shot").set_input_files(photo_files["full-body.jpg"])
    page.get_by_label("Model name").fill("Eileen")
    page.get_by_label("Gender").select_option("female")
    page.get_by_test_id("add-existing-next").click()

    # The review shows both photos, the checks and no look-alike; every statement is required.
    expect(page.get_by_role("heading", name="2. Review and consent")).to_be_visible()
    expect(page.get_by_test_id("review-checks")).to_contain_text("Same person")
    expect(page.get_by_test_id("lookalikes")).to_contain_text("No identity in your library")
    boxes = page.get_by_test_id("statements").get_by_role("checkbox")
    expect(boxes).to_have_count(6)
    shot("review")

    # Ticking every statement and creating the model opens its page with the consent record.
    for index in range(6):
        boxes.nth(index).check()
    page.get_by_test_id("add-existing-create").click()
    expect(page.get_by_role("heading", name="Consent record")).to_be_visible()
    record = page.get_by_test_id("consent-record")
    expect(record).to_contain_text("alice@brand.test")
    identity = Identity.objects.get(name="Eileen")
    expect(record).to_contain_text(identity.consent.close_up_sha256)
    expect(page.get_by_test_id("identity-status")).to_be_visible()
    shot("identity-with-consent")
    assert ConsentRecord.objects.filter(identity=identity).count() == 1


def test_a_free_workspace_is_told_it_needs_pro(page, app_url, charlie):
    log_in(page, app_url, "charlie@other.test")
    page.get_by_test_id("add-existing").click()
    expect(page.get_by_test_id("plan-locked")).to_contain_text("Pro or Enterprise")
    expect(page.get_by_test_id("add-existing-next")).to_have_count(0)
