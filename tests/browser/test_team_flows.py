"""QA script: an owner invites a colleague from Settings; the colleague signs up through the
link, joins the owner's workspace, and switches between it and their own."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page, email: str, password: str) -> None:
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_owner_invites_a_colleague_who_signs_up_joins_and_switches(
    page, browser, app_url, alice, shot, request
):
    # The owner logs in and opens Settings.
    page.goto(app_url + "/accounts/login/")
    _log_in(page, "alice@brand.test", PASSWORD)
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_test_id("members")).to_contain_text("alice@brand.test")

    # She creates an invitation link for her colleague and copies it.
    page.get_by_label("Colleague's e-mail").fill("dana@brand.test")
    page.get_by_role("button", name="Create invitation link").click()
    expect(page.get_by_test_id("new-invitation")).to_contain_text("Copy this link")
    page.get_by_test_id("copy-invite").click()
    link = page.get_by_test_id("invite-link").input_value()
    assert "/accounts/invite/" in link
    expect(page.get_by_test_id("invitations")).to_contain_text("dana@brand.test")
    shot("owner-invitation-created")

    # The colleague opens the link in another browser (no shared cookies) and signs up.
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    colleague = other.new_page()

    def colleague_shot(name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}--{name}.png"
        colleague.screenshot(path=str(path), full_page=True)

    colleague.goto(link)
    expect(colleague.get_by_role("heading", name="Join Alice Studio")).to_be_visible()
    colleague_shot("invitation-signed-out")
    colleague.get_by_role("link", name="Sign up to join").click()
    colleague.get_by_label("E-mail").fill("dana@brand.test")
    colleague.get_by_label("Brand or workspace name").fill("Dana Freelance")
    colleague.get_by_label("Password").fill("dana-password-2026")
    colleague.get_by_role("button", name="Create account").click()

    # Sign-up leads to the login page as always; logging in returns to the invitation.
    expect(colleague.get_by_label("E-mail")).to_have_value("dana@brand.test")
    colleague.get_by_label("Password").fill("dana-password-2026")
    colleague.get_by_role("button", name="Log in").click()
    join = colleague.get_by_role("button", name="Join Alice Studio as dana@brand.test")
    expect(join).to_be_visible()
    colleague_shot("invitation-signed-in")
    join.click()

    # She lands in the owner's workspace library.
    expect(colleague.get_by_role("heading", name="Identities", level=1)).to_be_visible()
    expect(colleague.locator(".messages")).to_contain_text("You joined Alice Studio")
    expect(colleague.locator(".whoami")).to_contain_text("Alice Studio")
    colleague_shot("joined-library")

    # In Settings she is a member: no plan facts, no invitation form, no token form.
    colleague.get_by_role("link", name="Settings").click()
    expect(colleague.get_by_test_id("my-role")).to_have_text("Member")
    expect(colleague.get_by_test_id("plan-facts")).to_have_count(0)
    expect(colleague.get_by_role("button", name="Create invitation link")).to_have_count(0)
    colleague_shot("member-settings")

    # Credits are the owner's business.
    colleague.goto(app_url + "/accounts/credits/")
    expect(colleague.get_by_test_id("forbidden")).to_contain_text("Only a workspace owner")

    # She switches to her own workspace, where she is the owner again.
    colleague.goto(app_url + "/accounts/settings/")
    colleague.locator("main").get_by_label("Switch workspace").select_option(
        label="Dana Freelance (owner)"
    )
    colleague.get_by_role("button", name="Switch").click()
    expect(colleague.locator(".messages")).to_contain_text("Switched to Dana Freelance")
    expect(colleague.get_by_role("heading", name="Identities", level=1)).to_be_visible()
    expect(colleague.locator(".whoami")).to_contain_text("Dana Freelance")
    colleague.get_by_role("link", name="Settings").click()
    expect(colleague.get_by_test_id("my-role")).to_have_text("Owner")
    colleague_shot("switched-own-workspace")

    # The owner sees her new member after a reload, and the link cannot be used again.
    page.reload()
    expect(page.get_by_test_id("members")).to_contain_text("dana@brand.test")
    shot("owner-sees-member")
    other.close()
    reuse = browser.new_context().new_page()
    reuse.goto(link)
    expect(reuse.get_by_test_id("invitation")).to_contain_text("already used")
    reuse.context.close()
