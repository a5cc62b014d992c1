"""Facial hair by how much darker the beard areas are than the lit cheekbone skin.

Areas: philtrum (moustache), chin (goatee), lower cheek and jaw (beard), each compared on the
lit side of the face, as a lightness ratio to the skin reading: shading alone leaves a clean
lower cheek at ≥ 0.75 of the skin's L* on every in-house render, beards bring it under 0.65.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from identities.extraction.colour import disc_pixels, robust_lab, to_lab
from identities.extraction.landmarks import FaceLandmarks

RADIUS = 0.04  # of the face width


@dataclass(frozen=True)
class FacialHairReading:
    value: str | None  # a chip, or None when nothing shows
    confidence: float


def read_facial_hair(rgb: np.ndarray, marks: FaceLandmarks, skin_l: float) -> FacialHairReading:
    mesh = marks.mesh
    radius = RADIUS * marks.face_width

    def ratio(point: np.ndarray) -> float:
        lab = robust_lab(to_lab(disc_pixels(rgb, point, radius)), low=10, high=90)
        return 1.0 if lab is None else float(lab[0]) / max(skin_l, 1.0)

    sides = [
        (ratio((mesh[187] + mesh[61]) / 2), ratio((mesh[172] + mesh[61]) / 2)),
        (ratio((mesh[411] + mesh[291]) / 2), ratio((mesh[397] + mesh[291]) / 2)),
    ]
    # The brighter side is the lit one; the far side's shadow would read as a beard.
    cheek, jaw = max(sides)
    lip, chin = ratio((mesh[2] + mesh[0]) / 2), ratio(mesh[199])
    if cheek < 0.65 and jaw < 0.7:
        if cheek < 0.42:
            return FacialHairReading("full beard", 0.75 if cheek < 0.38 else 0.55)
        return FacialHairReading("short beard", 0.7 if cheek > 0.46 else 0.55)
    if chin < 0.3 and cheek > 0.68:
        return FacialHairReading("goatee", 0.7)
    if lip < 0.6 and cheek > 0.68 and chin > 0.33:
        return FacialHairReading("moustache", 0.65)
    return FacialHairReading(None, 0.6)
