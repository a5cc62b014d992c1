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
def readings(monkeypatch):
    """The real readers, with `attribute` set to `first` on the first `count` renders and to
    `then` (unless None) on the others; the readings made, in order."""
    calls = []

    def install(count: int, attribute: str, first, then=None):
        def reading(pixels):
            labels = read_labels(pixels)
            calls.append(labels)
            if len(calls) <= count or then is not None:
                setattr(labels, attribute, first if len(calls) <= count else then)
            return labels

        monkeypatch.setattr(draw, "read_labels", reading)
        return calls

    return install


@pytest.fixture
def lenses_on(readings):
    """Dark lenses reported on the first `count` renders, bare eyes on the others."""
    return lambda count: readings(count, "eyes_hidden", True, then=False)


@pytest.fixture
def faces_missing(readings):
    """No face reported on the first `count` renders."""
    return lambda count: readings(count, "faces", 0)


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


@needs_stylegan
def test_renders_go_on_past_the_eyewear_budget_until_one_shows_a_face(faces_missing):
    calls = faces_missing(2)
    drawn = draw.draw_draft(
        BRIEF, seed=5, variation=0, candidates=2000, max_renders=2, face_renders=4
    )
    assert len(calls) == 3
    assert drawn.details["search"]["rank"] == 2
    assert drawn.details["read"]["faces"] == 1


@needs_stylegan
def test_the_face_budget_ends_the_search_and_the_first_render_is_kept(faces_missing):
    calls = faces_missing(4)
    drawn = draw.draw_draft(
        BRIEF, seed=5, variation=0, candidates=2000, max_renders=2, face_renders=4
    )
    assert len(calls) == 4
    assert drawn.details["search"]["rank"] == 0


@needs_stylegan
def test_hidden_eyes_alone_do_not_use_the_face_budget(lenses_on):
    calls = lenses_on(4)
    drawn = draw.draw_draft(
        BRIEF, seed=5, variation=0, candidates=2000, max_renders=2, face_renders=4
    )
    assert len(calls) == 2
    assert drawn.details["read"]["eyes_hidden"] is True
