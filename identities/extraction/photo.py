"""From Image, embedded: one reference photo → brief readings, with the models in models.py.

Only the subject is read — the largest face, its skin, eyes, hair and facial hair, the apparent
gender and age — never clothing, background or props. Each reader says how sure it is; readings
under `MIN_CONFIDENCE` are left empty with the reason, so the generator picks instead.

Colours are read after the photo's white balance is corrected (balance.py), and the skin reading
is less sure the further the light was from neutral. A black-and-white photo shows no colour, so
skin, hair and eye colour stay empty on one. The face that was read is returned as a box in the
uploaded photo's own pixels, so a group photo can show which face it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from identities.extraction.balance import WhiteBalance, estimate_balance
from identities.extraction.demography import Demography, read_demography
from identities.extraction.eyes import MIN_IRIS_RADIUS, read_eyes
from identities.extraction.facial_hair import read_facial_hair
from identities.extraction.hair import read_hair
from identities.extraction.landmarks import MESH_MIN_PRESENCE, face_landmarks
from identities.extraction.result import Extraction, ExtractionError
from identities.extraction.skin import read_skin, skin_confidence
from identities.faces import get_face_analyzer

# Larger photos are analysed at this long side: a face filling a tenth of it is still ~250 px
# wide (enough for the irises), and a 50-megapixel photo then costs what a 7-megapixel one does.
WORK_SIDE = 2560
# Under this width (pixels, in the photo) a face gives too few pixels for colours or the age
# network's 64 px chip to mean anything.
MIN_FACE_PX = 64

NO_FACE = (
    "No face found in this photo. Use a photo where one person faces the camera, "
    "with the face clearly visible."
)
MONOCHROME = "This is a black-and-white photo: it shows no {}."


@dataclass
class PhotoExtraction(Extraction):
    """A photo's reading, with the face it was read from: (x, y, width, height) in the
    uploaded photo's pixels, x and y its top-left corner."""

    face_box: tuple[int, int, int, int] | None = None


def read_photo(image: Image.Image) -> Extraction:
    rgb, scale = _working_copy(image)
    faces = get_face_analyzer().detect(np.ascontiguousarray(rgb[:, :, ::-1]))
    if not faces:
        raise ExtractionError("no_face", NO_FACE, field="file_id")
    face = faces[0]
    width = face.width / scale
    if width < MIN_FACE_PX:
        raise ExtractionError(
            "face_too_small",
            f"The face is too small to read: {width:.0f} px wide, at least {MIN_FACE_PX} px "
            "needed. Use a closer or larger photo.",
            field="file_id",
        )
    marks = face_landmarks(rgb, face, with_iris=True)
    if marks.presence < MESH_MIN_PRESENCE:
        raise ExtractionError("no_face", NO_FACE, field="file_id")
    result = PhotoExtraction(source="photo", face_box=_box_in_photo(face.bbox, scale, image.size))
    if len(faces) > 1:
        result.notes.append(f"{len(faces)} faces found; used the largest.")
        x, y, w, h = result.face_box
        result.notes.append(f"The face read is at x {x}, y {y} ({w} × {h} px) in the photo.")
    balance = estimate_balance(rgb, marks)
    _read_person(result, balance.apply(rgb, _head_box(rgb, marks)), marks, balance)
    result.not_read.setdefault(
        "face.eyebrows",
        "Eyebrow shape and thickness are not read from photos yet; pick them from the chips.",
    )
    return result


def _working_copy(image: Image.Image) -> tuple[np.ndarray, float]:
    """The photo at most WORK_SIDE on its long side, and the scale from the photo to it."""
    original = max(image.size)
    factor = original // WORK_SIDE
    if factor >= 2:
        # Pillow's integer box reduction first: an area resize of 50 megapixels takes seconds.
        image = image.reduce(factor)
    rgb = np.asarray(image.convert("RGB"))
    if max(rgb.shape[:2]) > WORK_SIDE:
        shrink = WORK_SIDE / max(rgb.shape[:2])
        size = (round(rgb.shape[1] * shrink), round(rgb.shape[0] * shrink))
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(rgb), max(rgb.shape[:2]) / original


def _box_in_photo(bbox, scale: float, size: tuple[int, int]) -> tuple[int, int, int, int]:
    x1, y1, x2, y2 = (max(0.0, float(v)) / scale for v in bbox)
    x1, y1 = round(x1), round(y1)
    x2, y2 = min(size[0], round(x2)), min(size[1], round(y2))
    return x1, y1, x2 - x1, y2 - y1


def _head_box(rgb: np.ndarray, marks) -> tuple[int, int, int, int]:
    """Where the readers look: the head, its hair and the shoulders it may fall to."""
    fw, (cx, cy) = marks.face_width, marks.point(1)
    height, width = rgb.shape[:2]
    return (
        max(0, int(cx - 2.0 * fw)),
        0,
        min(width, int(cx + 2.0 * fw) + 1),
        min(height, int(cy + 3.2 * fw) + 1),
    )


def _read_person(result: Extraction, rgb: np.ndarray, marks, balance: WhiteBalance) -> None:
    if balance.monochrome:
        _monochrome(result, rgb, marks)
        return
    skin = read_skin(rgb, marks)
    if skin is None:
        result.put("appearance.skin", None, 0.0, why_not="Not enough visible skin to read.")
        return
    sure, why_not = skin_confidence(skin, balance)
    result.put("appearance.skin", skin.chip, sure, why_not=why_not)
    demography = read_demography(rgb, marks)
    _gender_and_age(result, demography)
    _eyes(result, rgb, marks)
    hair = read_hair(rgb, marks, skin.lab)
    if hair is None or hair.colour is None:
        result.put("hair.color", None, 0.0, why_not="No hair found above the forehead.")
    else:
        # The margin to the runner-up colour, in ΔE: 8 or more is an unambiguous call.
        result.put("hair.color", hair.colour.name, 0.55 + 0.4 * min(1.0, hair.colour.margin / 8))
        result.put("hair.length", hair.length, hair.length_confidence)
        if hair.fringe:
            result.put("hair.style", "bangs", 0.65)
    # Lip shadows and lipstick darken a philtrum or chin as much as a moustache does, so facial
    # hair is read on faces the gender network calls male with some certainty.
    if demography.gender != "male" or demography.gender_probability < 0.8:
        return
    beard = read_facial_hair(rgb, marks, float(skin.lab[0]))
    result.put("face.facial_hair", beard.value or "clean-shaven", beard.confidence)


def _monochrome(result: Extraction, rgb: np.ndarray, marks) -> None:
    # Gender and age are read from shapes; every colour field stays empty.
    _gender_and_age(result, read_demography(rgb, marks))
    for path, what in (
        ("appearance.skin", "skin tone"),
        ("hair.color", "hair colour"),
        ("face.eyes", "eye colour"),
    ):
        result.put(path, None, 0.0, why_not=MONOCHROME.format(what))


def _gender_and_age(result: Extraction, demography: Demography) -> None:
    # A two-way probability of 0.5 is no information; rescale so 0.8 reads as 0.6.
    sure = (demography.gender_probability - 0.5) * 2
    result.put(
        "appearance.gender",
        demography.gender,
        sure,
        why_not="The photo does not show clearly enough whether this is a man or a woman.",
    )
    if demography.age < 18:
        result.drop(
            "appearance.age",
            "The person may be under 18; age left empty (every generated identity is an adult).",
        )
        return
    result.put(
        "appearance.age", age_range(demography.age), 0.65 if demography.age_spread < 8 else 0.5
    )


def age_range(age: float) -> str:
    """An apparent age as a brief writes it: "early 30s", "40s", "70+"."""
    years = round(age)
    if years < 21:
        return "18–20"
    if years >= 70:
        return "70+"
    decade = years // 10 * 10
    if decade >= 40:
        return f"{decade}s"
    part = "early" if years % 10 <= 3 else "mid" if years % 10 <= 6 else "late"
    return f"{part} {decade}s"


def _eyes(result: Extraction, rgb: np.ndarray, marks) -> None:
    eyes = read_eyes(rgb, marks)
    if eyes is None:
        radius = max((iris.radius for iris in marks.irises), default=0.0)
        why = (
            f"The eyes are too small in this photo to read their colour (iris {radius:.0f} px, "
            f"at least {MIN_IRIS_RADIUS:.0f} px needed)."
            if radius < MIN_IRIS_RADIUS
            else "The irises are too covered or too dark to read their colour."
        )
        result.put("face.eyes", None, 0.0, why_not=why)
        return
    result.put("face.eyes", eyes.colour.name, 0.55 + 0.4 * min(1.0, eyes.colour.margin / 8))
