"""What a generated photograph shows, read by models independent of the generator.

The readers are the From Image ones (YuNet detection, MediaPipe's mesh, dlib's age and gender
networks, the skin, hair and facial-hair readers) plus a few pixel measures that only make sense
on a generated, FFHQ-aligned headshot: head turn, mouth shape, backdrop lightness, eyewear.
Used to fit the latent directions (bench/stylegan_fit_directions.py), to check a render before it
is returned, and to judge drafts against their brief (bench/brief_fidelity_stylegan.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from identities.extraction.colour import disc_pixels, polygon_pixels, robust_lab, to_lab
from identities.extraction.demography import read_demography
from identities.extraction.facial_hair import RADIUS, read_facial_hair
from identities.extraction.hair import read_hair
from identities.extraction.landmarks import MESH_MIN_PRESENCE, FaceLandmarks, face_landmarks
from identities.extraction.skin import read_skin
from identities.faces import get_face_analyzer

# The numeric labels the directions are fitted on (NaN where a reader found nothing).
NUMERIC = (
    "male",  # log-odds of the gender network's "male", clipped to ±4
    "age",  # years
    "skin_ita",  # Individual Typology Angle of the lit skin, degrees
    "skin_l",  # L* of the lit skin
    "hair_l",  # L* of the hair above the forehead
    "hair_a",
    "hair_b",
    "beard",  # 1 − lower-cheek lightness / skin lightness on the lit side
    "smile",  # mouth-corner distance / face width
    "mouth_open",  # lip gap / face width
    "yaw",  # nose tip off the cheeks' midpoint, in face widths (signed)
    "bg_l",  # L* of the picture's upper corners and edges
    "bg_texture",  # L* spread inside those patches (walls and studio paper are smooth)
    "eyes_l",  # median L* of the eye openings / skin lightness
)
# Eyes behind dark lenses: even the brightest tenth of the eye openings (where the whites and
# the catchlights are on an open eye) is darker than this share of the skin's lightness. Seen
# on 75 drafts of random briefs, sorted by it on a contact sheet: the five with black lenses
# read 0.105–0.160, the darkest bare or clear-glassed eyes 0.177 and up (deep-set eyes in shade
# under a cap, a deep skin tone). On 75 other drafts it caught one of six pairs of sunglasses,
# and a face whose eyes were lost in a cap's shadow. Mirrored and coloured lenses read like
# bare eyes and pass.
EYES_HIDDEN_BELOW = 0.17

_EYES = ((33, 160, 158, 133, 153, 144), (362, 385, 387, 263, 373, 380))
# Fractions of the side: where the backdrop shows on an FFHQ-aligned headshot (above and beside
# the hair, which can still reach there, hence medians and the texture measure).
_BACKDROP = (
    (0.0, 0.0, 0.14, 0.14),
    (0.86, 0.0, 1.0, 0.14),
    (0.0, 0.3, 0.05, 0.55),
    (0.95, 0.3, 1.0, 0.55),
)


@dataclass
class PhotoLabels:
    faces: int
    box: tuple[float, float, float, float] | None = None  # the largest face, pixels
    values: dict[str, float] = field(default_factory=dict)
    gender: str | None = None
    gender_probability: float = 0.0
    skin_chip: str | None = None
    hair_colour: str | None = None
    facial_hair: str | None = None  # a facial-hair chip, or None for clean-shaven
    eyes_hidden: bool = False  # behind dark lenses (EYES_HIDDEN_BELOW)

    def vector(self) -> np.ndarray:
        return np.array([self.values.get(name, math.nan) for name in NUMERIC], dtype=np.float64)


def count_faces(rgb: np.ndarray) -> int:
    return len(get_face_analyzer().detect(np.ascontiguousarray(rgb[:, :, ::-1])))


def read_labels(rgb: np.ndarray) -> PhotoLabels:
    """Labels of the largest face in an RGB uint8 image; `faces` = 0 and no values when none."""
    faces = get_face_analyzer().detect(np.ascontiguousarray(rgb[:, :, ::-1]))
    labels = PhotoLabels(faces=len(faces))
    if not faces:
        return labels
    labels.box = tuple(float(v) for v in faces[0].bbox)
    marks = face_landmarks(rgb, faces[0], with_iris=False)
    if marks.presence < MESH_MIN_PRESENCE:
        labels.faces = 0
        return labels
    values = labels.values
    values.update(_geometry(marks))
    values.update(_backdrop(rgb))
    skin = read_skin(rgb, marks)
    demography = read_demography(rgb, marks)
    p_male = demography.gender_probability
    if demography.gender != "male":
        p_male = 1.0 - p_male
    values["male"] = float(np.clip(math.log(max(p_male, 1e-6) / max(1 - p_male, 1e-6)), -4, 4))
    values["age"] = demography.age
    labels.gender, labels.gender_probability = demography.gender, demography.gender_probability
    if skin is None:
        return labels
    labels.skin_chip = skin.chip
    values["skin_ita"], values["skin_l"] = skin.ita, float(skin.lab[0])
    eyes = np.concatenate([polygon_pixels(rgb, marks.mesh[list(eye)]) for eye in _EYES])
    values["eyes_l"] = _eyes_lightness(eyes, float(skin.lab[0]))
    labels.eyes_hidden = eyes_behind_dark_lenses(eyes, float(skin.lab[0]))
    values["beard"] = 1.0 - _cheek_ratio(rgb, marks, float(skin.lab[0]))
    beard = read_facial_hair(rgb, marks, float(skin.lab[0]))
    labels.facial_hair = beard.value
    hair = read_hair(rgb, marks, skin.lab)
    if hair is not None and hair.lab is not None:
        values["hair_l"], values["hair_a"], values["hair_b"] = (float(v) for v in hair.lab)
        labels.hair_colour = hair.colour.name if hair.colour else None
    return labels


def _geometry(marks: FaceLandmarks) -> dict[str, float]:
    mesh, width = marks.mesh, max(marks.face_width, 1.0)
    middle = (mesh[234] + mesh[454]) / 2
    return {
        "yaw": float((mesh[1][0] - middle[0]) / width),
        "smile": float(np.linalg.norm(mesh[291] - mesh[61]) / width),
        "mouth_open": float(np.linalg.norm(mesh[14] - mesh[13]) / width),
    }


def _backdrop(rgb: np.ndarray) -> dict[str, float]:
    height, width = rgb.shape[:2]
    lightness, texture = [], []
    for x0, y0, x1, y1 in _BACKDROP:
        patch = rgb[int(y0 * height) : int(y1 * height), int(x0 * width) : int(x1 * width)]
        lab = to_lab(patch[::4, ::4].reshape(-1, 3))
        lightness.append(float(np.median(lab[:, 0])))
        texture.append(float(np.std(lab[:, 0])))
    return {"bg_l": float(np.median(lightness)), "bg_texture": float(np.median(texture))}


def _eyes_lightness(eye_pixels: np.ndarray, skin_l: float) -> float:
    """The eye openings' median L* (RGB pixels, n x 3) over the skin's."""
    if len(eye_pixels) < 8:
        return math.nan
    return float(np.median(to_lab(eye_pixels)[:, 0]) / max(skin_l, 1.0))


def eyes_behind_dark_lenses(eye_pixels: np.ndarray, skin_l: float) -> bool:
    """Whether the eye openings' RGB pixels (n x 3) are all lens: no white of the eye and no
    catchlight in them (EYES_HIDDEN_BELOW)."""
    if len(eye_pixels) < 8:
        return False
    brightest = float(np.percentile(to_lab(eye_pixels)[:, 0], 90))
    return brightest / max(skin_l, 1.0) < EYES_HIDDEN_BELOW


def _cheek_ratio(rgb: np.ndarray, marks: FaceLandmarks, skin_l: float) -> float:
    """The facial-hair reader's lower-cheek measure, continuous: the brighter side's ratio."""
    mesh, radius = marks.mesh, RADIUS * marks.face_width

    def ratio(point: np.ndarray) -> float:
        lab = robust_lab(to_lab(disc_pixels(rgb, point, radius)), low=10, high=90)
        return 1.0 if lab is None else float(lab[0]) / max(skin_l, 1.0)

    return max(ratio((mesh[187] + mesh[61]) / 2), ratio((mesh[411] + mesh[291]) / 2))
