"""QA script for the look-alike check: promoting a draft whose face is already one of the
workspace's identities shows both faces side by side and needs an explicit confirmation."""

import re

import pytest
from playwright.sync_api import expect

from identities.models import Draft, Identity
from identities.services.promotion import identity_promote
from tests.browser.test_wizard_flows import log_in
from tests.pipeline import run_job

pytestmark = pytest.mark.browser


@pytest.fixture
def job(alice, django_capture_on_commit_callbacks):
    """A two-draft job whose first draft is the identity "Ines" (preprocessed, so it has a
    face embedding) and whose second draft shows the very same face."""
    job = run_job(
        alice.membership.account,
        capture=django_capture_on_commit_callbacks,
        variations=2,
        name="Autumn lookbook",
    )
    first, second = job.drafts.order_by("variation")
    with django_capture_on_commit_callbacks(execute=True):
        identity_promote(draft=first, user=alice, name="Ines")
    assert Identity.objects.get(name="Ines").embedding is not None
    Draft.objects.filter(pk=second.pk).update(image=first.image.name)
    return job


def test_promoting_a_lookalike_shows_both_faces_and_needs_a_confirmation(
    page, app_url, alice, job, shot
):
    log_in(page, app_url, "alice@brand.test")
    page.goto(app_url + f"/jobs/{job.public_id}/")
    second = page.get_by_test_id("draft").nth(1)
    second.get_by_role("link", name="Promote…").click()

    # The panel warns before anything is charged: this face is Ines, side by side.
    warning = second.get_by_test_id("lookalike-warning")
    expect(warning).to_be_visible()
    expect(warning.get_by_role("heading")).to_have_text("This face looks like Ines")
    expect(warning.get_by_test_id("lookalike-words")).to_have_text(
        "almost certainly the same person"
    )
    expect(warning.get_by_role("img", name="This draft")).to_be_visible()
    expect(warning.get_by_role("img", name="Ines")).to_be_visible()
    expect(warning.get_by_role("img", name="Ines")).to_have_js_property("complete", True)
    shot("lookalike")

    # Promoting without ticking the box does not go through.
    second.get_by_label("Identity name").fill("Maren")
    second.get_by_role("button", name=re.compile("^Promote")).click()
    expect(warning.get_by_test_id("lookalike-confirm")).to_be_visible()
    assert not Identity.objects.filter(name="Maren").exists()

    # Ticking it says "I mean to keep both faces": the promotion goes ahead.
    second.get_by_label("Promote it anyway: I mean to keep both faces").check()
    second.get_by_role("button", name=re.compile("^Promote")).click()
    expect(second.get_by_test_id("identity-status")).to_contain_text("Ready")
    shot("promoted")
    assert Identity.objects.filter(name="Maren", source_draft__job=job).exists()
