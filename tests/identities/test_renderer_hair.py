"""The in-house painter never paints a bald or shaved head when a brief asks for hair."""

import numpy as np
import pytest

from identities.briefs.vocabulary import FIELDS
from identities.renderer import build_traits
from identities.renderer.geometry import Outline
from identities.renderer.hair import HairShape
from identities.renderer.traits.model import Dice

SEEDS = range(40)
# Lengths that ask for the scalp to show; every other hair chip asks for hair.
SHAVED_CHIPS = {"shaved", "buzz cut"}


def hair_chips() -> list[tuple[str, str]]:
    return [
        (field.name, chip.value)
        for field in FIELDS
        if field.group == "hair"
        for chip in field.chips
        if chip.value not in SHAVED_CHIPS
    ]


def scalp_covered(brief: dict, seed: int) -> float:
    """The share of the top of the skull under the hair mass, measured on the painter's own
    hair silhouette and window (the mask `paint_hair` paints through), zero when the hair is
    only a shaved or buzzed stipple."""
    traits = build_traits(brief, seed=seed)
    if traits.hair.cover < 0.9:
        return 0.0
    outline = Outline(traits.shape)
    hair = HairShape(traits, outline, traits.shape.neck, Dice(seed, 0).rng("paint.hairline"))
    # The top of the head, from the crown down 0.3 face units: above any receding hairline.
    x, y = np.meshgrid(
        np.linspace(-0.7, 0.7, 57), np.linspace(outline.crown, outline.crown + 0.3, 25)
    )
    scalp = outline.signed(x, y) > 0.01
    covered = (hair.outer_signed(x, y) > 0) & (hair.window_signed(x, y) < 0)
    return float(covered[scalp].mean())


@pytest.mark.parametrize(("name", "value"), hair_chips(), ids=lambda v: str(v))
def test_a_hair_chip_alone_always_covers_the_scalp(name, value):
    bald = [seed for seed in SEEDS if scalp_covered({"hair": {name: value}}, seed) < 0.95]
    assert bald == []


@pytest.mark.parametrize(
    "brief",
    [
        {"hair": {"color": "auburn"}},
        {"appearance": {"gender": "male", "age": 60}, "hair": {"color": "salt and pepper"}},
        {"appearance": {"gender": "male"}, "hair": {"length": "just above the collar"}},
        {"appearance": {"gender": "male", "age": 55}, "hair": {"style": "undercut, shaved sides"}},
    ],
    ids=["auburn", "older man, colour", "unknown length", "shaved sides"],
)
def test_free_text_about_hair_never_comes_out_bald(brief):
    assert min(scalp_covered(brief, seed) for seed in SEEDS) >= 0.95


def test_shaved_and_buzzed_lengths_still_show_the_scalp():
    for value in SHAVED_CHIPS:
        assert all(
            build_traits({"hair": {"length": value}}, seed=s).hair.cover < 0.5 for s in SEEDS
        )


def test_with_no_hair_field_an_open_cut_may_still_be_short():
    covers = {build_traits({"appearance": {"gender": "male"}}, seed=s).hair.cover for s in SEEDS}
    assert min(covers) < 0.9  # a buzz cut is one of a man's open choices
