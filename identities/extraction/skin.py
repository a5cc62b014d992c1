"""Skin tone from lit skin patches, named on the chip scale by its Individual Typology Angle.

Patches: the forehead (middle and both sides), the nose bridge, both cheekbones, both lower
cheeks and the chin, so a fringe, a hat, glasses or a beard over some of them leaves others. One
side of a face is usually in shade (the in-house renders measured 20–30 L* darker on the far
cheek), so the three brightest patches are kept: shading only ever darkens skin. Photographs
also wash skin out — a highlight rolled off towards white, flash glare — and a washed patch is
bright but colourless, so a patch with far less chroma than the face's median is dropped first
(on real photos the brightest three were often such highlights, read as "porcelain").

ITA (Chardon et al., 1991) separates depth from undertone. The cut points between chips were
set on in-house renders of every skin chip and agree with the dermatology categories (very light
> 55°, light 41–55°, intermediate 28–41°, tan 10–28°, brown −30–10°, dark < −30°). "Olive" is an
undertone more than a depth: an intermediate ITA with a yellow-green hue angle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from identities.extraction.balance import TOLERATED_CAST, WhiteBalance
from identities.extraction.colour import disc_pixels, hue, ita, robust_lab, to_lab
from identities.extraction.landmarks import FaceLandmarks

PATCHES = (
    (151,),
    (108,),
    (337,),
    (6, 197),
    (50, 101, 118, 117),
    (280, 330, 347, 346),
    (207, 205),
    (427, 425),
    (199, 200),
)
PATCH_RADIUS = 0.05  # of the face width
LIT_PATCHES = 3
# A patch with less chroma than this share of the patches' median is washed out (or not skin:
# a lens, a grey hat), measured on hand-labelled photos where 0.5–0.8 all removed highlights.
WASHED_CHROMA = 0.7

# (lowest ITA, chip), darkest first; a reading falls in the first row its ITA reaches.
_ITA_CUTS = (
    (-1e9, "deep"),
    (-30.0, "deep brown"),
    (-4.0, "brown"),
    (16.0, "tan"),
    (33.0, "medium"),
    (41.5, "light-medium"),
    (46.5, "light"),
    (57.5, "fair"),
    (68.5, "porcelain"),
)
# Olive renders measured hue 77–78° at ITA 27–32°; medium and tan stay at or under 71°.
OLIVE_MIN_HUE = 74.0
OLIVE_ITA = (22.0, 40.0)


@dataclass(frozen=True)
class SkinReading:
    lab: np.ndarray
    ita: float
    hue: float
    chip: str
    margin: float  # ITA degrees to the nearest cut (hue degrees for olive)
    spread: float = 0.0  # ITA degrees the lit patches disagree by (standard deviation)


def lit_patches(rgb: np.ndarray, marks: FaceLandmarks) -> np.ndarray | None:
    """Lab of the lit, unwashed skin patches (at most LIT_PATCHES rows); None when fewer than
    two patches hold skin pixels."""
    radius = PATCH_RADIUS * marks.face_width
    medians = []
    for indices in PATCHES:
        lab = robust_lab(to_lab(disc_pixels(rgb, marks.centroid(indices), radius)), low=25, high=85)
        if lab is not None:
            medians.append(lab)
    if len(medians) < 2:
        return None
    labs = np.array(medians)
    chromas = np.hypot(labs[:, 1], labs[:, 2])
    unwashed = chromas >= WASHED_CHROMA * np.median(chromas)
    if unwashed.sum() >= 2:
        labs = labs[unwashed]
    return labs[np.argsort(-labs[:, 0])][:LIT_PATCHES]


def skin_lab(rgb: np.ndarray, marks: FaceLandmarks) -> np.ndarray | None:
    lit = lit_patches(rgb, marks)
    return None if lit is None else np.median(lit, axis=0)


def read_skin(rgb: np.ndarray, marks: FaceLandmarks) -> SkinReading | None:
    lit = lit_patches(rgb, marks)
    if lit is None:
        return None
    lab = np.median(lit, axis=0)
    spread = float(np.std([ita(patch) for patch in lit]))
    angle, tint = ita(lab), hue(lab)
    if OLIVE_ITA[0] <= angle < OLIVE_ITA[1] and tint >= OLIVE_MIN_HUE:
        margin = min(tint - OLIVE_MIN_HUE, angle - OLIVE_ITA[0], OLIVE_ITA[1] - angle)
        return SkinReading(lab, angle, tint, "olive", margin, spread)
    cuts = [cut for cut, _ in _ITA_CUTS[1:]]
    chip = next(name for cut, name in reversed(_ITA_CUTS) if angle >= cut)
    margin = min(abs(angle - cut) for cut in cuts)
    return SkinReading(lab, angle, tint, chip, margin, spread)


# How sure a reading is: its margin to the nearest cut, less what the photo makes doubtful.
# Measured on hand-labelled photos, a skin named more than one chip wrong came with skin almost
# without chroma (ITA over 78: real skin is hardly ever that colourless, a washed-out highlight
# or glare is), patches that disagree (a shadow edge, make-up, a hat's shade) and strong casts
# even once corrected. Lightness alone is no doubt: light skin in shade and deep skin in good
# light measure alike, and doubting dark readings would leave deep skin unread.
WASHED_ITA = 78.0
SPREAD_OK = 8.0


def skin_confidence(skin: SkinReading, balance: WhiteBalance) -> tuple[float, str]:
    """(confidence, why it stays empty when under the minimum) for a skin reading on a photo
    with the given white balance."""
    doubts = {
        "bright light washes the skin's colour out": 0.35 if skin.ita > WASHED_ITA else 0.0,
        "the skin reads differently across the face": 0.015 * max(0.0, skin.spread - SPREAD_OK),
        "the light has a strong colour cast": 0.004 * max(0.0, balance.cast - TOLERATED_CAST),
    }
    sure = 0.6 + 0.3 * min(1.0, skin.margin / 6.0) - sum(doubts.values())
    worst = max(doubts, key=doubts.get)
    why = f"Skin tone is uncertain in this photo: {worst}. Pick it from the chips."
    return max(0.0, sure), why
