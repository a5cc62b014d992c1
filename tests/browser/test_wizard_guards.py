"""QA script: the Create wizard's guards see through disguised names and minors.

A tester types a real person's name spelled with look-alike letters or leetspeak, and a brief that
asks for a teenager without saying "teen"; the field says what it refused, and Generate refuses
it too.
"""

import re

import pytest
from playwright.sync_api import expect

from identities.models import BlockedTerm, Job
from tests.browser.test_wizard_flows import field, log_in, open_wizard

pytestmark = pytest.mark.browser


def test_a_disguised_name_is_refused_with_the_term_as_listed(page, app_url, alice, shot):
    BlockedTerm.objects.get_or_create(normalized="taylor swift", defaults={"term": "Taylor Swift"})
    log_in(page, app_url, "alice@brand.test")
    instruction = open_wizard(page, app_url)

    # A Cyrillic "а" and leetspeak: the field still names the person as the list has it.
    marks = instruction.get_by_label("Distinguishing marks", exact=True)
    marks.fill("freckles like T\u0430yl0r Sw1ft")
    expect(field(instruction, "Distinguishing marks").locator(".error")).to_have_text(
        'Names of real people are not allowed: "Taylor Swift"'
    )
    shot("disguised-name-field")

    page.get_by_role("link", name="Continue to review").first.click()
    page.get_by_role("button", name=re.compile("^Generate")).click()
    expect(page.get_by_test_id("blocked-term")).to_have_text("Taylor Swift")
    shot("disguised-name-generate")
    assert not Job.objects.exists()


def test_a_minor_described_without_the_word_teen_is_refused_naming_the_phrase(
    page, app_url, alice, shot
):
    log_in(page, app_url, "alice@brand.test")
    instruction = open_wizard(page, app_url)

    marks = instruction.get_by_label("Distinguishing marks", exact=True)
    marks.fill("looks like a girl of 16 with braces")
    expect(field(instruction, "Distinguishing marks").locator(".error")).to_have_text(
        'Describe an adult: we never generate anyone under 18: "girl of 16"'
    )
    shot("minor-phrase-field")

    page.get_by_role("link", name="Continue to review").first.click()
    expect(page.get_by_test_id("brief-problems")).to_contain_text("Face › Distinguishing marks")
    page.get_by_role("button", name=re.compile("^Generate")).click()
    expect(page.get_by_test_id("dispatch-error")).to_contain_text("Some fields need attention")
    expect(page.get_by_test_id("brief-problems")).to_contain_text('"girl of 16"')
    shot("minor-phrase-generate")
    assert not Job.objects.exists()
