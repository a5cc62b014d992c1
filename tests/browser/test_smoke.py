"""QA script: a new brand signs up, finds an empty library, creates an API token and uses it."""

import httpx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_new_brand_signs_up_and_calls_the_api_with_a_fresh_token(page, app_url, shot):
    # Open the sign-up page and create a workspace.
    page.goto(app_url + "/accounts/signup/")
    page.get_by_label("E-mail").fill("qa@newbrand.test")
    page.get_by_label("Brand or workspace name").fill("New Brand")
    page.get_by_label("Password").fill("qa-password-2026")
    page.get_by_role("button", name="Create account").click()

    # Sign-up leads to the login page with the e-mail filled in: log in with the new password.
    expect(page.get_by_label("E-mail")).not_to_have_value("")
    page.get_by_label("Password").fill("qa-password-2026")
    page.get_by_role("button", name="Log in").click()

    # Land on the Identities page, which is empty for a new workspace.
    expect(page.get_by_role("heading", name="Identities", level=1)).to_be_visible()
    expect(page.get_by_test_id("library-empty")).to_contain_text("Your library is empty")
    expect(page.get_by_test_id("nav-balance")).to_have_text("60")
    shot("empty-library")

    # Open Settings and create a token named "QA".
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Token name").fill("QA")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_test_id("new-token")).to_contain_text("Copy it now")
    token = page.get_by_test_id("new-token-value").input_value()
    assert token.startswith("cl_")
    shot("token-created")

    # The token works against the API and acts as the new workspace.
    response = httpx.get(app_url + "/api/v2/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["account"] == "New Brand"

    # After a reload the secret is gone; only its prefix is listed.
    page.reload()
    expect(page.get_by_test_id("token-table")).to_contain_text(token[:10])
    expect(page.get_by_test_id("new-token")).to_have_count(0)


def test_wrong_password_is_explained_on_the_login_page(page, app_url):
    page.goto(app_url + "/accounts/login/")
    page.get_by_label("E-mail").fill("nobody@nowhere.test")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".form-errors")).to_contain_text("correct e-mail and password")
