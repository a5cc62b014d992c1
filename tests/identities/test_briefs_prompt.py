import pytest

from identities.briefs.prompt import PORTRAIT_TREATMENT, brief_prompt, build_prompt
from identities.briefs.request import Instruction, empty_brief

SEED_003_BRIEF = {
    "appearance": {
        "gender": "female",
        "age": "28",
        "ethnicity": "North European",
        "skin": "light",
        "build": "slim",
        "expression": "confident and relaxed",
    },
    "face": {"eyes": "pale blue", "eyebrows": "natural arched", "marks": "freckles"},
    "hair": {"color": "ash blonde", "length": "long", "style": "wavy"},
}


def test_the_seeds_brief_becomes_one_natural_prompt_with_the_portrait_treatment():
    prompt = build_prompt(Instruction(brief=SEED_003_BRIEF))

    assert prompt == (
        "A 28-year-old North European woman with light skin and a slim build. "
        "She has pale blue eyes, natural arched eyebrows, freckles and long wavy ash blonde "
        "hair. Her expression is confident and relaxed. "
        "Photorealistic front-facing head-and-shoulders portrait of a single person looking "
        "straight into the camera, even soft studio lighting, wearing a plain neutral top, "
        "plain light-grey seamless backdrop, sharp focus, natural skin texture."
    )


def test_the_portrait_treatment_is_written_once_and_covers_framing_light_outfit_and_backdrop():
    prompt = brief_prompt(SEED_003_BRIEF)

    assert prompt.count(PORTRAIT_TREATMENT) == 1
    for words in (
        "front-facing",
        "head-and-shoulders",
        "even soft studio lighting",
        "plain neutral top",
        "plain light-grey seamless backdrop",
        "sharp focus",
        "natural skin texture",
    ):
        assert words in PORTRAIT_TREATMENT


def test_an_expert_prompt_is_sent_verbatim_with_nothing_added():
    text = "  A calm woman, gaze off-camera.\nNo backdrop notes.  "

    assert build_prompt(Instruction(brief=SEED_003_BRIEF, prompt=text)) == text


def test_every_field_is_mentioned():
    brief = {
        "appearance": {
            "gender": "male",
            "age": "early 30s",
            "ethnicity": "West African",
            "skin": "deep brown",
            "build": "athletic",
            "size": "M",
            "height": "185 cm",
            "expression": "serious",
        },
        "face": {
            "eyes": "dark brown",
            "eyebrows": "thick",
            "nose": "broad",
            "lips": "full",
            "face_shape": "strong jawline",
            "smile": "closed-lip smile",
            "facial_hair": "short beard",
            "makeup": "no makeup",
            "marks": "scar on chin",
        },
        "hair": {"color": "black", "length": "short", "style": "coily"},
    }

    assert brief_prompt(brief) == (
        "A West African man in his early 30s with deep brown skin and an athletic build "
        "(clothing size M, 185 cm tall). He has dark brown eyes, thick eyebrows, a broad nose, "
        "full lips, a strong jawline, a closed-lip smile, no makeup, a scar on chin, a short "
        "beard and short coily black hair. His expression is serious. " + PORTRAIT_TREATMENT
    )


def test_missing_fields_are_simply_not_mentioned():
    brief = {**empty_brief(), "face": {"eyes": "hazel"}}

    assert brief_prompt(brief) == "A person. They have hazel eyes. " + PORTRAIT_TREATMENT


@pytest.mark.parametrize(
    ("appearance", "face", "hair", "expected"),
    [
        (
            {"gender": "non-binary", "age": "18–20", "ethnicity": "East Asian"},
            {"facial_hair": "clean-shaven", "eyes": "monolid"},
            {"style": "pixie cut", "color": "platinum blonde"},
            "An East Asian non-binary person aged 18–20. They have monolid eyes and platinum "
            "blonde hair in a pixie cut. They are clean-shaven.",
        ),
        (
            {"ethnicity": "mixed South Asian and North European heritage", "height": "tall"},
            {"face_shape": "heart", "marks": "freckles, a small tattoo"},
            {"style": "slicked back"},
            "A person of mixed South Asian and North European heritage (tall). They have a "
            "heart-shaped face, freckles, a small tattoo and hair slicked back.",
        ),
        (
            {"gender": "female", "age": "80", "skin": "light with warm undertones"},
            {"eyes": "grey eyes", "marks": "vitiligo"},
            {"color": "silver hair", "length": "chin-length", "style": "bob"},
            "An 80-year-old woman with light skin with warm undertones. She has grey eyes, "
            "vitiligo and chin-length silver hair in a bob.",
        ),
    ],
)
def test_free_text_reads_naturally(appearance, face, hair, expected):
    brief = {"appearance": appearance, "face": face, "hair": hair}

    assert brief_prompt(brief) == f"{expected} {PORTRAIT_TREATMENT}"


def test_the_same_brief_always_gives_the_same_prompt():
    reordered = {
        "hair": dict(reversed(SEED_003_BRIEF["hair"].items())),
        "face": SEED_003_BRIEF["face"],
        "appearance": dict(reversed(SEED_003_BRIEF["appearance"].items())),
    }

    assert brief_prompt(reordered) == brief_prompt(SEED_003_BRIEF)
