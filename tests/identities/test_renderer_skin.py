"""Painted skin stays within the colours real skin takes (palette.py's references)."""

import numpy as np
import pytest

from identities.briefs.vocabulary import FIELDS
from identities.renderer import palette, render_portrait
from identities.renderer.geometry import Frame

W, H = 240, 300
SEEDS = range(4)
SKIN_CHIPS = next(f for f in FIELDS if f.path == "appearance.skin").chips
# Rendered lit cheeks, CIELAB: hue angles of measured facial skin run about 45-70° (redness
# about equal across groups, yellowness carrying the differences); the painter's flush and
# blush may take a porcelain cheek a little redder. Above ~72° a face reads yellow.
HUE_RANGE = (40.0, 72.0)
CHROMA_RANGE = (8.0, 45.0)
NOT_YELLOW = 70.0


def cheek_lab(brief: dict, seed: int) -> np.ndarray:
    """CIELAB of both cheeks' mean colour, as painted (lit side and shaded side together)."""
    image = np.asarray(render_portrait(brief, seed=seed, width=W, height=H).image) / 255.0
    frame = Frame.for_canvas(W, H)
    r = max(2, round(0.07 * frame.u))
    patches = []
    for side in (-1.0, 1.0):
        x, y = (round(v) for v in frame.px(side * 0.55, 0.42))
        patches.append(image[y - r : y + r, x - r : x + r].reshape(-1, 3))
    return palette.srgb_to_lab(np.concatenate(patches).mean(0))


def hue_and_chroma(lab: np.ndarray) -> tuple[float, float]:
    return float(np.degrees(np.arctan2(lab[2], lab[1]))), float(np.hypot(lab[1], lab[2]))


@pytest.mark.parametrize("chip", [c.value for c in SKIN_CHIPS])
def test_every_skin_chip_paints_a_cheek_in_the_skin_gamut(chip):
    for seed in SEEDS:
        hue, chroma = hue_and_chroma(cheek_lab({"appearance": {"skin": chip}}, seed))
        assert HUE_RANGE[0] <= hue <= HUE_RANGE[1], (chip, seed, hue)
        assert CHROMA_RANGE[0] <= chroma <= CHROMA_RANGE[1], (chip, seed, chroma)


@pytest.mark.parametrize("skin", ["warm olive", "olive", "tan", "golden tan", "olive undertone"])
def test_olive_and_tan_are_not_yellow(skin):
    for seed in SEEDS:
        hue, _ = hue_and_chroma(cheek_lab({"appearance": {"skin": skin}}, seed))
        assert hue < NOT_YELLOW, (skin, seed, hue)


def test_the_chips_run_light_to_deep():
    lightness = [
        np.mean([cheek_lab({"appearance": {"skin": c.value}}, s)[0] for s in SEEDS])
        for c in SKIN_CHIPS
    ]
    # Neighbouring chips may sit within a few L* of each other (olive is a medium skin).
    pairs = zip(lightness[:-1], lightness[1:], strict=True)
    assert all(later < earlier + 3.0 for earlier, later in pairs)
    assert lightness[0] - lightness[-1] > 45


def test_no_undertone_takes_a_tone_out_of_the_hue_range():
    low, high = palette.SKIN_HUE_RANGE
    for depth in np.linspace(0.0, 1.0, 21):
        for undertone in palette.UNDERTONES:
            lab = palette.srgb_to_lab(palette.skin_tone(float(depth), (undertone,)))
            hue, _ = hue_and_chroma(lab)
            assert low - 0.5 <= hue <= high + 0.5, (depth, undertone, hue)


def test_an_undertone_keeps_the_depth_a_viewer_reads():
    # Yellowness and lightness (and so the Individual Typology Angle) barely move: "olive"
    # changes how red a medium skin is, not how deep it is.
    def ita(rgb):
        lab = palette.srgb_to_lab(rgb)
        return np.degrees(np.arctan2(lab[0] - 50.0, lab[2]))

    for depth in (0.2, 0.42, 0.54, 0.8):
        base = ita(palette.skin_tone(depth))
        for undertone in ("warm", "olive", "cool", "golden"):
            assert abs(ita(palette.skin_tone(depth, (undertone,))) - base) < 12.0
