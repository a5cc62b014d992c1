"""The in-house portrait painter: deterministic, varied, and honouring every field it can draw."""

import numpy as np
import pytest

from bench.lib.samples import depictable_fields
from identities.briefs.vocabulary import FIELDS
from identities.renderer import NOT_DEPICTED, brief_from_prompt, build_traits, render_portrait
from identities.renderer.words import parse_age

# Small canvases keep the vocabulary sweep fast; every feature is still several pixels wide.
W, H = 240, 300


def pixels(brief, *, seed=11, variation=0, width=W, height=H) -> np.ndarray:
    image = render_portrait(brief, seed=seed, variation=variation, width=width, height=height)
    return np.asarray(image.image, dtype=np.int16)


def test_same_brief_seed_and_variation_paint_identical_pixels():
    brief = {"appearance": {"gender": "female", "age": 31}, "hair": {"style": "curly"}}
    assert np.array_equal(pixels(brief, seed=5, variation=2), pixels(brief, seed=5, variation=2))


def test_each_variation_is_a_visibly_different_face():
    brief = {"appearance": {"gender": "male", "ethnicity": "South Asian"}}
    faces = [pixels(brief, seed=5, variation=v) for v in range(3)]
    for a, b in ((0, 1), (1, 2), (0, 2)):
        assert np.abs(faces[a] - faces[b]).mean() > 2.0


def test_variations_keep_every_stated_field():
    brief = {
        "appearance": {"gender": "female", "age": "late twenties"},
        "face": {"facial_hair": "full beard", "eyes": "green"},
        "hair": {"color": "auburn", "length": "long", "style": "wavy"},
    }
    traits = [build_traits(brief, seed=9, variation=v) for v in range(4)]
    assert len({t.mouth.width for t in traits}) == 4
    for t in traits:
        assert t.person.femininity > 0.8
        assert 25 <= t.person.age <= 31
        assert t.facial_hair.beard > 0.8
        assert t.eyes.iris[1] > t.eyes.iris[0]  # green: more green than red
        assert t.hair.length > 3.0
        assert 0.2 < t.hair.curl < 0.45


def test_the_seed_changes_the_face():
    assert not np.array_equal(pixels({}, seed=1), pixels({}, seed=2))


@pytest.fixture(scope="module")
def blank() -> np.ndarray:
    return pixels({})


@pytest.mark.parametrize(("group", "name", "chips"), depictable_fields(), ids=lambda v: str(v))
def test_every_chip_of_a_depictable_field_changes_the_portrait(group, name, chips, blank):
    unchanged = [chip for chip in chips if np.array_equal(pixels({group: {name: chip}}), blank)]
    assert unchanged == []


def test_the_vocabulary_sweep_covers_every_field_but_height_and_size():
    swept = {f"{group}.{name}" for group, name, _ in depictable_fields()}
    assert swept | set(NOT_DEPICTED) == {field.path for field in FIELDS}
    assert set(NOT_DEPICTED) == {"appearance.height", "appearance.size"}


def test_height_and_size_are_recorded_as_not_depicted():
    portrait = render_portrait(
        {"appearance": {"height": "178 cm", "size": "M", "gender": "male"}},
        seed=3,
        width=W,
        height=H,
    )
    assert portrait.details["not_depicted"] == ["appearance.height", "appearance.size"]
    assert portrait.details["drawn"]["gender"] == "male"


@pytest.mark.parametrize(
    ("brief", "check"),
    [
        ({"hair": {"color": "jet-black"}}, lambda t: max(t.hair.color) < 0.01),
        ({"hair": {"color": "ash blonde"}}, lambda t: min(t.hair.color) > 0.25),
        ({"hair": {"length": "shoulder-length"}}, lambda t: 2.0 < t.hair.length < 2.9),
        ({"hair": {"length": "buzz cut"}}, lambda t: 0.2 < t.hair.cover < 0.5),
        ({"hair": {"style": "curly"}}, lambda t: 0.5 < t.hair.curl < 0.75),
        ({"face": {"eyes": "pale blue"}}, lambda t: t.eyes.iris[2] > t.eyes.iris[0]),
        ({"face": {"facial_hair": "stubble"}}, lambda t: t.facial_hair.stubble > 0.4),
        ({"face": {"facial_hair": "no beard, clean-shaven"}}, lambda t: t.facial_hair.beard == 0),
        ({"face": {"marks": "septum ring and a mole"}}, lambda t: "septum" in t.marks.piercings),
        ({"face": {"marks": "nose ring"}}, lambda t: t.marks.piercings == {"nose_ring"}),
        ({"face": {"marks": "scar on cheek"}}, lambda t: len(t.marks.scars) == 1),
        ({"face": {"makeup": "no makeup"}}, lambda t: t.makeup.bare > 0.9),
        ({"appearance": {"skin": "ebony"}}, lambda t: t.skin.depth > 0.9),
        ({"appearance": {"age": "in her forties"}}, lambda t: 42 < t.person.age < 48),
    ],
)
def test_free_text_is_read_by_keyword(brief, check):
    assert check(build_traits(brief, seed=4))


def test_a_tattoo_goes_where_its_own_clause_says():
    traits = build_traits({"face": {"marks": "mole on cheek, small star tattoo on neck"}}, seed=1)
    assert (traits.marks.tattoo.motif, traits.marks.tattoo.place) == ("star", "neck")


@pytest.mark.parametrize(
    ("value", "years"),
    [
        (28, 28),
        ("28", 28),
        ("25-30", 27.5),
        ("early 30s", 31.5),
        ("late twenties", 28),
        ("senior", 68),
    ],
)
def test_age_is_read_from_numbers_and_words(value, years):
    assert parse_age(value) == years


def test_odd_values_and_unknown_words_still_paint_a_portrait():
    brief = {
        "appearance": {"gender": None, "age": "ageless", "build": ["slim"], "skin": 42},
        "face": {"eyes": "kaleidoscopic", "marks": {"nested": True}},
        "hair": "not a group",
        "camera": {"lens": "85mm"},
    }
    portrait = render_portrait(brief, seed=8, width=W, height=H)
    assert portrait.image.size == (W, H)


def test_face_skin_is_read_as_the_skin_tone():
    assert build_traits({"face": {"skin": "deep"}}, seed=1).skin.depth > 0.8


def test_an_expert_prompt_gives_each_field_its_own_clauses():
    brief = brief_from_prompt("A 34 year old woman with long red hair, green eyes and freckles")
    assert brief["hair"]["color"] == "long red hair"
    assert brief["face"]["eyes"] == "green eyes"
    assert "freckles" in brief["face"]["marks"]
    assert brief["appearance"]["age"] == "34 year"
    traits = build_traits(brief, seed=2)
    assert traits.person.femininity > 0.8 and traits.marks.freckles > 0
