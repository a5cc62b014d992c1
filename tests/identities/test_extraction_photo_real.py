"""From Image on real photographs: the face used, white balance, black-and-white photos,
and the readers on the warm-graded group still that ships with insightface."""

from functools import cache

import numpy as np
import pytest
from PIL import Image

from bench.lib.evaluation import t1_path
from identities.extraction.balance import TOLERATED_CAST, estimate_balance
from identities.extraction.landmarks import face_landmarks
from identities.extraction.photo import PhotoExtraction, read_photo
from identities.extraction.skin import SkinReading, read_skin, skin_confidence
from identities.faces import get_face_analyzer
from identities.renderer import render_portrait

pytestmark = pytest.mark.django_db

# Linear-light gains of a camera left on daylight under tungsten light.
TUNGSTEN = (1.0, 0.82, 0.55)
SKIN_ORDER = ("porcelain", "fair", "light", "light-medium", "medium", "tan", "brown")


@cache
def group() -> Image.Image:
    return Image.open(t1_path()).convert("RGB")


@cache
def render() -> Image.Image:
    brief = {"appearance": {"skin": "light", "gender": "female"}, "hair": {"color": "black"}}
    return render_portrait(brief, seed=5, width=768, height=768).image


def with_cast(image: Image.Image, gains) -> Image.Image:
    srgb = np.asarray(image, dtype=np.float64) / 255.0
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(linear * np.asarray(gains), 0.0, 1.0)
    out = np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)
    return Image.fromarray(np.round(out * 255).astype(np.uint8))


def marks_of(rgb: np.ndarray):
    faces = get_face_analyzer().detect(np.ascontiguousarray(rgb[:, :, ::-1]))
    return face_landmarks(rgb, faces[0], with_iris=True)


def test_a_group_photo_says_which_face_it_read_in_the_photos_pixels():
    result = read_photo(group())
    assert isinstance(result, PhotoExtraction)
    x, y, w, h = result.face_box
    # The largest of the six faces: the man in the middle (point 519, 340 is on his face).
    assert x <= 519 <= x + w and y <= 340 <= y + h
    assert f"The face read is at x {x}, y {y} ({w} × {h} px) in the photo." in result.notes


def test_the_face_box_is_in_the_uploaded_photos_pixels_when_it_was_shrunk_to_read():
    large = group().resize((group().width * 3, group().height * 3))
    small_box = read_photo(group()).face_box
    large_box = read_photo(large).face_box
    assert all(abs(big - 3 * small) <= 9 for big, small in zip(large_box, small_box, strict=True))


def test_a_single_face_has_its_box_and_no_note_about_it():
    result = read_photo(render())
    assert result.face_box is not None
    assert not any("face read is at" in note for note in result.notes)


def test_a_black_and_white_photo_leaves_every_colour_empty_and_says_why():
    result = read_photo(group().convert("L").convert("RGB"))
    for path in ("appearance.skin", "hair.color", "face.eyes"):
        assert path not in result.readings
        assert "black-and-white" in result.not_read[path]
    assert result.readings["appearance.gender"].value == "male"


def test_a_strong_cast_is_measured_and_its_excess_corrected():
    rgb = np.asarray(render())
    marks = marks_of(rgb)
    neutral = estimate_balance(rgb, marks)
    assert neutral.cast < TOLERATED_CAST and not neutral.corrected
    warm = np.asarray(with_cast(render(), TUNGSTEN))
    balance = estimate_balance(warm, marks)
    assert balance.cast > TOLERATED_CAST and balance.corrected
    # Blue is raised most, red least: the correction undoes a warm light.
    assert balance.gains[2] > balance.gains[1] > balance.gains[0]


def test_skin_under_tungsten_reads_near_its_colour_and_less_sure():
    plain = read_photo(render()).readings["appearance.skin"]
    result = read_photo(with_cast(render(), TUNGSTEN))
    cast = result.readings.get("appearance.skin")
    if cast is None:
        assert "colour cast" in result.not_read["appearance.skin"]
        return
    assert abs(SKIN_ORDER.index(cast.value) - SKIN_ORDER.index(plain.value)) <= 1
    assert cast.confidence < plain.confidence


def test_washed_out_skin_is_not_called_porcelain_with_confidence():
    rgb = np.asarray(render())
    balance = estimate_balance(rgb, marks_of(rgb))
    washed = SkinReading(
        lab=np.array([86.0, 1.0, 4.0]), ita=84.0, hue=76.0, chip="porcelain", margin=15.5
    )
    sure, why = skin_confidence(washed, balance)
    assert sure < 0.6
    assert "washes" in why


@pytest.mark.parametrize("point", [(519, 340), (111, 332), (952, 127), (1179, 336)])
def test_warm_graded_faces_are_not_read_as_porcelain_and_sure(point):
    photo = group()
    faces = get_face_analyzer().detect(np.ascontiguousarray(np.asarray(photo)[:, :, ::-1]))
    x, y = point
    face = next(f for f in faces if f.bbox[0] <= x <= f.bbox[2] and f.bbox[1] <= y <= f.bbox[3])
    rgb = np.asarray(photo)
    marks = face_landmarks(rgb, face, with_iris=True)
    balance = estimate_balance(rgb, marks)
    skin = read_skin(balance.apply(rgb), marks)
    sure, _ = skin_confidence(skin, balance)
    assert not (skin.chip == "porcelain" and sure >= 0.8), (skin.chip, sure)


def test_the_blonde_bob_has_a_blonde_hair_colour():
    photo = group()
    x1, y1 = 1132 - 120, 274 - 125
    crop = photo.crop((x1, max(0, y1), min(photo.width, 1227 + 115), min(photo.height, 399 + 175)))
    readings = read_photo(crop).readings
    assert readings["hair.color"].value in {"golden blonde", "strawberry blonde", "ash blonde"}
