import random
import re
import time

import pytest

from bench.lib.evaluation import paragraphs, score_text
from identities.briefs.vocabulary import FIELDS
from identities.extraction.text import parse_paragraph
from identities.extraction.text.lexicon import GLUE
from identities.extraction.text.parser import parse_with_spans

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
    sample = [
        case
        for split in ("dev", "test", "holdout", "phrases", "phrases-late")
        for case in paragraphs(split)[:5]
    ]
    score = score_text(sample, values)
    assert score.overall.f1 >= 0.85, score.misses
    # Per field only where the sample has enough items for a rate to mean something.
    counted = [c for c in score.fields.values() if c.true_positive + c.false_negative >= 3]
    assert all(counts.f1 >= 0.7 for counts in counted), score.misses


# Phrases From Text used to drop without a word


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("salt-and-pepper hair", "hair.color", "salt and pepper"),
        ("Hair: salt-and-pepper, short", "hair.color", "salt and pepper"),
        ("his hair is salt and pepper", "hair.color", "salt and pepper"),
        ("dark hair just above the collar", "hair.length", "chin-length"),
        ("hair worn just above the collar", "hair.length", "chin-length"),
        ("grey hair grazing her collarbones", "hair.length", "shoulder-length"),
        ("a scar through the left eyebrow", "face.marks", "scar through the left eyebrow"),
        ("a scar through his left eyebrow", "face.marks", "scar through the left eyebrow"),
        ("a thin scar above her right eyebrow", "face.marks", "thin scar above the right eyebrow"),
        (
            "a scar across the bridge of his nose",
            "face.marks",
            "scar across the bridge of the nose",
        ),
        ("dirty-blond hair", "hair.color", "ash blonde"),
        ("platinum hair in an undercut", "hair.style", "undercut"),
    ],
)
def test_phrases_once_dropped_are_placed(text, path, value):
    result = parse_paragraph(text)
    assert result.readings[path].value == value
    assert not result.unplaced_text


def test_the_three_phrases_together_fill_three_fields_and_leave_nothing():
    result = parse_paragraph(
        "Salt-and-pepper hair just above the collar and a scar through the left eyebrow."
    )
    found = {path: reading.value for path, reading in result.readings.items()}
    assert found == {
        "hair.color": "salt and pepper",
        "hair.length": "chin-length",
        "face.marks": "scar through the left eyebrow",
    }
    assert result.unplaced_text == ""


def test_a_value_that_lost_to_another_is_returned_unplaced():
    # One hair colour only: "black hair" wins, and the grey strands are not silently eaten.
    result = parse_paragraph("Jaw-length black hair with a few grey strands.")
    assert result.readings["hair.color"].value == "black"
    assert "few grey strands" in result.unplaced_text


def test_a_colour_no_field_takes_is_returned_with_its_noun():
    result = parse_paragraph("Salt-and-pepper stubble, soft blue eyes.")
    assert result.readings["face.facial_hair"].value == "stubble"
    assert "hair.color" not in result.readings
    assert result.unplaced_text == "Salt-and-pepper stubble; soft blue eyes"


def test_unplaced_text_quotes_the_paragraph_as_written():
    result = parse_paragraph("Black hair with grey streaks worn in two braids.")
    assert result.unplaced_text == "grey streaks worn in two"


def test_another_mark_at_a_second_place_is_placed():
    result = parse_paragraph("A scar through the left eyebrow and another on her chin.")
    assert result.readings["face.marks"].value == "scar through the left eyebrow, scar on the chin"


# Nothing lost: every word of any paragraph is placed or returned


_OWNER_NOUN = {
    "appearance.skin": "skin",
    "appearance.build": "build",
    "appearance.expression": "expression",
    "face.eyes": "eyes",
    "face.eyebrows": "brows",
    "face.nose": "nose",
    "face.lips": "lips",
    "face.face_shape": "face",
    "hair.color": "hair",
    "hair.length": "hair",
    "hair.style": "hair",
}
VOCABULARY = [
    f"{chip.value} {_OWNER_NOUN[f.path]}" if f.path in _OWNER_NOUN else chip.value
    for f in FIELDS
    for chip in f.chips
] + [
    "salt-and-pepper hair",
    "hair just above the collar",
    "a scar through the left eyebrow",
    "freckles along the nose",
    "a tiny tattoo of a swallow on her wrist",
    "deep brown eyes with faint amber flecks",
]
FILLER = [
    "shot on film",
    "golden hour light",
    "wearing a denim jacket",
    "weathered",
    "gaze slightly off-camera",
    "laugh lines",
    "gold hoop earrings",
    "for the autumn campaign",
    "think quiet confidence",
    "no logos",
    "silver rings on both hands",
]
_JOINERS = frozenset({"with", "but", "while", "featuring"})
_WORD = re.compile(r"\w[\w'’-]*")


def _nonsense(rng: random.Random) -> str:
    return "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3))


def _paragraph(rng: random.Random) -> tuple[str, list[str]]:
    invented = [_nonsense(rng) for _ in range(rng.randint(0, 2))]
    phrases = rng.sample(VOCABULARY, rng.randint(2, 8)) + rng.sample(FILLER, rng.randint(0, 3))
    phrases += invented
    rng.shuffle(phrases)
    text = phrases[0]
    for phrase in phrases[1:]:
        text += rng.choice([", ", ". ", " and ", " with ", "; ", " - "]) + phrase
    return text + rng.choice(["", "."]), invented


@pytest.mark.parametrize("seed", range(300))
def test_every_word_is_placed_or_returned_unplaced(seed):
    text, invented = _paragraph(random.Random(seed))
    parsed = parse_with_spans(text)
    covered = parsed.placed + parsed.unplaced
    lost = [
        word.group(0)
        for word in _WORD.finditer(parsed.text)
        if word.group(0).lower() not in GLUE | _JOINERS
        and not any(word.start() < end and start < word.end() for start, end in covered)
    ]
    assert not lost, (text, parsed.result.unplaced_text)
    # Words no brief has ever used cannot fill a field: they come back as written.
    for word in invented:
        assert word in parsed.result.unplaced_text, (text, parsed.result.unplaced_text)
    # The unplaced text is exactly the unplaced spans, quoted from the paragraph.
    pieces = [piece for piece in parsed.result.unplaced_text.split("; ") if piece]
    assert len(pieces) == len(parsed.unplaced)
