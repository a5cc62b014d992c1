import time

import pytest

from identities.extraction.evaluation import paragraphs, score_text
from identities.extraction.text import parse_paragraph

SEED_PROMPT = paragraphs("dev")[0]["text"]


def values(text: str) -> dict[str, str]:
    return {path: reading.value for path, reading in parse_paragraph(text).readings.items()}


def test_the_seeds_complex_prompt_fills_every_field_it_names():
    found = values(SEED_PROMPT)
    assert found["appearance.age"] == "31"
    assert found["appearance.ethnicity"] == "mixed South Asian and North European"
    assert found["hair.color"] == "jet-black"
    assert found["hair.style"] == "middle part, low bun"
    assert found["face.marks"] == "septum ring, beauty marks along the jawline"
    assert found["appearance.skin"] == "olive, warm undertones"


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("A 31-year-old woman", "appearance.age", "31"),
        ("a woman in her forties", "appearance.age", "40s"),
        ("mid-twenties, dark hair", "appearance.age", "mid 20s"),
        ("Twenty-six year old man", "appearance.age", "26"),
        ("She is about 5'9\" tall", "appearance.height", "175 cm"),
        ("1.78 m, slim", "appearance.height", "178 cm"),
        ("Slim, size 38/8", "appearance.size", "S"),
        ("Plus size, size 16", "appearance.size", "XL"),
        ("jet-black hair", "hair.color", "jet-black"),
        ("shoulder-length hair", "hair.length", "shoulder-length"),
        ("freckles along the nose", "face.marks", "freckles along the nose"),
        ("a small gold septum ring", "face.marks", "septum ring"),
        ("a mole on her left cheek", "face.marks", "mole on the left cheek"),
    ],
)
def test_numbers_and_phrases_are_read_the_way_briefs_write_them(text, path, value):
    assert values(text)[path] == value


def test_colour_words_go_to_what_they_describe():
    found = values("Grey stubble, deep brown eyes, warm olive skin. Silver hoops are fine.")
    assert found["face.facial_hair"] == "stubble"
    assert found["face.eyes"] == "dark brown"
    assert found["appearance.skin"] == "olive, warm undertones"
    assert "hair.color" not in found


def test_what_cannot_be_placed_comes_back_as_unplaced_text():
    result = parse_paragraph(SEED_PROMPT)
    assert "gaze directed slightly off-camera" in result.unplaced_text
    assert "faint amber flecks" in result.unplaced_text
    assert "jet-black" not in result.unplaced_text


def test_a_paragraph_with_nothing_to_place_keeps_all_of_it_unplaced():
    result = parse_paragraph("Shot on film, golden hour, candid and unposed.")
    assert not result.readings
    assert "Shot on film" in result.unplaced_text


def test_an_age_under_18_is_left_out_and_says_why():
    result = parse_paragraph("A 16-year-old with long red hair")
    assert "appearance.age" not in result.readings
    assert "under 18" in result.not_read["appearance.age"]
    assert result.readings["hair.color"].value == "red"


def test_reading_a_paragraph_takes_well_under_20_ms():
    texts = [case["text"] for case in paragraphs()]
    parse_paragraph(texts[0])
    started = time.perf_counter()
    for text in texts:
        parse_paragraph(text)
    assert (time.perf_counter() - started) / len(texts) < 0.02


def test_the_evaluation_targets_hold_on_a_sample_of_each_split():
    # The full set runs in bench/extract_text_eval.py; a few items here catch regressions.
    sample = [case for split in ("dev", "test", "holdout") for case in paragraphs(split)[:5]]
    score = score_text(sample, values)
    assert score.overall.f1 >= 0.85, score.misses
    # Per field only where the sample has enough items for a rate to mean something.
    counted = [c for c in score.fields.values() if c.true_positive + c.false_negative >= 3]
    assert all(counts.f1 >= 0.7 for counts in counted), score.misses
