"""QA scripts for the library and the identity page: delete lands back in the library with a
confirmation, "Your identities" stand apart from the catalog (locked tiers last), a bad age
range explains itself without losing the search, rename through a visible button, and the
identity page at phone width."""

import pytest
from playwright.sync_api import expect

from identities.models import Identity
from identities.services.library import catalog_publish
from identities.services.promotion import identity_promote
from tests.browser.test_wizard_flows import log_in
from tests.pipeline import run_job

pytestmark = pytest.mark.browser


def _identities(user, names, capture):
    job = run_job(user.membership.account, capture=capture, variations=len(names))
    made = {}
    with capture(execute=True):
        for draft, name in zip(job.drafts.order_by("variation"), names, strict=True):
            made[name] = identity_promote(draft=draft, user=user, name=name)[0]
    return made


def test_deleting_an_identity_returns_to_the_library_with_a_confirmation(
    page, app_url, alice, django_capture_on_commit_callbacks, shot
):
    made = _identities(alice, ["Astrid", "Bea"], django_capture_on_commit_callbacks)
    log_in(page, app_url, "alice@brand.test")
    grid = page.get_by_test_id("section-mine")
    expect(grid.locator(".identity-name", has_text="Bea")).to_be_visible()

    # Open Bea, press Delete and confirm the browser's dialog.
    grid.get_by_role("link", name="Bea").click()
    expect(page.get_by_role("heading", name="Bea", level=1)).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("delete-identity").click()

    # The browser is back on the library (a real navigation, not a swap inside the card).
    page.wait_for_url(app_url + "/")
    expect(page.get_by_role("heading", name="Identities", level=1)).to_be_visible()
    expect(page.locator(".messages")).to_have_text("Deleted “Bea”. Its slot is free again.")
    expect(page.locator(".identity-name", has_text="Bea")).to_have_count(0)
    expect(page.locator(".identity-name", has_text="Astrid")).to_be_visible()
    expect(page.get_by_test_id("delete-identity")).to_have_count(0)
    shot("after-delete")
    assert Identity.objects.get(pk=made["Bea"].pk).deleted_at is not None


def test_a_free_account_sees_its_own_then_usable_catalog_then_locked_tiers(
    page, app_url, alice, charlie, django_capture_on_commit_callbacks, shot
):
    made = _identities(alice, ["Cato", "Dana"], django_capture_on_commit_callbacks)
    catalog_publish(identity=Identity.objects.get(pk=made["Cato"].pk), tier="pro")
    catalog_publish(identity=Identity.objects.get(pk=made["Dana"].pk), tier="free")
    log_in(page, app_url, "charlie@other.test")

    sections = page.locator(".library-section")
    expect(sections).to_have_count(3)
    expect(sections.nth(0).get_by_role("heading", level=2)).to_have_text("Your identities")
    expect(sections.nth(0).get_by_test_id("library-empty")).to_be_visible()
    expect(sections.nth(1).get_by_role("heading", level=2)).to_have_text("Catalog")
    expect(sections.nth(1).locator(".identity-name")).to_have_text(["Dana"])
    expect(sections.nth(2).get_by_role("heading", level=2)).to_contain_text("above your plan")
    expect(sections.nth(2).locator(".identity-card.is-locked")).to_have_count(1)
    expect(sections.nth(2)).to_contain_text("Locked")
    expect(page.get_by_test_id("library-no-match")).to_have_count(0)
    shot("sections")

    # Search, then an impossible age range: the error shows, the search stays applied.
    page.get_by_label("Search").fill("da")
    expect(page.locator(".identity-name")).to_have_text(["Dana"])
    page.get_by_label("Age from").fill("40")
    page.get_by_label("Age to").fill("20")
    page.get_by_label("Age to").press("Enter")
    expect(page.get_by_test_id("filter-error")).to_contain_text("must be at least")
    expect(page.get_by_label("Search")).to_have_value("da")
    expect(page.locator(".identity-name")).to_have_text(["Dana"])
    expect(page.get_by_test_id("library-empty")).to_have_count(0)
    shot("bad-age-range")

    # Reloading the pushed URL keeps the error, the search and the filters.
    page.reload()
    expect(page.get_by_test_id("filter-error")).to_contain_text("must be at least")
    expect(page.get_by_label("Search")).to_have_value("da")
    expect(page.get_by_label("Age from")).to_have_value("40")


def test_rename_through_the_visible_button_and_the_page_fits_a_phone(
    page, app_url, alice, django_capture_on_commit_callbacks, shot
):
    made = _identities(alice, ["Astrid"], django_capture_on_commit_callbacks)
    log_in(page, app_url, "alice@brand.test")
    page.goto(app_url + f"/identities/{made['Astrid'].code}/")
    expect(page.get_by_role("heading", name="Astrid", level=1)).to_be_visible()
    expect(page.get_by_label("New name")).to_be_hidden()

    # The brief reads in the wizard's order: Appearance, Face, Hair.
    expect(page.locator(".brief-group")).to_have_text(["Appearance", "Face", "Hair"])
    expect(page.get_by_test_id("brief").locator("dt").first).to_have_text("Gender")
    shot("detail-desktop")

    page.get_by_role("button", name="Rename").click()
    expect(page.get_by_label("New name")).to_be_focused()
    page.get_by_label("New name").fill("Astrid Nord")
    page.get_by_label("New name").press("Enter")
    expect(page.get_by_role("heading", name="Astrid Nord", level=1)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    assert Identity.objects.get(pk=made["Astrid"].pk).name == "Astrid Nord"

    # At 390 px the page scrolls down, never sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("heading", name="Astrid Nord", level=1)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the identity page is {width}px wide at 390px"
    shot("detail-390")
