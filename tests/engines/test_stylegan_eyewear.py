"""`mobile_stylegan` and dark lenses: a fashion headshot shows the eyes, so a render whose eyes
are behind sunglasses is replaced by the next-ranked candidate."""

import numpy as np
import pytest

from identities.engines.stylegan import draw
from identities.engines.stylegan.labels import eyes_behind_dark_lenses, read_labels
from tests.stylegan import needs_stylegan

SKIN_L = 70.0  # a light-medium skin's L*


def _pixels(*colours_and_counts) -> np.ndarray:
    return np.concatenate(
        [
            np.tile(np.array(colour, dtype=np.uint8), (count, 1))
            for colour, count in colours_and_counts
        ]
    )


def test_an_eye_opening_that_is_all_dark_lens_is_hidden():
    assert eyes_behind_dark_lenses(_pixels(((18, 18, 22), 180), ((30, 28, 30), 20)), SKIN_L)


def test_an_open_eye_with_its_whites_or_a_catchlight_is_not():
    iris_and_lashes = ((40, 30, 25), 150)
    assert not eyes_behind_dark_lenses(_pixels(iris_and_lashes, ((225, 220, 215), 50)), SKIN_L)
    # A deep-set eye in shade: dark, but its whites still read at a fifth of the skin.
    assert not eyes_behind_dark_lenses(_pixels(iris_and_lashes, ((70, 66, 62), 30)), SKIN_L)


def test_too_few_pixels_to_tell_is_not_hidden():
    assert not eyes_behind_dark_lenses(_pixels(((18, 18, 22), 5)), SKIN_L)


@pytest.fixture
def lenses_on(monkeypatch):
    """The real readers, with dark lenses reported on the first `count` renders."""
    calls = []

    def install(count: int):
        def reading(pixels):
            labels = read_labels(pixels)
            calls.append(labels)
            labels.eyes_hidden = len(calls) <= count
            return labels

        monkeypatch.setattr(draw, "read_labels", reading)
        return calls

    return install


BRIEF = {"appearance": {"gender": "female", "age": "30"}}


@needs_stylegan
def test_a_render_with_hidden_eyes_is_replaced_by_the_next_candidate(lenses_on):
    calls = lenses_on(1)
    drawn = draw.draw_draft(BRIEF, seed=5, variation=0, candidates=2000, max_renders=2)
    assert len(calls) == 2
    assert drawn.details["search"]["rank"] == 1
    assert drawn.details["read"]["eyes_hidden"] is False


@needs_stylegan
def test_when_every_render_hides_the_eyes_the_first_is_kept(lenses_on):
    calls = lenses_on(2)
    drawn = draw.draw_draft(BRIEF, seed=5, variation=0, candidates=2000, max_renders=2)
    assert len(calls) == 2
    assert drawn.details["search"]["rank"] == 0
    assert drawn.details["read"]["eyes_hidden"] is True
