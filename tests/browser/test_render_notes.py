"""QA scripts for issue 12's render notes: a draft and the identity promoted from it say what the
engine could not draw and, for the photoreal preview, that its weights are non-commercial."""

import pytest
from playwright.sync_api import expect

from identities.briefs.validation import validate_creation_request
from identities.services.jobs import job_create
from identities.services.promotion import identity_promote
from tests.browser.test_wizard_flows import log_in
from tests.stylegan import needs_stylegan

pytestmark = pytest.mark.browser


def _job(alice, capture, brief, ar):
    payload = {
        "instructions": [
            {**brief, "num_variations": 1, "options": {"ar": ar, "size": "1K", "format": "png"}}
        ],
        "options": {"model": "auto"},
        "name": "Notes model",
    }
    with capture(execute=True):
        job = job_create(
            account=alice.membership.account,
            user=alice,
            request=validate_creation_request(payload),
        )
    return job


def _open_draft_then_identity(page, app_url, job, alice, capture):
    draft = job.drafts.get()
    log_in(page, app_url, "alice@brand.test")
    page.goto(app_url + f"/jobs/{job.public_id}/")
    page.locator(f"[data-draft-id='{draft.pk}']").get_by_test_id("draft-full-size").click()
    expect(page.get_by_test_id("draft-image")).to_be_visible()
    with capture(execute=True):
        identity, _ = identity_promote(draft=draft, user=alice, name="Noted")
    return identity


def test_a_painted_draft_lists_what_it_did_not_draw(
    page, app_url, alice, settings, django_capture_on_commit_callbacks, shot
):
    settings.CASTLESS_ENABLE_MOBILE_STYLEGAN = False
    brief = {"appearance": {"gender": "male", "age": 35, "height": "190 cm"}}
    job = _job(alice, django_capture_on_commit_callbacks, brief, "3:4")

    identity = _open_draft_then_identity(
        page, app_url, job, alice, django_capture_on_commit_callbacks
    )
    expect(page.get_by_test_id("not-drawn")).to_have_text("Not drawn: appearance.height")
    expect(page.get_by_test_id("non-commercial")).to_have_count(0)
    shot("painted-draft")

    page.goto(app_url + f"/identities/{identity.code}/")
    expect(page.get_by_test_id("not-drawn")).to_have_text("Not drawn: appearance.height")


@needs_stylegan
def test_a_photoreal_draft_and_its_identity_say_non_commercial(
    page, app_url, alice, settings, django_capture_on_commit_callbacks, shot
):
    # Switched on, with no external engine configured: `auto` draws with mobile_stylegan.
    settings.CASTLESS_ENABLE_MOBILE_STYLEGAN = True
    settings.CASTLESS_GEMINI_API_KEY = settings.CASTLESS_SEEDREAM_API_KEY = ""
    settings.CASTLESS_MODELCREATE_API_KEY = ""
    brief = {"appearance": {"gender": "female", "age": 30}, "hair": {"style": "braids"}}
    job = _job(alice, django_capture_on_commit_callbacks, brief, "4:5")

    identity = _open_draft_then_identity(
        page, app_url, job, alice, django_capture_on_commit_callbacks
    )
    expect(page.get_by_test_id("non-commercial")).to_have_text(
        "Photoreal preview, non-commercial weights"
    )
    expect(page.get_by_test_id("not-drawn")).to_contain_text("hair.style: braids")
    expect(page.get_by_test_id("upscaled")).to_contain_text("scaled up 1.09×")
    shot("photoreal-draft")

    page.goto(app_url + f"/identities/{identity.code}/")
    expect(page.get_by_test_id("non-commercial")).to_have_text(
        "Photoreal preview, non-commercial weights"
    )
    expect(page.get_by_test_id("not-drawn")).to_contain_text("hair.style: braids")
    shot("photoreal-identity")
