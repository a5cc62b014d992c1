"""Apparent gender and age from dlib's networks (see models.py), on dlib-style face chips.

dlib aligns a face by its 5-point landmarks (the four eye corners and the base of the nose)
onto its mean face shape, padded by 20 %, and feeds 32 px chips to the gender network and 64 px
chips to the age network. The same five points come from MediaPipe's mesh here, so the chips
match what the networks were trained on.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from identities.extraction.landmarks import FaceLandmarks
from identities.extraction.models import demography_models

# Mesh indices of dlib's five points: image-right eye outer and inner corner, image-left eye
# outer and inner corner, base of the nose.
_MESH_POINTS = (263, 362, 33, 133, 2)
# dlib's get_face_chip_details targets for those points (its mean face shape, unit square).
_TEMPLATE = np.array(
    [
        (0.8595674595992, 0.2134981538014),
        (0.6460604764104, 0.2289674387677),
        (0.1205750620789, 0.2137274526848),
        (0.3340850613712, 0.2290642403242),
        (0.4901123135679, 0.6277975316475),
    ]
)
PADDING = 0.2
GENDER_SIZE = 32
AGE_SIZE = 64


@dataclass(frozen=True)
class Demography:
    gender: str  # "female" | "male"
    gender_probability: float
    age: float  # expected years
    age_spread: float  # standard deviation of the age distribution, years


def read_demography(rgb: np.ndarray, marks: FaceLandmarks) -> Demography:
    models = demography_models()
    source = marks.mesh[list(_MESH_POINTS)].astype(np.float32)
    gender_chip = _chip(rgb, source, GENDER_SIZE)
    age_chip = _chip(rgb, source, AGE_SIZE)
    gender_p = _run(models.gender, gender_chip, models.channel_means)
    age_p = _run(models.age, age_chip, models.channel_means)
    index = int(np.argmax(gender_p))
    expected = float(np.dot(age_p, models.age_weights))
    spread = float(np.sqrt(np.dot(age_p, (models.age_weights - expected) ** 2)))
    return Demography(
        gender=models.gender_labels[index],
        gender_probability=float(gender_p[index]),
        age=expected,
        age_spread=spread,
    )


def _chip(rgb: np.ndarray, source: np.ndarray, size: int) -> np.ndarray:
    target = ((PADDING + _TEMPLATE) / (2 * PADDING + 1) * size).astype(np.float32)
    matrix, _ = cv2.estimateAffinePartial2D(source, target, method=cv2.LMEDS)
    if matrix is None:
        raise ValueError("could not align the face")
    # Warp at 4x and shrink with area averaging: a 300 px face bilinearly sampled straight to
    # 32 px aliases, and dlib's own chip extraction low-passes the same way.
    big = cv2.warpAffine(rgb, matrix * [[4], [4]], (size * 4, size * 4), flags=cv2.INTER_LINEAR)
    return cv2.resize(big, (size, size), interpolation=cv2.INTER_AREA)


def _run(session, chip: np.ndarray, means: np.ndarray) -> np.ndarray:
    tensor = ((chip.astype(np.float32) - means) / 256.0).transpose(2, 0, 1)[None]
    name = session.get_inputs()[0].name
    return np.asarray(session.run(None, {name: np.ascontiguousarray(tensor)})[0][0], dtype=float)
