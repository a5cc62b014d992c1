from functools import cache

import pytest
from PIL import Image

from bench.lib.evaluation import (
    case_image,
    image_cases,
    image_matches,
    t1_path,
)
from identities.extraction import ExtractionError
from identities.extraction.photo import age_range, read_photo
from identities.renderer import render_portrait

pytestmark = pytest.mark.django_db


@cache
def portrait(width: int = 640) -> Image.Image:
    brief = {"appearance": {"skin": "tan", "gender": "female"}, "hair": {"color": "auburn"}}
    return render_portrait(brief, seed=3, width=width, height=width).image


def test_renders_read_back_their_skin_hair_and_eyes():
    # Three of the evaluation renders; bench/extract_image_eval.py scores all of them.
    cases = [case for case in image_cases() if case.kind == "render"][:3]
    for case in cases:
        readings = read_photo(case_image(case)).readings
        for path in ("appearance.skin", "hair.color", "face.eyes"):
            got = readings[path].value if path in readings else None
            assert image_matches(path, got, case.expected[path]), (case.id, path, got)


def test_several_faces_use_the_largest_and_say_so():
    result = read_photo(Image.open(t1_path()).convert("RGB"))
    assert "6 faces found; used the largest." in result.notes
    assert result.readings["appearance.gender"].value == "male"


def test_eyes_too_small_to_read_stay_empty_with_the_reason():
    result = read_photo(Image.open(t1_path()).convert("RGB"))
    assert "face.eyes" not in result.readings
    assert "too small" in result.not_read["face.eyes"]


def test_a_photo_without_a_face_is_refused():
    blank = Image.new("RGB", (800, 600), (200, 190, 180))
    with pytest.raises(ExtractionError) as refused:
        read_photo(blank)
    assert refused.value.code == "no_face"


def test_a_tiny_face_is_refused_with_its_size():
    tiny = portrait().resize((180, 180))
    with pytest.raises(ExtractionError) as refused:
        read_photo(tiny)
    assert refused.value.code == "face_too_small"
    assert "px wide" in refused.value.message


def test_a_large_photo_is_read_at_a_working_size():
    canvas = Image.new("RGB", (5200, 3900), (150, 150, 150))
    canvas.paste(portrait().resize((1920, 1920)), (1600, 1000))
    result = read_photo(canvas)
    assert result.readings["hair.color"].value == "auburn"


def test_only_the_subject_is_read():
    result = read_photo(portrait())
    groups = {path.split(".")[0] for path in [*result.readings, *result.not_read]}
    assert groups <= {"appearance", "face", "hair"}
    assert not any(name in path for path in result.readings for name in ("outfit", "scene"))


@pytest.mark.parametrize(
    ("age", "words"),
    [(19, "18–20"), (24, "mid 20s"), (33, "early 30s"), (38, "late 30s"), (47, "40s"), (75, "70+")],
)
def test_apparent_ages_are_written_as_ranges(age, words):
    assert age_range(age) == words
