"""QA scripts for From Text (pencil) and From Image (sparkles) in the Create wizard.

Each test reads as what a tester does: open the wizard, open the panel, fill the fields from a
paragraph or a photo, see the fields fill in place. Screenshots land in test-output/screenshots/.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Account
from identities.engines.base import RenderRequest
from identities.engines.inhouse import LocalEngine
from tests.browser.test_wizard_flows import log_in, open_wizard

pytestmark = pytest.mark.browser

PARAGRAPH = (
    "A 31-year-old woman with shoulder-length auburn hair, green eyes and freckles along the "
    "nose, plus a tiny tattoo of a swallow on her wrist."
)


def test_from_text_fills_the_fields_and_keeps_the_rest_as_the_prompt(page, app_url, alice, shot):
    log_in(page, app_url, "alice@brand.test")
    instruction = open_wizard(page, app_url)

    # Click the pencil, describe the person, fill.
    instruction.get_by_role("link", name=re.compile("^From Text")).click()
    page.get_by_label("Describe the person in a few sentences").fill(PARAGRAPH)
    page.get_by_role("button", name="Fill the fields").click()

    # The fields fill in place.
    result = page.get_by_test_id("extract-result")
    expect(result).to_contain_text("Filled 6 fields of instruction 1")
    instruction = page.locator("article.wz-ins").first
    expect(instruction.get_by_label("Age", exact=True)).to_have_value("31")
    expect(instruction.get_by_label("Hair colour", exact=True)).to_have_value("auburn")
    expect(instruction.get_by_label("Hair length", exact=True)).to_have_value("shoulder-length")
    expect(instruction.get_by_label("Eyes", exact=True)).to_have_value("green")
    marks = instruction.get_by_label("Distinguishing marks", exact=True)
    expect(marks).to_have_value(re.compile("freckles along the nose"))

    # What it could not place is offered as the expert prompt.
    unplaced = page.get_by_test_id("extract-unplaced")
    expect(unplaced).to_contain_text("Not placed in a field:")
    expect(unplaced).to_contain_text("swallow on her wrist")
    shot("from-text-filled")
    page.get_by_role("button", name="Keep the paragraph as the expert prompt instead").click()
    prompt = page.get_by_label("Expert prompt")
    expect(prompt).to_be_focused()
    expect(prompt).to_have_value(PARAGRAPH)
    expect(page.get_by_label("Age", exact=True)).to_be_disabled()
    shot("from-text-expert")


def test_from_image_reads_an_uploaded_render(page, app_url, alice, shot, tmp_path):
    # A render of the in-house engine with a known skin tone and hair colour.
    render = LocalEngine().render(
        RenderRequest(
            prompt="",
            brief={"appearance": {"skin": "deep"}, "hair": {"color": "platinum blonde"}},
            expert=False,
            size="1K",
            ar="3:4",
            format="png",
            seed=3,
        )
    )
    reference = tmp_path / "reference.png"
    reference.write_bytes(render.image)
    balance = Account.objects.get(pk=alice.membership.account.pk).credit_balance

    log_in(page, app_url, "alice@brand.test")
    instruction = open_wizard(page, app_url)

    # Click the sparkles: the panel says the photo is read, not copied.
    instruction.get_by_role("link", name=re.compile("^From Image")).click()
    expect(page.get_by_test_id("read-not-copied")).to_contain_text("never appears in the output")
    shot("from-image-panel")

    # Upload the render and read it in one step.
    page.get_by_label("Upload a photo").set_input_files(reference)
    page.get_by_role("button", name="Read the photo · 1 credit").click()

    result = page.get_by_test_id("extract-result")
    expect(result).to_contain_text("1 credit used")
    instruction = page.locator("article.wz-ins").first
    expect(instruction.get_by_label("Skin tone", exact=True)).to_have_value("deep")
    expect(instruction.get_by_label("Hair colour", exact=True)).to_have_value("platinum blonde")
    expect(page.get_by_test_id("extract-filled")).to_contain_text("% sure")
    # The upload now sits among the account's photos, picked for another try.
    expect(page.get_by_role("radio", name=re.compile("reference.png"))).to_be_checked()
    shot("from-image-filled")
    assert Account.objects.get(pk=alice.membership.account.pk).credit_balance == balance - 1
