"""Expert-prompt details the in-house painter can draw are drawn as written.

Left and right are the subject's: the sitter faces the camera, so "her left cheek" is on the
image's right (x > 0 in the painter's face units).
"""

import numpy as np
import pytest

from identities.renderer import brief_from_prompt, build_traits, render_portrait
from identities.renderer.body import Torso
from identities.renderer.geometry import Frame, Outline
from identities.renderer.hair.updo import low_bun
from identities.renderer.palette import srgb_to_lab
from identities.renderer.traits.marks import SUBJECT_LEFT

# Moles are a few pixels across at this size: enough to find, not so many as to be slow.
W, H = 640, 800
SEED = 21
PROMPT = (
    "Portrait of a woman in her thirties with dark brown hair in a low bun, gold hoop earrings, "
    "a mole on her left cheek, beauty marks along the jaw, looking to the side"
)


def render(brief: dict, seed: int = SEED) -> np.ndarray:
    return np.asarray(render_portrait(brief, seed=seed, width=W, height=H).image, np.float32)


def face_units(frame: Frame, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rows, cols = np.nonzero(mask)
    return (cols + 0.5 - frame.cx) / frame.u, (rows + 0.5 - frame.cy) / frame.u


def darker(a: np.ndarray, b: np.ndarray, by: float = 12.0) -> np.ndarray:
    """Where `a` is clearly darker than `b`."""
    return (b.sum(-1) - a.sum(-1)) > by


def test_the_prompt_gives_each_detail_to_its_field():
    brief = brief_from_prompt(PROMPT)
    marks = brief["face"]["marks"]
    for phrase in ("gold hoop earrings", "a mole on her left cheek", "beauty marks along the jaw"):
        assert phrase in marks
    assert "looking to the side" in brief["appearance"]["expression"]
    assert "low bun" in brief["hair"]["style"]
    traits = build_traits(brief, seed=SEED)
    assert traits.hair.updo == "low bun"
    assert dict(traits.marks.metals) == {"ear_hoops": "gold"}
    assert abs(traits.eyes.gaze) > 0.3
    assert len(traits.marks.jaw_moles) >= 2
    assert any(x > 0.3 for x, _, _ in traits.marks.moles)  # the left cheek: image right


@pytest.mark.parametrize(
    ("marks", "metal"),
    [("gold hoop earrings", "gold"), ("silver hoop earrings", "silver")],
)
def test_the_named_metal_is_the_metal_drawn(marks, metal):
    traits = build_traits({"face": {"marks": marks}}, seed=SEED)
    assert dict(traits.marks.metals) == {"ear_hoops": metal}


def test_gold_hoops_are_painted_gold_and_silver_hoops_silver():
    brief = {"appearance": {"gender": "female"}, "hair": {"style": "low bun"}}
    gold = render({**brief, "face": {"marks": "gold hoop earrings"}})
    silver = render({**brief, "face": {"marks": "silver hoop earrings"}})
    hoops = np.abs(gold - silver).sum(-1) > 30
    assert hoops.sum() > 20
    gold_lab = srgb_to_lab(gold[hoops].mean(0) / 255.0)
    silver_lab = srgb_to_lab(silver[hoops].mean(0) / 255.0)
    # Gold: a clear yellow-orange hue; silver: close to grey.
    assert gold_lab[2] > 15 and 50 < np.degrees(np.arctan2(gold_lab[2], gold_lab[1])) < 100
    assert np.hypot(silver_lab[1], silver_lab[2]) < gold_lab[2] - 10


def test_each_mark_goes_to_the_side_its_clause_names():
    marks = (
        "a mole on her left cheek, scar through the right eyebrow, star tattoo on the left temple"
    )
    t = build_traits({"face": {"marks": marks}}, seed=SEED).marks
    assert [np.sign(x) for x, _, _ in t.moles] == [SUBJECT_LEFT]
    assert [np.sign(x) for x, _, _, _ in t.scars] == [-SUBJECT_LEFT]
    assert t.brow_scar == -SUBJECT_LEFT  # the brow's gap is on the scar's side
    assert t.tattoo.side == SUBJECT_LEFT and t.tattoo.place == "temple"


@pytest.mark.parametrize("seed", [3, 21, 40])
def test_a_mole_on_her_left_cheek_is_painted_right_of_the_nose(seed):
    base = {"appearance": {"gender": "female"}}
    left = render({**base, "face": {"marks": "a mole on her left cheek"}}, seed)
    right = render({**base, "face": {"marks": "a mole on her right cheek"}}, seed)
    frame = Frame.for_canvas(W, H)
    x_left, y_left = face_units(frame, darker(left, right))
    x_right, _ = face_units(frame, darker(right, left))
    assert len(x_left) > 4 and len(x_right) > 4
    # (A pixel or two of the other mole's highlight may count as "darker" on the wrong side.)
    assert (x_left > 0.25).mean() > 0.9 and (x_right < -0.25).mean() > 0.9
    assert 0.2 < y_left.mean() < 0.75  # on the cheek, below the eye and above the mouth


def test_beauty_marks_along_the_jaw_sit_on_the_jaw():
    brief = {"appearance": {"gender": "female"}, "face": {"marks": "beauty marks along the jaw"}}
    traits = build_traits(brief, seed=SEED)
    assert len(traits.marks.jaw_moles) == 3 and traits.marks.moles == ()
    marked = render(brief)
    plain = render({**brief, "face": {"marks": "none"}})
    frame = Frame.for_canvas(W, H)
    x, y = face_units(frame, darker(marked, plain))
    assert len(x) > 10
    outline = Outline(traits.shape)
    edge = outline.half_width(y) - np.abs(x)
    # Below the mouth, within a fifth of a face unit inside the jaw's edge.
    assert (y > traits.mouth.y).all()
    assert ((edge > 0) & (edge < 0.2)).all()


def test_a_low_bun_shows_on_both_sides_of_the_neck():
    brief = {"appearance": {"gender": "female"}, "hair": {"color": "dark brown"}}
    bun = {**brief, "hair": {**brief["hair"], "style": "low bun"}}
    back = {**brief, "hair": {**brief["hair"], "style": "slicked back"}}
    traits = build_traits(bun, seed=SEED)
    frame = Frame.for_canvas(W, H)
    outline, torso = Outline(traits.shape), Torso(traits, frame)
    for side in (-1.0, 1.0):
        (cx, cy), (rx, ry) = low_bun(traits, side)
        x, y = np.meshgrid(np.linspace(cx - rx, cx + rx, 81), np.linspace(cy - ry, cy + ry, 41))
        inside = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 0.9
        seen = inside & (outline.signed(x, y) < -0.02) & (torso.signed(x, y) < -0.02)
        # Beside the neck on each side, a visible part of the bun.
        for half in (x < 0, x > 0):
            assert (seen & half).sum() / inside.sum() > 0.05
    difference = np.abs(render(bun) - render(back)).sum(-1)
    changed_left = difference[:, : W // 2][int(frame.cy + 1.0 * frame.u) :].max()
    changed_right = difference[:, W // 2 :][int(frame.cy + 1.0 * frame.u) :].max()
    assert changed_left > 60 and changed_right > 60


@pytest.mark.parametrize(
    ("expression", "direction"),
    [
        ("neutral, looking to her left", SUBJECT_LEFT),
        ("neutral, looking to his right", -SUBJECT_LEFT),
        ("neutral, looking away", 0.0),
    ],
)
def test_an_off_camera_gaze_turns_the_irises(expression, direction):
    gaze = build_traits({"appearance": {"expression": expression}}, seed=SEED).eyes.gaze
    assert abs(gaze) > 0.3
    if direction:
        assert np.sign(gaze) == direction
    assert abs(build_traits({"appearance": {"expression": "neutral"}}, seed=SEED).eyes.gaze) < 0.15


def test_looking_to_her_left_moves_the_painted_irises_to_the_image_right():
    base = {"appearance": {"gender": "female", "expression": "neutral"}}
    ahead = render(base)
    aside = render(
        {"appearance": {**base["appearance"], "expression": "neutral, looking to her left"}}
    )
    frame = Frame.for_canvas(W, H)
    traits = build_traits(base, seed=SEED)
    for side in (-1.0, 1.0):
        cx, _ = frame.px(side * traits.eyes.spacing, 0.0)
        half = traits.eyes.size * frame.u
        window = (
            slice(int(frame.cy - half), int(frame.cy + half)),
            slice(int(cx - 1.5 * half), int(cx + 1.5 * half)),
        )
        went = darker(aside[window], ahead[window])
        left = darker(ahead[window], aside[window])
        shift = np.nonzero(went)[1].mean() - np.nonzero(left)[1].mean()
        assert shift > 0.3 * half  # both irises moved towards the image's right


@pytest.mark.parametrize(
    ("prompt", "heritage_text"),
    [
        ("A woman with curly black hair and a white shirt", "A woman"),
        ("A Black woman with curly black hair", "A Black woman"),
    ],
)
def test_colour_words_of_hair_and_clothes_are_not_read_as_heritage(prompt, heritage_text):
    assert brief_from_prompt(prompt)["appearance"]["ethnicity"] == heritage_text
