"""Skin tone from lit skin patches, named on the chip scale by its Individual Typology Angle.

Patches: mid-forehead, upper forehead, nose bridge and both cheekbones. One side of a face is
usually in shade (the in-house renders measured 20–30 L* darker on the far cheek), so the three
brightest patches are kept: shading only ever darkens skin, never lightens it.

ITA (Chardon et al., 1991) separates depth from undertone. The cut points between chips were
set on in-house renders of every skin chip and agree with the dermatology categories (very light
> 55°, light 41–55°, intermediate 28–41°, tan 10–28°, brown −30–10°, dark < −30°). "Olive" is an
undertone more than a depth: an intermediate ITA with a yellow-green hue angle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from identities.extraction.colour import disc_pixels, hue, ita, robust_lab, to_lab
from identities.extraction.landmarks import FaceLandmarks

PATCHES = ((151,), (108, 337, 151), (6, 197), (50, 101, 118, 117), (280, 330, 347, 346))
PATCH_RADIUS = 0.05  # of the face width

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


def skin_lab(rgb: np.ndarray, marks: FaceLandmarks) -> np.ndarray | None:
    radius = PATCH_RADIUS * marks.face_width
    medians = []
    for indices in PATCHES:
        lab = robust_lab(to_lab(disc_pixels(rgb, marks.centroid(indices), radius)), low=25, high=85)
        if lab is not None:
            medians.append(lab)
    if len(medians) < 2:
        return None
    brightest = sorted(medians, key=lambda lab: -lab[0])[:3]
    return np.median(brightest, axis=0)


def read_skin(rgb: np.ndarray, marks: FaceLandmarks) -> SkinReading | None:
    lab = skin_lab(rgb, marks)
    if lab is None:
        return None
    angle, tint = ita(lab), hue(lab)
    if OLIVE_ITA[0] <= angle < OLIVE_ITA[1] and tint >= OLIVE_MIN_HUE:
        margin = min(tint - OLIVE_MIN_HUE, angle - OLIVE_ITA[0], OLIVE_ITA[1] - angle)
        return SkinReading(lab=lab, ita=angle, hue=tint, chip="olive", margin=margin)
    cuts = [cut for cut, _ in _ITA_CUTS[1:]]
    chip = next(name for cut, name in reversed(_ITA_CUTS) if angle >= cut)
    margin = min(abs(angle - cut) for cut in cuts)
    return SkinReading(lab=lab, ita=angle, hue=tint, chip=chip, margin=margin)
