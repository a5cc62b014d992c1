"""QA scripts for the Create wizard cases of "What a new user trips on": one Generate click
always dispatches, variations out of range are refused where they are typed, a stale second tab
is told so, "Use as preset" starts from the identity's brief, and the phone layout keeps the
next step on screen. Screenshots land in test-output/screenshots/."""

import json
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from identities.models import Brief, Job, Preset
from identities.services.promotion import identity_promote
from identities.wizard import services as ws
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_wizard_flows import chip, field, log_in, open_wizard
from tests.pipeline import run_job

pytestmark = pytest.mark.browser

API_MESSAGE = "Must be a whole number between 1 and 8"
STALE = "This brief was changed in another tab — reload to see it."


def to_review(page: Page, app_url: str) -> None:
    """A one-field brief, then the Review step at 1K."""
    instruction = open_wizard(page, app_url)
    chip(instruction, "Gender", "female").click()
    expect(chip(instruction, "Gender", "female")).to_have_attribute("aria-pressed", "true")
    page.locator(".wz-foot").get_by_role("link", name="Continue to review").click()
    page.get_by_role("radio", name="1K").check()
    expect(page.get_by_test_id("review-cost")).to_contain_text("1 credit")


def viewport_shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


# --- one Generate click -------------------------------------------------------------------------


def test_generate_right_after_typing_a_job_name_dispatches_on_the_first_click(
    page, app_url, alice, shot
):
    log_in(page, app_url, "alice@brand.test")
    to_review(page, app_url)

    # Type a job name and click Generate at once: no pause for the name's own save.
    page.get_by_label("Job name").fill("Spring campaign")
    page.get_by_role("button", name="Generate 1 draft").click()

    page.wait_for_url(re.compile(r"/jobs/job_\w+/$"))
    shot("job-page")
    job = Job.objects.get()
    assert job.name == "Spring campaign"


def test_generate_right_after_changing_the_variations_dispatches_them(page, app_url, alice):
    log_in(page, app_url, "alice@brand.test")
    to_review(page, app_url)

    page.get_by_label("Variations").fill("2")
    page.get_by_role("button", name=re.compile("^Generate")).click()

    page.wait_for_url(re.compile(r"/jobs/job_\w+/$"))
    assert Job.objects.count() == 1
    assert Job.objects.get().drafts.count() == 2


# --- variations out of range --------------------------------------------------------------------


def test_variations_out_of_range_are_refused_as_the_field_is_left(page, app_url, alice, shot):
    log_in(page, app_url, "alice@brand.test")
    to_review(page, app_url)
    variations = page.get_by_label("Variations")
    generate = page.locator("#btn-generate")

    for typed in ("9", "0", "-1", "2.5"):
        variations.fill(typed)
        # Leaving the field saves it; wait for that answer, as a person reads it before typing on.
        with page.expect_response(lambda response: response.request.method == "POST"):
            variations.press("Tab")
        # The API's own words, beside the field, and the value stays as typed.
        expect(page.get_by_test_id("variations-error")).to_have_text(API_MESSAGE)
        expect(page.get_by_label("Variations")).to_have_value(typed)
        # No impossible job is priced, and Generate waits.
        expect(page.get_by_test_id("summary-cost")).to_have_text("—")
        expect(generate).to_be_disabled()
        if typed == "9":
            shot("nine-variations")

    page.get_by_label("Variations").fill("3")
    page.get_by_label("Variations").press("Tab")
    expect(page.get_by_test_id("variations-error")).to_have_count(0)
    expect(page.get_by_role("button", name="Generate 3 drafts")).to_be_enabled()
    assert not Job.objects.exists()


# --- two tabs -----------------------------------------------------------------------------------


def test_a_second_tab_with_an_older_brief_is_told_to_reload(page, app_url, alice, shot):
    log_in(page, app_url, "alice@brand.test")
    first = open_wizard(page, app_url)
    other = page.context.new_page()
    other.goto(page.url)
    second = other.locator("article.wz-ins").first

    # Tab 1 picks a hair colour; tab 2, still showing the older brief, then types an age.
    chip(first, "Hair colour", "auburn").click()
    expect(chip(first, "Hair colour", "auburn")).to_have_attribute("aria-pressed", "true")
    field(second, "Age").get_by_role("textbox").fill("44")

    expect(other.get_by_test_id("stale-brief")).to_have_text(STALE)
    other.screenshot(path=str(ARTIFACTS / "two-tabs--stale.png"), full_page=False)
    item = Brief.objects.get(user=alice).instructions[0]
    assert item["hair"] == {"color": "auburn"}
    assert "age" not in item["appearance"]

    # Reloading shows tab 1's choice; editing from there works again.
    other.get_by_role("link", name="reload").click()
    second = other.locator("article.wz-ins").first
    expect(chip(second, "Hair colour", "auburn")).to_have_attribute("aria-pressed", "true")
    field(second, "Age").get_by_role("textbox").fill("44")
    expect(second.get_by_test_id("instruction-status")).to_contain_text("2 fields set")
    expect(other.get_by_test_id("stale-brief")).to_have_count(0)
    assert Brief.objects.get(user=alice).instructions[0]["appearance"]["age"] == "44"


# --- Use as preset ------------------------------------------------------------------------------


@pytest.fixture
def astrid(alice, django_capture_on_commit_callbacks):
    job = run_job(alice.membership.account, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        return identity_promote(draft=job.drafts.first(), user=alice, name="Astrid")[0]


def test_use_as_preset_asks_before_replacing_a_brief_in_progress(
    page, app_url, alice, astrid, shot
):
    brief = ws.brief_start(account=alice.membership.account, user=alice)
    key = brief.instructions[0]["key"]
    ws.brief_fields_update(brief=brief, key=key, values={"hair.color": "teal"})
    hair = astrid.brief["hair"]["color"]

    log_in(page, app_url, "alice@brand.test")
    page.goto(f"{app_url}/identities/{astrid.code}/")
    page.get_by_test_id("use-as-preset").click()
    expect(page.get_by_role("heading", name="Replace your brief in progress?")).to_be_visible()
    expect(page.get_by_test_id("brief-in-progress")).to_contain_text("teal")
    shot("ask")

    page.get_by_role("button", name="Replace").click()
    instruction = page.locator("article.wz-ins")
    expect(instruction).to_have_count(1)
    expect(instruction.get_by_label("Hair colour", exact=True)).to_have_value(hair)

    # Save as preset saves that brief, not a leftover.
    page.get_by_role("link", name="Save as preset").click()
    page.get_by_label("Preset name").fill("Astrid look")
    page.get_by_role("button", name="Save preset").click()
    expect(page.get_by_test_id("preset-saved")).to_contain_text("Astrid look")
    shot("saved")
    assert Preset.objects.get(name="Astrid look").instruction["hair"]["color"] == hair


# --- phones -------------------------------------------------------------------------------------


def test_on_a_phone_the_next_step_is_on_screen_without_scrolling(browser, app_url, alice):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in(page, app_url, "alice@brand.test")
        instruction = open_wizard(page, app_url)
        chip(instruction, "Gender", "female").click()
        expect(chip(instruction, "Gender", "female")).to_have_attribute("aria-pressed", "true")
        page.evaluate("window.scrollTo(0, 0)")
        go_on = page.locator(".wz-foot").get_by_role("link", name="Continue to review")
        expect(go_on).to_be_in_viewport()
        viewport_shot(page, "phone--configure")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
        expect(go_on).to_be_in_viewport()

        go_on.click()
        page.get_by_role("radio", name="1K").check()
        page.evaluate("window.scrollTo(0, 0)")
        expect(page.get_by_role("button", name="Generate 1 draft")).to_be_in_viewport()
        viewport_shot(page, "phone--review")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
    finally:
        context.close()


def test_the_expert_editor_fits_a_paragraph_and_says_expert_once(page, app_url, alice, shot):
    log_in(page, app_url, "alice@brand.test")
    instruction = open_wizard(page, app_url)
    instruction.get_by_role("link", name=re.compile("^Expert mode")).click()
    page.get_by_role("button", name="Unlock the prompt editor").click()
    prompt = page.get_by_label("Expert prompt")
    assert int(prompt.get_attribute("rows")) >= 8
    assert prompt.evaluate("el => getComputedStyle(el).resize") in ("vertical", "both")
    prompt.fill("A calm woman in her thirties with a low bun.")
    status = instruction.get_by_test_id("instruction-status")
    expect(status).to_contain_text("sent verbatim")
    assert "Expert Expert" not in status.inner_text()
    assert status.inner_text().count("Expert") == 1
    shot("expert")


# --- references in expert mode ------------------------------------------------------------------


def test_an_expert_instruction_takes_up_to_three_references(page, app_url, alice, shot, tmp_path):
    from identities.services.uploads import asset_upload
    from tests.wizard.test_views_extract import portrait_png

    for n in range(2):
        asset_upload(
            account=alice.membership.account,
            user=alice,
            filename=f"ref{n}.png",
            data=portrait_png(),
        )
    upload = tmp_path / "new-reference.png"
    # Other bytes than the uploads above: an identical file would be the same upload.
    Image.new("RGB", (600, 800), (150, 120, 100)).save(upload, format="PNG")

    log_in(page, app_url, "alice@brand.test")
    instruction = open_wizard(page, app_url)
    instruction.get_by_role("link", name=re.compile("^Expert mode")).click()
    page.get_by_role("button", name="Unlock the prompt editor").click()
    page.get_by_label("Expert prompt").fill("A calm woman in her thirties, like the reference.")
    expect(instruction.get_by_test_id("instruction-status")).to_contain_text("sent verbatim")

    # Attach one of the uploads, then a new upload.
    page.get_by_role("link", name="Add a reference image").click()
    panel = page.get_by_test_id("references-panel")
    panel.get_by_role("radio").first.check()
    panel.get_by_role("button", name="Attach the image").click()
    refs = page.get_by_test_id("references")
    expect(refs.locator("img")).to_have_count(1)
    page.get_by_role("link", name="Add a reference image").click()
    page.get_by_label("Or upload an image").set_input_files(upload)
    page.get_by_role("button", name="Attach the image").click()
    expect(refs.locator("img")).to_have_count(2)

    # The JSON inspector carries them as input_assets.
    page.locator("#json-details summary").click()
    sent = json.loads(page.get_by_test_id("json-payload").text_content())["instructions"][0]
    assert len(sent["input_assets"]) == 2 and set(sent["input_assets"][0]) == {"file_id"}
    shot("references")

    # Remove one.
    refs.get_by_role("button", name=re.compile("^Remove reference 1")).click()
    expect(page.get_by_test_id("references").locator("img")).to_have_count(1)

    # The in-house engine takes none: the Review step says why, and nothing is priced.
    page.locator(".wz-foot").get_by_role("link", name="Continue to review").click()
    page.get_by_label("Engine").select_option("local")
    expect(page.get_by_test_id("brief-problems")).to_contain_text("not supported on")
    expect(page.get_by_test_id("summary-cost")).to_have_text("—")
    shot("references-refused")
