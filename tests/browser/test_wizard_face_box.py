"""QA script: From Image on a group photo outlines the face it read, so the tester sees which
person the filled fields describe."""

import re
from pathlib import Path

import insightface
import pytest
from playwright.sync_api import expect

from tests.browser.test_wizard_flows import log_in, open_wizard

pytestmark = pytest.mark.browser

T1 = Path(insightface.__file__).parent / "data" / "images" / "t1.jpg"


def test_from_image_outlines_the_face_it_read_on_a_group_photo(page, app_url, alice, shot):
    log_in(page, app_url, "alice@brand.test")
    instruction = open_wizard(page, app_url)
    instruction.get_by_role("link", name=re.compile("^From Image")).click()

    # A photo of six people: the panel reads the largest face and says so.
    page.get_by_label("Upload a photo").set_input_files(T1)
    page.get_by_role("button", name="Read the photo · 1 credit").click()
    expect(page.get_by_test_id("extract-notes")).to_contain_text("6 faces found; used the largest")

    # The photo is shown with that face outlined, inside the picture.
    photo = page.get_by_role("img", name="The photo, with the face that was read outlined")
    expect(photo).to_be_visible()
    outline = page.get_by_test_id("extract-face-box")
    expect(outline).to_be_visible()
    frame, box = photo.bounding_box(), outline.bounding_box()
    assert box["width"] > 10 and box["height"] > 10
    assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
    assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"] + 1
    assert outline.evaluate("el => getComputedStyle(el).stroke") != "none"
    expect(page.get_by_test_id("extract-face")).to_contain_text(
        "Outlined: the face the fields were read from"
    )
    shot("face-box")
