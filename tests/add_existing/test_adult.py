"""The adult estimate (identities/faces/adult.py) on faces that ship in packages."""

import pytest

from identities.faces.adult import ADULT_MARGIN_YEARS, AgeUnreadable, adult_estimate
from tests.add_existing import photos
from tests.stylegan import needs_stylegan


def test_an_adult_reads_above_the_margin_from_bytes_or_an_image():
    from_bytes = adult_estimate(photos.jpeg(photos.astronaut_close_up()))
    from_image = adult_estimate(photos.hanks_close_up())
    assert from_bytes.adult and from_bytes.years >= ADULT_MARGIN_YEARS
    assert from_image.adult and from_image.margin == ADULT_MARGIN_YEARS


def test_no_face_cannot_be_read():
    with pytest.raises(AgeUnreadable):
        adult_estimate(photos.blank())


def test_a_face_under_64_px_cannot_be_read():
    small = photos.astronaut().resize((160, 160))
    with pytest.raises(AgeUnreadable, match="too small"):
        adult_estimate(small)


@needs_stylegan
def test_a_child_reads_below_the_margin():
    estimate = adult_estimate(photos.child_close_up())
    assert not estimate.adult
    assert estimate.years < 18
