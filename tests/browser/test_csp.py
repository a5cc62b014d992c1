"""QA script: the pages work under their Content-Security-Policy. The browser reports every
refused script, style or eval as a `securitypolicyviolation` event and a console error; none
may fire while a user clicks through the library, the wizard (htmx round-trips), the settings
(copying a new token) and the API docs."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_wizard_flows import chip, log_in, open_wizard

pytestmark = pytest.mark.browser

# Runs in every document before its own scripts (Playwright injects it outside the policy).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") + " at " +
    event.sourceFile + ":" + event.lineNumber
  );
});
"""


class Watch:
    """Console messages and policy violations of every page the test opens."""

    def __init__(self, page: Page):
        self.page = page
        self.console: list[str] = []
        self.violations: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))

    def _console(self, message) -> None:
        # The site has no favicon; the browser's request for one is not the page's doing.
        if message.location.get("url", "").endswith("/favicon.ico"):
            return
        if message.type in ("error", "warning"):
            self.console.append(f"{message.type}: {message.text} ({message.location.get('url')})")

    def collect(self) -> None:
        """Take the current document's violations (call before leaving a page)."""
        self.violations += self.page.evaluate("window.__violations || []")
        self.page.evaluate("window.__violations = []")

    def assert_clean(self) -> None:
        self.collect()
        assert self.violations == []
        assert self.console == []


def test_library_wizard_and_settings_work_under_the_policy(page, app_url, alice, shot):
    watch = Watch(page)
    log_in(page, app_url, "alice@brand.test")
    header = page.request.get(app_url + "/").headers["content-security-policy"]
    assert "script-src 'self'" in header and "style-src 'self'" in header
    watch.collect()

    # The wizard: a chip click is an htmx request whose answer is swapped in.
    instruction = open_wizard(page, app_url)
    chip(instruction, "Gender", "female").click()
    expect(instruction.get_by_label("Gender", exact=True)).to_have_value("female")
    expect(chip(instruction, "Gender", "female")).to_have_attribute("aria-pressed", "true")
    chip(instruction, "Hair colour", "auburn").click()
    expect(instruction.get_by_label("Hair colour", exact=True)).to_have_value("auburn")
    # The wizard's own script runs too: the chip group became a toolbar.
    expect(instruction.locator(".chips").first).to_have_attribute("role", "toolbar")
    shot("wizard")
    watch.collect()

    # Settings: create a token (htmx) and copy it (app.js, no inline handler).
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(app_url + "/accounts/settings/")
    page.get_by_label("Token name").fill("CSP check")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_test_id("new-token")).to_contain_text("Copy it now")
    token = page.get_by_test_id("new-token-value").input_value()
    page.get_by_test_id("copy-token").click()
    expect(page.get_by_test_id("copy-token")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == token
    shot("token-copied")

    # Back to the library.
    page.get_by_role("link", name="Identities").first.click()
    expect(page.get_by_role("heading", name="Identities", level=1)).to_be_visible()
    watch.assert_clean()


def test_the_api_docs_render_under_the_page_policy(page, app_url, reference_data):
    watch = Watch(page)
    page.goto(app_url + "/api/v2/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Castless API")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.get_by_text(re.compile("/api/v2/me"))).not_to_have_count(0)
    watch.assert_clean()
