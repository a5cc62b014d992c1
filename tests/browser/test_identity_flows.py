"""QA scripts for the whole identity flow (issue 5's Playwright flows 1 and 5): from sign-up to a
promoted identity in the library, and a two-brief job whose drafts come back grouped."""

import re

import pytest
from playwright.sync_api import expect

from identities.models import Identity, Job
from tests.browser.test_wizard_flows import chip, json_payload, log_in, open_wizard

pytestmark = pytest.mark.browser


def test_a_new_user_designs_generates_and_promotes_an_identity(page, app_url, shot):
    # Sign up: a new workspace on the free plan, with an empty library.
    page.goto(app_url + "/accounts/signup/")
    page.get_by_label("E-mail").fill("nina@newlabel.test")
    page.get_by_label("Brand or workspace name").fill("New Label")
    page.get_by_label("Password").fill("nina-password-2026")
    page.get_by_role("button", name="Create account").click()

    # Sign-up leads to the login page with the e-mail filled in: log in with the new password.
    expect(page.get_by_label("E-mail")).not_to_have_value("")
    page.get_by_label("Password").fill("nina-password-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("library-empty")).to_be_visible()

    # Create: click chips in Appearance, Face and Hair.
    page.get_by_test_id("create-identity").click()
    instruction = page.locator("article.wz-ins").first
    expect(page.get_by_role("heading", name="Create identities")).to_be_visible()
    chip(instruction, "Gender", "female").click()
    expect(instruction.get_by_label("Gender", exact=True)).to_have_value("female")
    chip(instruction, "Skin tone", "olive").click()
    expect(instruction.get_by_label("Skin tone", exact=True)).to_have_value("olive")
    chip(instruction, "Eyes", "green").click()
    expect(instruction.get_by_label("Eyes", exact=True)).to_have_value("green")
    chip(instruction, "Hair colour", "auburn").click()
    expect(instruction.get_by_label("Hair colour", exact=True)).to_have_value("auburn")
    chip(instruction, "Hair length", "shoulder-length").click()
    expect(chip(instruction, "Hair length", "shoulder-length")).to_have_attribute(
        "aria-pressed", "true"
    )

    # The JSON inspector shows exactly those values.
    instruction.get_by_role("link", name=re.compile("^JSON inspector")).click()
    expect(page.get_by_test_id("json-payload")).to_contain_text("shoulder-length")
    sent = json_payload(page)["instructions"][0]
    assert sent["appearance"] == {"gender": "female", "skin": "olive"}
    assert sent["face"] == {"eyes": "green"}
    assert sent["hair"] == {"color": "auburn", "length": "shoulder-length"}
    shot("chips-and-json")

    # Review: 3 variations at 1K (the free plan's size), then generate.
    page.get_by_role("link", name="Continue to review").first.click()
    page.get_by_role("radio", name="1K").check()
    page.get_by_label("Variations").fill("3")
    page.get_by_label("Variations").press("Tab")
    expect(page.get_by_test_id("review-cost")).to_contain_text("3 drafts for 3 credits")
    page.get_by_role("button", name="Generate 3 drafts").click()

    # The job page: the drafts arrive and the progress says so.
    page.wait_for_url(re.compile(r"/jobs/job_\w+/$"))
    expect(page.get_by_test_id("progress-count")).to_have_text("3 of 3 drafts")
    expect(page.locator("[data-testid=draft][data-status=completed] img")).to_have_count(3)
    shot("drafts")

    # Promote the second draft with a name; preprocessing runs, then a link to the identity.
    second = page.get_by_test_id("draft").nth(1)
    second.get_by_role("link", name="Promote…").click()
    second.get_by_label("Identity name").fill("Maren")
    second.get_by_role("button", name=re.compile("^Promote")).click()
    expect(second.get_by_test_id("identity-status")).to_contain_text("Ready")
    shot("promoted")
    second.get_by_role("link", name="Open “Maren”").click()
    expect(page.locator("#identity-name-input")).to_have_value("Maren")

    # Back in the library: the identity is there with its portrait.
    page.get_by_role("link", name="Identities", exact=True).first.click()
    card = page.get_by_test_id("identity-grid").locator(".identity-card", has_text="Maren")
    expect(card).to_be_visible()
    expect(card.locator("img")).to_have_js_property("complete", True)
    assert card.locator("img").evaluate("img => img.naturalWidth") > 0
    expect(page.get_by_test_id("library-empty")).to_have_count(0)
    shot("library")
    identity = Identity.objects.get(name="Maren")
    assert identity.account.name == "New Label"
    assert identity.brief["hair"] == {"color": "auburn", "length": "shoulder-length"}


def test_two_briefs_come_back_as_two_groups_of_drafts(page, app_url, alice, shot):
    log_in(page, app_url, "alice@brand.test")
    first = open_wizard(page, app_url)
    chip(first, "Gender", "male").click()
    chip(first, "Hair colour", "black").click()
    expect(first.get_by_label("Hair colour", exact=True)).to_have_value("black")

    page.get_by_role("button", name="Add instruction").click()
    second = page.locator("article.wz-ins").nth(1)
    chip(second, "Gender", "female").click()
    chip(second, "Hair colour", "platinum blonde").click()
    expect(second.get_by_label("Hair colour", exact=True)).to_have_value("platinum blonde")

    page.locator(".wz-foot").get_by_role("link", name="Continue to review").click()
    sizes = page.get_by_role("radio", name="1K")
    for index in range(sizes.count()):
        sizes.nth(index).check()
        expect(sizes.nth(index)).to_be_checked()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("review-cost")).to_contain_text("2 drafts for 2 credits")
    page.get_by_role("button", name="Generate 2 drafts").click()

    page.wait_for_url(re.compile(r"/jobs/job_\w+/$"))
    groups = page.get_by_test_id("draft-group")
    expect(groups).to_have_count(2)
    expect(groups.nth(0).get_by_role("heading")).to_have_text("Instruction 1")
    expect(groups.nth(1).get_by_role("heading")).to_have_text("Instruction 2")
    expect(groups.nth(0)).to_contain_text("black")
    expect(groups.nth(1)).to_contain_text("platinum blonde")
    expect(groups.nth(0).locator("[data-status=completed] img")).to_have_count(1)
    expect(groups.nth(1).locator("[data-status=completed] img")).to_have_count(1)
    shot("grouped")
    job = Job.objects.get()
    assert [d.image_index for d in job.drafts.order_by("image_index")] == [0, 1]
