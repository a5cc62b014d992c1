"""From Image outlines the face it read on the photo: on a group photo, which person it used."""

from pathlib import Path

import insightface
import pytest
from PIL import Image

from identities.faces import get_face_analyzer
from identities.services.uploads import asset_upload
from tests.html import select_one, text_of
from tests.wizard.test_views_extract import HX, brief, key, photo, url  # noqa: F401

pytestmark = pytest.mark.django_db

T1 = Path(insightface.__file__).parent / "data" / "images" / "t1.jpg"


def test_the_panel_outlines_the_face_it_read(alice_client, brief, key, photo):  # noqa: F811
    response = alice_client.post(url(brief, key, "image"), {"file_id": photo.file_id}, **HX)
    assert response.status_code == 200
    svg = select_one(response, "[data-testid=extract-result] [data-testid=extract-face] svg")
    assert svg["viewbox"] == "0 0 768 768"
    assert svg.select_one("image")["href"]
    box = select_one(response, "[data-testid=extract-face-box]")
    x, y, w, h = (int(box[name]) for name in ("x", "y", "width", "height"))
    assert 0 <= x < x + w <= 768 and 0 <= y < y + h <= 768 and w > 100
    assert "style" not in box.attrs


def test_on_a_group_photo_the_outline_is_the_largest_face(alice, alice_client, brief, key):  # noqa: F811
    data = T1.read_bytes()
    group = asset_upload(account=alice.membership.account, user=alice, filename="t1.jpg", data=data)
    response = alice_client.post(url(brief, key, "image"), {"file_id": group.file_id}, **HX)
    assert response.status_code == 200
    image = Image.open(T1).convert("RGB")
    largest = get_face_analyzer().detect(image)[0]
    box = select_one(response, "[data-testid=extract-face-box]")
    centre_x = int(box["x"]) + int(box["width"]) / 2
    centre_y = int(box["y"]) + int(box["height"]) / 2
    x1, y1, x2, y2 = largest.bbox
    assert x1 <= centre_x <= x2 and y1 <= centre_y <= y2
    assert "faces found; used the largest" in text_of(response, "[data-testid=extract-notes]")
