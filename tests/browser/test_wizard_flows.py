"""QA scripts for the Create wizard (issue 5's Playwright flows 2, 3, 4 and 6).

Each test reads as what a tester does in the browser: open the page, click the chip, see the
field fill. Screenshots of the key steps land in test-output/screenshots/.
"""

import json
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from identities.models import BlockedTerm, Job, Preset
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PARAGRAPH = (
    "A 31-year-old woman of mixed South Asian and North European heritage, long jet-black hair "
    "twisted into a loose low bun, deep brown eyes with faint amber flecks, high cheekbones, "
    "warm olive skin with a scatter of small beauty marks along the jawline. Calm, focused "
    "expression, gaze slightly off-camera."
)


def log_in(page: Page, app_url: str, email: str) -> None:
    page.goto(app_url + "/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Identities", level=1)).to_be_visible()


def open_wizard(page: Page, app_url: str) -> Locator:
    """Open Create; returns the first instruction's card."""
    page.goto(app_url + "/create/")
    expect(page.get_by_role("heading", name="Create identities")).to_be_visible()
    return page.locator("article.wz-ins").first


def field(instruction: Locator, label: str) -> Locator:
    return instruction.locator(".wf").filter(has=instruction.page.get_by_label(label, exact=True))


def chip(instruction: Locator, label: str, value: str) -> Locator:
    return field(instruction, label).locator(".chip", has_text=re.compile(rf"^\W*{value}"))


def json_payload(page: Page) -> dict:
    return json.loads(page.get_by_test_id("json-payload").text_content())


def tab_to(page: Page, target: Locator, *, limit: int = 200) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


# --- Flow 2: expert mode ------------------------------------------------------------------------


def test_expert_mode_sends_the_paragraph_verbatim(page, app_url, alice, shot):
    log_in(page, app_url, "alice@brand.test")
    instruction = open_wizard(page, app_url)

    # Click the lock: a confirmation explains what expert mode means.
    instruction.get_by_role("link", name=re.compile("^Expert mode")).click()
    confirm = page.get_by_test_id("expert-confirm")
    expect(confirm).to_contain_text("verbatim")
    expect(confirm).to_contain_text("greyed out and ignored")
    shot("expert-confirm")

    # Confirm: the prompt editor unlocks and takes the focus; the fields grey out.
    page.get_by_role("button", name="Unlock the prompt editor").click()
    prompt = page.get_by_label("Expert prompt")
    expect(prompt).to_be_focused()
    prompt.fill(PARAGRAPH)
    expect(instruction.get_by_test_id("instruction-status")).to_contain_text("sent verbatim")
    expect(instruction.get_by_label("Gender", exact=True)).to_be_disabled()
    expect(chip(instruction, "Hair colour", "auburn")).to_be_disabled()

    # The JSON inspector shows the prompt alone driving generation.
    instruction.get_by_role("link", name=re.compile("^JSON inspector")).click()
    expect(page.get_by_test_id("json-payload")).to_contain_text("gaze slightly off-camera")
    sent = json_payload(page)["instructions"][0]
    assert sent["prompt"] == PARAGRAPH
    assert set(sent) == {"prompt", "num_variations", "options"}
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy").click()
    expect(page.locator(".copy-status")).to_have_text("Copied to the clipboard.")
    assert json.loads(page.evaluate("navigator.clipboard.readText()")) == json_payload(page)
    shot("expert-json")

    # Review at 1K and generate: we land on the job page.
    page.get_by_role("link", name="Continue to review").first.click()
    page.get_by_role("radio", name="1K").check()
    expect(page.get_by_test_id("review-cost")).to_contain_text("1 credit")
    page.get_by_role("button", name="Generate 1 draft").click()
    page.wait_for_url(re.compile(r"/jobs/job_\w+/$"))
    shot("expert-job")
    instruction_row = Job.objects.get().instructions.get()
    assert instruction_row.expert and instruction_row.prompt == PARAGRAPH


# --- Flow 3: presets ----------------------------------------------------------------------------


def test_load_a_preset_change_a_field_and_save_it_as_a_new_preset(page, app_url, alice, shot):
    Preset.objects.create(
        name="QA Nordic",
        description="Ash-blonde, pale-eyed, calm.",
        instruction={
            "appearance": {"gender": "female", "age": 28},
            "face": {"eyes": "pale blue"},
            "hair": {"color": "ash blonde", "length": "long"},
        },
    )
    log_in(page, app_url, "alice@brand.test")
    instruction = open_wizard(page, app_url)

    # Load Preset lists the catalog's presets; load one into the empty instruction.
    page.get_by_role("link", name="Load Preset").click()
    expect(page.get_by_test_id("catalog-presets")).to_contain_text("QA Nordic")
    page.get_by_role("button", name="Load QA Nordic").click()
    expect(page.get_by_test_id("preset-loaded")).to_contain_text("QA Nordic")
    expect(instruction.get_by_label("Hair colour", exact=True)).to_have_value("ash blonde")
    expect(chip(instruction, "Eyes", "pale blue")).to_have_attribute("aria-pressed", "true")
    shot("preset-loaded")

    # Change one field: auburn instead of ash blonde.
    chip(instruction, "Hair colour", "auburn").click()
    expect(instruction.get_by_label("Hair colour", exact=True)).to_have_value("auburn")
    expect(chip(instruction, "Hair colour", "ash blonde")).to_have_attribute(
        "aria-pressed", "false"
    )

    # The brief lives on the server: a second tab on the same brief shows the change.
    second_tab = page.context.new_page()
    second_tab.goto(page.url)
    other = second_tab.locator("article.wz-ins").first
    expect(other.get_by_label("Hair colour", exact=True)).to_have_value("auburn")
    expect(other.get_by_label("Age", exact=True)).to_have_value("28")
    second_tab.close()

    # Save it as a new preset.
    page.get_by_role("link", name="Save as preset").click()
    page.get_by_label("Preset name").fill("Nordic auburn")
    page.get_by_role("button", name="Save preset").click()
    expect(page.get_by_test_id("preset-saved")).to_contain_text("Nordic auburn")
    shot("preset-saved")

    # The same name again is refused in the form.
    page.get_by_label("Preset name").fill("Nordic auburn")
    page.get_by_role("button", name="Save preset").click()
    expect(page.locator(".field.has-error")).to_contain_text("already have a preset named")

    # Load Preset now lists it under the workspace's own presets.
    page.get_by_role("link", name="Load Preset").click()
    expect(page.get_by_test_id("own-presets")).to_contain_text("Nordic auburn")
    saved = Preset.objects.get(account=alice.membership.account, name="Nordic auburn")
    assert saved.instruction["hair"] == {"color": "auburn", "length": "long"}
    assert saved.instruction["appearance"] == {"gender": "female", "age": 28}


# --- Flow 4: errors, each shown clearly ---------------------------------------------------------


def test_out_of_credits_shows_what_the_job_needs_and_what_is_left(page, app_url, charlie, shot):
    account = charlie.membership.account
    account.credit_balance = 2
    account.save(update_fields=["credit_balance"])
    log_in(page, app_url, "charlie@other.test")
    instruction = open_wizard(page, app_url)
    chip(instruction, "Gender", "female").click()
    expect(instruction.get_by_label("Gender", exact=True)).to_have_value("female")

    page.get_by_role("link", name="Continue to review").first.click()
    page.get_by_label("Variations").fill("5")
    page.get_by_label("Variations").press("Tab")
    expect(page.get_by_test_id("review-cost")).to_contain_text("5 drafts for 5 credits")
    expect(page.get_by_test_id("summary-short")).to_contain_text("You need 5 credits and have 2")
    page.get_by_role("button", name="Generate 5 drafts").click()

    error = page.get_by_test_id("dispatch-error")
    expect(error).to_contain_text("Not enough credits")
    expect(error).to_contain_text("This job needs 5 credits. You have 2 available")
    shot("out-of-credits")
    assert not Job.objects.exists()


def test_a_real_persons_name_is_refused_with_the_term(page, app_url, alice, shot):
    BlockedTerm.objects.create(term="Gigi Hadid", category="model")
    log_in(page, app_url, "alice@brand.test")
    instruction = open_wizard(page, app_url)

    # The field says it as soon as the name is typed.
    marks = instruction.get_by_label("Distinguishing marks", exact=True)
    marks.fill("freckles like Gigi Hadid")
    expect(field(instruction, "Distinguishing marks").locator(".error")).to_have_text(
        'Names of real people are not allowed: "Gigi Hadid"'
    )
    shot("blocked-term-field")

    # Generate refuses it too, naming the term and linking back to the field.
    page.get_by_role("link", name="Continue to review").first.click()
    expect(page.get_by_test_id("brief-problems")).to_contain_text("Face › Distinguishing marks")
    page.get_by_role("button", name=re.compile("^Generate")).click()
    error = page.get_by_test_id("dispatch-error")
    expect(error).to_contain_text("Names of real people are not allowed")
    expect(page.get_by_test_id("blocked-term")).to_have_text("Gigi Hadid")
    shot("blocked-term-generate")
    assert not Job.objects.exists()


def test_4k_on_a_free_plan_is_disabled_and_a_forced_post_is_refused(page, app_url, charlie, shot):
    log_in(page, app_url, "charlie@other.test")
    instruction = open_wizard(page, app_url)
    chip(instruction, "Gender", "male").click()
    expect(instruction.get_by_label("Gender", exact=True)).to_have_value("male")
    page.get_by_role("link", name="Continue to review").first.click()

    # 4K is disabled, and the page says why.
    four_k = page.get_by_role("radio", name="4K")
    expect(four_k).to_be_disabled()
    expect(page.get_by_test_id("why-size")).to_have_text("Your Free plan allows up to 1K.")
    shot("4k-disabled")

    # Force it anyway (as a crafted request would): the server answers with the plan's limit.
    four_k.evaluate("el => { el.disabled = false; }")
    four_k.check(force=True)
    expect(page.get_by_test_id("review-cost")).to_contain_text("4 credits")
    page.get_by_role("button", name="Generate 1 draft").click()
    expect(page.get_by_test_id("dispatch-error")).to_contain_text("Output size exceeds your plan")
    expect(page.locator("[id$=-size-why] .error")).to_have_text(
        "4K is above your Free plan's limit of 1K."
    )
    shot("4k-refused")
    assert not Job.objects.exists()


# --- Flow 6: keyboard only ----------------------------------------------------------------------


def test_the_wizard_works_with_tab_enter_and_space_only(page, app_url, alice, shot):
    log_in(page, app_url, "alice@brand.test")
    first = open_wizard(page, app_url)
    page.locator("body").focus()

    # Fill a field by typing.
    tab_to(page, first.get_by_label("Gender", exact=True))
    page.keyboard.type("non-binary")
    expect(chip(first, "Gender", "non-binary")).to_have_attribute("aria-pressed", "true")

    # Toggle a chip with Space, then again with Enter: the focus stays on it.
    platinum = chip(first, "Hair colour", "platinum blonde")
    tab_to(page, platinum)
    page.keyboard.press("Space")
    expect(first.get_by_label("Hair colour", exact=True)).to_have_value("platinum blonde")
    expect(platinum).to_have_attribute("aria-pressed", "true")
    expect(platinum).to_be_focused()
    page.keyboard.press("Enter")
    expect(first.get_by_label("Hair colour", exact=True)).to_have_value("")
    expect(platinum).to_have_attribute("aria-pressed", "false")
    expect(platinum).to_be_focused()
    page.keyboard.press("Space")
    expect(platinum).to_have_attribute("aria-pressed", "true")
    shot("keyboard-chip")

    # Add an instruction: the focus moves to it; describe it too.
    tab_to(page, page.get_by_role("button", name="Add instruction"))
    page.keyboard.press("Enter")
    second = page.locator("article.wz-ins").nth(1)
    expect(second.get_by_role("heading", name="Instruction 2")).to_be_focused()
    tab_to(page, second.get_by_label("Gender", exact=True))
    page.keyboard.type("male")
    expect(chip(second, "Gender", "male")).to_have_attribute("aria-pressed", "true")
    shot("keyboard-two-instructions")

    # Go to review and generate.
    tab_to(page, page.locator(".wz-foot").get_by_role("link", name="Continue to review"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Generate 2 drafts")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Generate 2 drafts"))
    shot("keyboard-review")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/jobs/job_\w+/$"))
    job = Job.objects.get()
    first_sent, second_sent = job.request["instructions"]
    assert first_sent["appearance"] == {"gender": "non-binary"}
    assert first_sent["hair"] == {"color": "platinum blonde"}
    assert second_sent["appearance"] == {"gender": "male"}
