"""The minors guard: every way of asking for someone under 18 is refused, ordinary numbers are not."""

import pytest

from identities.briefs.minors import age_problem, minor_phrase
from identities.briefs.request import BriefError
from identities.briefs.validation import validate_creation_request
from identities.briefs.vocabulary import FIELDS

pytestmark = pytest.mark.django_db

MINOR_MESSAGE = "Describe an adult: we never generate anyone under 18"
AGE_MESSAGE = "Must be 18 or over: we never generate minors"


@pytest.fixture(autouse=True)
def no_external_engines(settings):
    settings.CASTLESS_GEMINI_API_KEY = ""
    settings.CASTLESS_SEEDREAM_API_KEY = ""
    settings.CASTLESS_MODELCREATE_API_KEY = ""


def errors_of(data) -> list[tuple[str | None, str]]:
    with pytest.raises(BriefError) as caught:
        validate_creation_request(data)
    return [(e.field, e.message) for e in caught.value.errors]


# Running text: the phrase that asks for a minor is found and named

MINORS_IN_TEXT = [
    ("a woman aged XVI, freckles", "aged XVI"),
    ("XVI years old, red hair", "XVI years old"),
    ("a girl of XV in a garden", "girl of XV"),
    ("a girl of 16 with braces", "girl of 16"),
    ("a girl of sixteen with braces", "girl of sixteen"),
    ("a high-school student at her desk", "high-school student"),
    ("a high school girl", "high school girl"),
    ("a highschooler with a backpack", "highschooler"),
    ("a model under 18", "under 18"),
    ("a model under eighteen", "under eighteen"),
    ("a model under the age of 18", "under the age of 18"),
    ("a model below 17", "below 17"),
    ("a model who is not yet 18", "not yet 18"),
    ("a teen in a hoodie", "teen"),
    ("a teenage girl", "teenage"),
    ("a schoolgirl outfit", "schoolgirl"),
    ("school girl look", "school girl"),
    ("a 15-year-old with freckles", "15-year-old"),
    ("a 15 year old with freckles", "15 year old"),
    ("a 15yo with freckles", "15yo"),
    ("a 15 y.o. with freckles", "15 y.o."),
    ("a woman aged 17", "aged 17"),
    ("age: 17, red hair", "age: 17"),
    ("sixteen years old, freckles", "sixteen years old"),
    ("a woman, 16, with freckles", "woman, 16"),
    ("she is 16", "she is 16"),
    ("just turned 15", "turned 15"),
    ("sweet sixteen party look", "sweet sixteen"),
    ("a girl in junior high", "junior high"),
    ("a middle school girl", "middle school girl"),
    ("a girl in middle school", "in middle school"),
    ("an underage model", "underage"),
    ("an under-age model", "under-age"),
    ("barely legal look", "barely legal"),
    ("a young girl with pigtails", "young girl"),
    ("she is a minor.", "a minor"),
    # Look-alike letters from other scripts do not hide the word (Cyrillic е).
    ("a t\u0435\u0435n in a hoodie", "teen"),
]


@pytest.mark.parametrize(("text", "phrase"), MINORS_IN_TEXT)
def test_minors_in_running_text_are_found_by_their_phrase(text, phrase):
    assert minor_phrase(text) == phrase


ADULTS_IN_TEXT = [
    "a woman, 18, with freckles",
    "a 19-year-old woman",
    "a woman aged 25",
    "a 25 year old",
    "18",
    "25",
    "class of 2016 reunion look",
    "a braided bun",
    "a 16:9 frame",
    "a size 16 dress",
    "a minor scar on her chin",
    "a man of 6 ft with a beard",
    "a model under 6 feet tall",
    "a model under 25",
    "a high school teacher in her 40s",
    "her high school sweetheart look, in her 30s",
    "a woman in her early twenties, 16:9 framing",
    "A twenty-one year old woman in a size 16 dress",
    "Louis XVI style interior",
    "mid 30s, I think",
    "shot at f/1.8 on 85mm, ISO 100, 1/250 s",
    "a 4K portrait, 2K preview",
    "a canteen in the background",
    "a woman, I guess, with short hair",
    "eighteen years old",
    "a kidskin leather jacket",
]


@pytest.mark.parametrize("text", ADULTS_IN_TEXT)
def test_ordinary_text_and_adult_ages_are_not_read_as_minors(text):
    assert minor_phrase(text) is None


def test_no_vocabulary_chip_is_read_as_a_minor():
    chips = [chip.value for field in FIELDS for chip in field.chips]

    assert [chip for chip in chips if minor_phrase(chip)] == []
    ages = [chip.value for field in FIELDS if field.name == "age" for chip in field.chips]
    assert [age for age in ages if age_problem(age)] == []


# The age field is read strictly


@pytest.mark.parametrize(
    "age", ["XVI", "xvi", "XVII", "16", "sixteen", "teen", "15-year-old", "aged 17", "under 18"]
)
def test_a_minor_age_in_any_spelling_is_refused_in_the_age_field(age):
    assert age_problem(age) == AGE_MESSAGE


@pytest.mark.parametrize("age", ["XVIII", "XXV", "18", "19", "25", "early 30s", "18–20"])
def test_adult_ages_in_any_spelling_are_accepted_in_the_age_field(age):
    assert age_problem(age) is None


# Through the validator: structured fields and expert prompts alike


@pytest.mark.parametrize(("text", "phrase"), MINORS_IN_TEXT)
def test_an_expert_prompt_asking_for_a_minor_is_refused_naming_the_phrase(text, phrase):
    assert errors_of({"instructions": [{"prompt": text}]}) == [
        ("instructions[0].prompt", f'{MINOR_MESSAGE}: "{phrase}"')
    ]


@pytest.mark.parametrize(
    ("group", "name", "text", "phrase"),
    [
        ("appearance", "gender", "schoolgirl", "schoolgirl"),
        ("appearance", "ethnicity", "a high-school student", "high-school student"),
        ("hair", "style", "pigtails like a girl of 16", "girl of 16"),
        ("face", "marks", "braces, a 15-year-old's freckles", "15-year-old"),
    ],
)
def test_a_structured_field_asking_for_a_minor_is_refused_naming_the_phrase(
    group, name, text, phrase
):
    data = {"instructions": [{"appearance": {"gender": "female"}, group: {name: text}}]}

    assert errors_of(data) == [(f"instructions[0].{group}.{name}", f'{MINOR_MESSAGE}: "{phrase}"')]


@pytest.mark.parametrize("age", ["XVI", "a model under 18", "a high-school student"])
def test_the_age_field_refuses_the_new_spellings(age):
    data = {"instructions": [{"appearance": {"gender": "female", "age": age}}]}

    assert errors_of(data) == [("instructions[0].appearance.age", AGE_MESSAGE)]


@pytest.mark.parametrize("text", ADULTS_IN_TEXT)
def test_ordinary_prompts_validate(text):
    assert validate_creation_request({"instructions": [{"prompt": f"A woman. {text}"}]})


# Through the API


@pytest.mark.parametrize(("text", "phrase"), [("a girl of 16 with braces", "girl of 16")])
def test_the_api_refuses_a_minor_with_400_and_the_phrase(alice_api, text, phrase):
    response = alice_api.post(
        "/api/v2/identity/create",
        {"instructions": [{"prompt": text, "num_variations": 1}]},
        content_type="application/json",
    )

    assert response.status_code == 400
    body = response.json()
    assert "blocked_term" not in body
    assert body["detail"] == [
        {
            "field": "instructions[0].prompt",
            "message": f'{MINOR_MESSAGE}: "{phrase}"',
            "position": "body",
        }
    ]
