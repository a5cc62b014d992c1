"""validate_creation_request: every rule, on its exact field path, all errors at once."""

import copy

import pytest

from config.api.refusals import refusal_api_error
from config.refusals import FieldError
from identities.briefs.request import BriefError, CreationRequest, Instruction
from identities.briefs.validation import validate_creation_request, validate_instruction
from identities.engines.base import ASPECT_RATIOS, Capabilities
from tests.pipeline import SEED_003_BODY as SEED_003

pytestmark = pytest.mark.django_db

SEED_000 = {
    "instructions": [
        {
            "appearance": {
                "gender": "female",
                "age": 28,
                "ethnicity": "North European",
                "expression": "confident",
            },
            "face": {"eyes": "blue", "skin": "light", "marks": "light freckles"},
            "hair": {"color": "blonde", "length": "long", "style": "wavy"},
            "num_variations": 3,
            "options": {"ar": "3:4", "format": "jpg", "size": "2K"},
        }
    ]
}


SEED_EXPERT_PROMPT = (
    "A 31-year-old woman of mixed South Asian and North European heritage, long jet-black hair "
    "parted in the middle and twisted into a loose low bun, deep brown eyes with faint amber "
    "flecks, a small gold septum ring, warm olive skin with a scatter of small beauty marks along "
    "the jawline. Natural minimal makeup, calm focused expression, gaze slightly off-camera."
)
SEED_EXPERT = {
    "instructions": [
        {
            "prompt": SEED_EXPERT_PROMPT,
            "num_variations": 2,
            "options": {"ar": "3:4", "size": "2K", "format": "jpg"},
        }
    ]
}
SEED_EXPERT_WITH_REFERENCE = {
    "instructions": [
        {
            "prompt": "A model styled in the same vibe as the reference, three-quarter turn, "
            "calm focused expression.",
            "input_assets": [{"file_id": "img_xyz..."}],
            "num_variations": 2,
            "options": {"ar": "3:4", "size": "2K", "format": "jpg"},
        }
    ]
}


@pytest.fixture(autouse=True)
def no_external_engines(settings):
    """The embedded default: no external engine keys, so `auto` means the in-house renderer."""
    settings.CASTLESS_GEMINI_API_KEY = ""
    settings.CASTLESS_SEEDREAM_API_KEY = ""
    settings.CASTLESS_MODELCREATE_API_KEY = ""


def brief(**groups) -> dict:
    return {"instructions": [{"appearance": {"gender": "female"}, **groups}]}


def errors_of(data, **kwargs) -> list[tuple[str | None, str]]:
    with pytest.raises(BriefError) as caught:
        validate_creation_request(data, **kwargs)
    assert all(isinstance(e, FieldError) and e.position == "body" for e in caught.value.errors)
    return [(e.field, e.message) for e in caught.value.errors]


# The seed's examples


def test_seed_000_example_validates_with_face_skin_read_as_appearance_skin():
    request = validate_creation_request(SEED_000)

    (instruction,) = request.instructions
    assert instruction.brief == {
        "appearance": {
            "gender": "female",
            "age": "28",
            "ethnicity": "North European",
            "expression": "confident",
            "skin": "light",
        },
        "face": {"eyes": "blue", "marks": "light freckles"},
        "hair": {"color": "blonde", "length": "long", "style": "wavy"},
    }
    assert (instruction.num_variations, instruction.size, instruction.ar) == (3, "2K", "3:4")
    assert request.model == "auto" and request.add_ai_watermark is False and request.name is None


def test_seed_003_python_example_validates_into_a_frozen_normalized_request():
    request = validate_creation_request(SEED_003)

    assert request == CreationRequest(
        instructions=(
            Instruction(
                brief={
                    "appearance": {
                        "gender": "female",
                        "age": "28",
                        "ethnicity": "North European",
                        "skin": "light",
                        "build": "slim",
                        "expression": "confident and relaxed",
                    },
                    "face": {
                        "eyes": "pale blue",
                        "eyebrows": "natural arched",
                        "marks": "freckles",
                    },
                    "hair": {"color": "ash blonde", "length": "long", "style": "wavy"},
                },
                prompt=None,
                num_variations=3,
                size="2K",
                ar="3:4",
                format="jpg",
            ),
        ),
        model="auto",
        add_ai_watermark=False,
        name="Spring catalog model",
    )
    assert request.instructions[0].expert is False
    assert request.total_variations == 3
    with pytest.raises(AttributeError):
        request.name = "other"  # type: ignore[misc]


def test_seed_expert_example_validates_and_keeps_the_prompt_verbatim():
    (instruction,) = validate_creation_request(SEED_EXPERT).instructions

    assert instruction.prompt == SEED_EXPERT_PROMPT
    assert instruction.expert is True
    assert instruction.brief == {"appearance": {}, "face": {}, "hair": {}}


def test_seed_expert_example_with_a_reference_validates_when_an_engine_takes_references(
    settings,
):
    settings.CASTLESS_GEMINI_API_KEY = "key"

    (instruction,) = validate_creation_request(SEED_EXPERT_WITH_REFERENCE).instructions

    assert instruction.input_assets == ("img_xyz...",)


def test_references_with_auto_and_no_engine_that_takes_them_are_refused_on_input_assets():
    assert errors_of(SEED_EXPERT_WITH_REFERENCE) == [
        ("instructions[0].input_assets", "input_assets is not supported on auto")
    ]


# Body and instruction count


@pytest.mark.parametrize("body", [None, [], "text", 3, True])
def test_a_body_that_is_not_an_object_is_refused(body):
    assert errors_of(body) == [(None, "The request body must be a JSON object")]


@pytest.mark.parametrize("body", [{}, {"instructions": None}, {"instructions": []}])
def test_at_least_one_instruction_is_required(body):
    assert errors_of(body) == [("instructions", "At least one instruction")]


def test_instructions_must_be_a_list():
    assert errors_of({"instructions": {"appearance": {}}}) == [
        ("instructions", "Must be a list of instructions")
    ]


def test_six_instructions_are_refused():
    data = {"instructions": [{"prompt": "A calm woman"}] * 6}

    assert errors_of(data) == [("instructions", "At most 5 instructions per job")]


def test_five_instructions_are_accepted():
    data = {"instructions": [{"prompt": "A calm woman"}] * 5}

    assert len(validate_creation_request(data).instructions) == 5


def test_unknown_top_level_field_is_named():
    data = {**SEED_000, "instruction": []}

    assert errors_of(data) == [
        ("instruction", "Unknown field; allowed: instructions, options, name")
    ]


def test_an_instruction_that_is_not_an_object_is_refused():
    assert errors_of({"instructions": ["a blonde woman"]}) == [
        ("instructions[0]", "Must be an object")
    ]


# Empty instructions, groups, unknown and ignored fields


@pytest.mark.parametrize(
    "instruction",
    [
        {},
        {"prompt": "   "},
        {"prompt": None, "appearance": {"gender": "", "age": None}, "hair": {}},
        {"num_variations": 2, "options": {"size": "1K"}},
        {"outfit": {"top": "white shirt"}, "scene": {"place": "beach"}},
    ],
)
def test_an_empty_instruction_is_refused(instruction):
    assert errors_of({"instructions": [instruction]}) == [
        ("instructions[0]", "Provide a non-empty prompt or at least one structured field")
    ]


def test_outfit_style_scene_and_camera_are_accepted_and_ignored():
    data = brief(
        outfit={"top": "white shirt"},
        style={"mood": "editorial"},
        scene={"background": "beach"},
        camera={"angle": "low", "lens": 85},
    )

    (instruction,) = validate_creation_request(data).instructions

    assert instruction.brief == {"appearance": {"gender": "female"}, "face": {}, "hair": {}}


def test_an_ignored_group_must_still_be_an_object():
    assert errors_of(brief(camera="low angle")) == [("instructions[0].camera", "Must be an object")]


def test_unknown_field_in_a_group_is_named_with_the_allowed_ones():
    assert errors_of(brief(face={"eye_colour": "blue"})) == [
        (
            "instructions[0].face.eye_colour",
            "Unknown field; allowed: eyes, eyebrows, nose, lips, smile, face_shape, "
            "facial_hair, makeup, marks, skin",
        )
    ]


def test_unknown_instruction_and_option_fields_are_named():
    data = {
        "instructions": [
            {"prompt": "A calm woman", "seed": 4, "options": {"ar": "1:1", "quality": "high"}}
        ],
        "options": {"model": "auto", "watermark": True},
    }

    assert errors_of(data) == [
        ("options.watermark", "Unknown field; allowed: model, add_ai_watermark"),
        (
            "instructions[0].seed",
            "Unknown field; allowed: appearance, face, hair, prompt, input_assets, "
            "num_variations, options",
        ),
        ("instructions[0].options.quality", "Unknown field; allowed: ar, size, format"),
    ]


def test_a_group_must_be_an_object():
    assert errors_of(brief(hair="long blonde")) == [("instructions[0].hair", "Must be an object")]


def test_appearance_skin_wins_over_face_skin():
    data = {"instructions": [{"appearance": {"skin": "olive"}, "face": {"skin": "fair"}}]}

    (instruction,) = validate_creation_request(data).instructions

    assert instruction.brief["appearance"] == {"skin": "olive"}
    assert instruction.brief["face"] == {}


def test_values_are_stripped_and_blank_values_dropped():
    data = {"instructions": [{"appearance": {"gender": "  male ", "build": " "}, "prompt": ""}]}

    (instruction,) = validate_creation_request(data).instructions

    assert instruction.brief["appearance"] == {"gender": "male"}
    assert instruction.prompt is None


# Field values


def test_a_field_value_must_be_a_string():
    assert errors_of(brief(hair={"length": 40})) == [
        ("instructions[0].hair.length", "Must be a string")
    ]


def test_a_field_value_has_a_maximum_length():
    assert errors_of(brief(hair={"color": "x" * 81})) == [
        ("instructions[0].hair.color", "At most 80 characters (got 81)")
    ]


def test_control_characters_are_refused_in_fields_but_newlines_are_fine_in_a_prompt():
    assert errors_of(brief(face={"eyes": "blue\x00"})) == [
        ("instructions[0].face.eyes", "Control characters are not allowed")
    ]
    assert errors_of(brief(face={"eyes": "blue\ngreen"})) == [
        ("instructions[0].face.eyes", "Control characters are not allowed")
    ]
    data = {"instructions": [{"prompt": "A calm woman.\n\nShort dark hair.\tNo makeup."}]}
    assert validate_creation_request(data).instructions[0].prompt.count("\n") == 2


def test_a_prompt_has_a_maximum_length():
    assert errors_of({"instructions": [{"prompt": "a" * 2001}]}) == [
        ("instructions[0].prompt", "At most 2000 characters (got 2001)")
    ]


def test_the_job_name_is_stripped_and_limited_to_120_characters():
    data = {**SEED_000, "name": "  Spring model  "}
    assert validate_creation_request(data).name == "Spring model"

    assert errors_of({**SEED_000, "name": "n" * 121}) == [
        ("name", "At most 120 characters (got 121)")
    ]
    assert errors_of({**SEED_000, "name": 7}) == [("name", "Must be a string")]


# Age and minors


@pytest.mark.parametrize(
    ("age", "expected"),
    [(18, "18"), (99, "99"), ("28", "28"), ("early 30s", "early 30s"), ("18–20", "18–20")],
)
def test_adult_ages_are_accepted_as_numbers_or_text(age, expected):
    request = validate_creation_request(brief(appearance={"age": age}))

    assert request.instructions[0].brief["appearance"]["age"] == expected


@pytest.mark.parametrize(
    "age", [17, 0, "16", "16-year-old", "teen", "late teens", "sixteen", "15-17", "teenager"]
)
def test_minors_are_refused_in_the_age_field(age):
    assert errors_of(brief(appearance={"age": age})) == [
        ("instructions[0].appearance.age", "Must be 18 or over: we never generate minors")
    ]


@pytest.mark.parametrize(("age", "message"), [(100, "Must be between 18 and 99")])
def test_implausible_ages_are_refused(age, message):
    assert errors_of(brief(appearance={"age": age})) == [
        ("instructions[0].appearance.age", message)
    ]


@pytest.mark.parametrize("age", [28.5, True, ["28"], {"years": 28}])
def test_age_must_be_a_whole_number_or_text(age):
    assert errors_of(brief(appearance={"age": age})) == [
        (
            "instructions[0].appearance.age",
            "Must be a whole number or text, e.g. 28 or early 30s",
        )
    ]


@pytest.mark.parametrize(
    ("prompt", "phrase"),
    [
        ("A 16-year-old girl with red hair", "16-year-old"),
        ("a teenager with braces", "teenager"),
        ("sixteen years old, freckles", "sixteen years old"),
        ("schoolgirl look, aged 15", "schoolgirl"),
        ("a girl of 16 with braces", "girl of 16"),
        ("a model under 18, natural light", "under 18"),
    ],
)
def test_minors_are_refused_in_an_expert_prompt_naming_the_phrase(prompt, phrase):
    assert errors_of({"instructions": [{"prompt": prompt}]}) == [
        (
            "instructions[0].prompt",
            f'Describe an adult: we never generate anyone under 18: "{phrase}"',
        )
    ]


def test_minors_are_refused_in_other_fields_too():
    assert errors_of(brief(appearance={"gender": "teen girl"})) == [
        (
            "instructions[0].appearance.gender",
            'Describe an adult: we never generate anyone under 18: "teen"',
        )
    ]


@pytest.mark.parametrize(
    "age", ["XVI", "xvi", "XVII years", "aged 17", "under 18", "a high-school student"]
)
def test_minors_are_refused_in_the_age_field_in_any_spelling(age):
    assert errors_of(brief(appearance={"age": age})) == [
        ("instructions[0].appearance.age", "Must be 18 or over: we never generate minors")
    ]


@pytest.mark.parametrize("age", ["XVIII", "XXV", "25", "19-year-old", "mid 30s, I think"])
def test_adult_ages_in_any_spelling_are_accepted(age):
    request = validate_creation_request(brief(appearance={"age": age}))

    assert request.instructions[0].brief["appearance"]["age"] == age


@pytest.mark.parametrize(
    "prompt",
    [
        "A twenty-one year old woman in a size 16 dress, a minor scar on her chin",
        "A woman in her early twenties, 16:9 framing",
    ],
)
def test_ordinary_numbers_are_not_read_as_ages(prompt):
    assert validate_creation_request({"instructions": [{"prompt": prompt}]})


# Variations and options


@pytest.mark.parametrize("variations", [0, 9, -1, "3", 2.0, True, [3]])
def test_num_variations_must_be_a_whole_number_from_1_to_8(variations):
    data = brief(num_variations=variations)

    assert errors_of(data) == [
        ("instructions[0].num_variations", "Must be a whole number between 1 and 8")
    ]


def test_num_variations_defaults_to_1():
    assert validate_creation_request(brief()).instructions[0].num_variations == 1


def test_options_default_to_3_4_2k_jpg_auto_and_no_watermark():
    request = validate_creation_request(brief())

    instruction = request.instructions[0]
    assert (instruction.ar, instruction.size, instruction.format) == ("3:4", "2K", "jpg")
    assert (request.model, request.add_ai_watermark) == ("auto", False)


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        ({"ar": "7:3"}, "ar", "Must be one of 1:1, 2:3, 3:4, 4:5, 5:4, 3:2, 4:3, 9:16, 16:9, 21:9"),
        ({"ar": 1.5}, "ar", "Must be one of 1:1, 2:3, 3:4, 4:5, 5:4, 3:2, 4:3, 9:16, 16:9, 21:9"),
        ({"size": "8K"}, "size", "Must be one of 1K, 2K, 4K"),
        ({"size": 2}, "size", "Must be one of 1K, 2K, 4K"),
        ({"format": "gif"}, "format", "Must be one of jpg, png"),
        ({"format": "webp"}, "format", "Must be one of jpg, png"),
    ],
)
def test_bad_ratio_size_or_format_is_refused(options, field, message):
    assert errors_of(brief(options=options)) == [(f"instructions[0].options.{field}", message)]


def test_jpeg_is_accepted_as_jpg_and_case_is_ignored_for_size_and_format():
    (instruction,) = validate_creation_request(
        brief(options={"format": "JPEG", "size": "4k", "ar": "9:16"})
    ).instructions

    assert (instruction.format, instruction.size, instruction.ar) == ("jpg", "4K", "9:16")


def test_options_must_be_an_object():
    assert errors_of(brief(options="1:1")) == [("instructions[0].options", "Must be an object")]
    assert errors_of({**SEED_000, "options": "auto"}) == [("options", "Must be an object")]


def test_model_must_be_a_known_engine():
    assert errors_of({**SEED_000, "options": {"model": "dalle"}}) == [
        (
            "options.model",
            "Must be one of auto, nano_banana_pro, seedream, orbita, local, model_create",
        )
    ]


def test_add_ai_watermark_must_be_a_boolean():
    assert errors_of({**SEED_000, "options": {"add_ai_watermark": "yes"}}) == [
        ("options.add_ai_watermark", "Must be true or false")
    ]
    data = {**SEED_000, "options": {"model": "local", "add_ai_watermark": True}}
    assert validate_creation_request(data).add_ai_watermark is True


# Reference images


def test_references_are_taken_with_an_expert_prompt():
    data = {
        "instructions": [
            {"prompt": "Same vibe as the reference", "input_assets": [{"file_id": " f1 "}]}
        ]
    }

    (instruction,) = validate_creation_request(
        data, engine_for=lambda model: _caps(max_input_assets=3)
    ).instructions

    assert instruction.input_assets == ("f1",)


def test_four_references_are_refused():
    data = {
        "instructions": [
            {"prompt": "Same vibe", "input_assets": [{"file_id": f"f{i}"} for i in range(4)]}
        ]
    }

    assert errors_of(data, engine_for=lambda model: _caps(max_input_assets=3)) == [
        ("instructions[0].input_assets", "At most 3 reference images per instruction")
    ]


def test_references_need_an_expert_prompt():
    data = brief(input_assets=[{"file_id": "f1"}])

    assert errors_of(data, engine_for=lambda model: _caps(max_input_assets=3)) == [
        (
            "instructions[0].input_assets",
            "Reference images need an expert prompt: set prompt, or remove input_assets",
        )
    ]


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        ({}, "input_assets[0].file_id", "Required: the file_id of an uploaded image"),
        ({"file_id": ""}, "input_assets[0].file_id", "Required: the file_id of an uploaded image"),
        ({"file_id": 12}, "input_assets[0].file_id", "Required: the file_id of an uploaded image"),
        ("f1", "input_assets[0]", 'Must be an object like {"file_id": "…"}'),
        ({"file_id": "f1", "url": "x"}, "input_assets[0].url", "Unknown field; allowed: file_id"),
    ],
)
def test_each_reference_is_a_file_id_object(entry, field, message):
    data = {"instructions": [{"prompt": "Same vibe", "input_assets": [entry]}]}

    assert errors_of(data, engine_for=lambda model: _caps(max_input_assets=3)) == [
        (f"instructions[0].{field}", message)
    ]


def test_the_same_reference_twice_is_refused():
    data = {
        "instructions": [
            {"prompt": "Same vibe", "input_assets": [{"file_id": "f1"}, {"file_id": "f1"}]}
        ]
    }

    assert errors_of(data, engine_for=lambda model: _caps(max_input_assets=3)) == [
        ("instructions[0].input_assets[1]", "This file is already listed")
    ]


# Engine limits (orbita through the real registry)


def test_orbita_refuses_2k():
    data = {**SEED_000, "options": {"model": "orbita"}}

    assert errors_of(data) == [("instructions[0].options.size", "orbita supports sizes 1K only")]


def test_orbita_says_when_the_refused_size_is_the_default():
    data = {"instructions": [{"prompt": "A calm woman"}], "options": {"model": "orbita"}}

    assert errors_of(data) == [
        (
            "instructions[0].options.size",
            "orbita supports sizes 1K only (options.size defaults to 2K when not set)",
        )
    ]


@pytest.mark.parametrize("ar", ["4:5", "5:4", "21:9"])
def test_orbita_refuses_its_three_ratios(ar):
    data = {
        "instructions": [{"prompt": "A calm woman", "options": {"size": "1K", "ar": ar}}],
        "options": {"model": "orbita"},
    }

    assert errors_of(data) == [
        ("instructions[0].options.ar", f"orbita does not support aspect ratio {ar}")
    ]


def test_orbita_refuses_references():
    data = {
        "instructions": [
            {
                "prompt": "Same vibe",
                "input_assets": [{"file_id": "f1"}],
                "options": {"size": "1K"},
            }
        ],
        "options": {"model": "orbita"},
    }

    assert errors_of(data) == [
        ("instructions[0].input_assets", "input_assets is not supported on orbita")
    ]


def test_orbita_accepts_1k_in_its_ratios():
    data = {
        "instructions": [{"prompt": "A calm woman", "options": {"size": "1K", "ar": "1:1"}}],
        "options": {"model": "orbita"},
    }

    assert validate_creation_request(data).model == "orbita"


def test_engine_capabilities_can_be_injected():
    asked = []

    def engine_for(model):
        asked.append(model)
        return _caps(sizes={"1K", "2K"})

    data = {**SEED_000, "options": {"model": "seedream"}}
    data["instructions"] = [{**SEED_000["instructions"][0], "options": {"size": "4K"}}]

    assert errors_of(data, engine_for=engine_for) == [
        ("instructions[0].options.size", "fake supports sizes 1K, 2K only")
    ]
    assert asked == ["seedream"]


def test_an_invalid_option_is_reported_once_not_again_as_an_engine_limit():
    data = {
        "instructions": [{"prompt": "A calm woman", "options": {"size": "8K", "ar": "5:4"}}],
        "options": {"model": "orbita"},
    }

    assert errors_of(data) == [
        ("instructions[0].options.size", "Must be one of 1K, 2K, 4K"),
        ("instructions[0].options.ar", "orbita does not support aspect ratio 5:4"),
    ]


# Everything at once


def test_every_error_is_collected_with_its_exact_path():
    data = {
        "instructions": [
            copy.deepcopy(SEED_003["instructions"][0]),
            {"appearance": {"age": 15}, "face": {"eye_colour": "blue"}, "num_variations": 9},
            {},
            {"prompt": "Zendaya’s cousin", "options": {"ar": "4:5", "format": "tiff"}},
        ],
        "options": {"model": "orbita", "add_ai_watermark": "no"},
        "name": "x" * 200,
    }
    data["instructions"][0]["options"]["ar"] = "2:1"

    assert errors_of(data) == [
        ("options.add_ai_watermark", "Must be true or false"),
        ("name", "At most 120 characters (got 200)"),
        (
            "instructions[0].options.ar",
            "Must be one of 1:1, 2:3, 3:4, 4:5, 5:4, 3:2, 4:3, 9:16, 16:9, 21:9",
        ),
        ("instructions[0].options.size", "orbita supports sizes 1K only"),
        ("instructions[1].appearance.age", "Must be 18 or over: we never generate minors"),
        (
            "instructions[1].face.eye_colour",
            "Unknown field; allowed: eyes, eyebrows, nose, lips, smile, face_shape, "
            "facial_hair, makeup, marks, skin",
        ),
        ("instructions[1].num_variations", "Must be a whole number between 1 and 8"),
        (
            "instructions[1].options.size",
            "orbita supports sizes 1K only (options.size defaults to 2K when not set)",
        ),
        ("instructions[2]", "Provide a non-empty prompt or at least one structured field"),
        (
            "instructions[2].options.size",
            "orbita supports sizes 1K only (options.size defaults to 2K when not set)",
        ),
        ("instructions[3].prompt", 'Names of real people are not allowed: "Zendaya"'),
        ("instructions[3].options.format", "Must be one of jpg, png"),
        (
            "instructions[3].options.size",
            "orbita supports sizes 1K only (options.size defaults to 2K when not set)",
        ),
        ("instructions[3].options.ar", "orbita does not support aspect ratio 4:5"),
    ]


def test_brief_error_becomes_the_seeds_400_body():
    with pytest.raises(BriefError) as caught:
        validate_creation_request(brief(options={"ar": "7:3"}))

    error = refusal_api_error(caught.value)
    assert error.status == 400
    assert error.body() == {
        "error": "Validation error",
        "detail": [
            {
                "field": "instructions[0].options.ar",
                "message": "Must be one of 1:1, 2:3, 3:4, 4:5, 5:4, 3:2, 4:3, 9:16, 16:9, 21:9",
                "position": "body",
            }
        ],
    }


# One instruction on its own (presets, extracted instruction_data)


def test_a_single_instruction_validates_with_paths_relative_to_it():
    instruction = validate_instruction({"hair": {"color": "auburn"}})
    assert instruction.brief["hair"] == {"color": "auburn"}

    with pytest.raises(BriefError) as caught:
        validate_instruction({"hair": {"colour": "auburn"}})
    assert [e.field for e in caught.value.errors] == ["hair.colour"]


def _caps(*, sizes=("1K", "2K", "4K"), max_input_assets=0):
    return Capabilities(
        sizes=frozenset(sizes),
        aspect_ratios=frozenset(ASPECT_RATIOS),
        max_input_assets=max_input_assets,
        external=True,
        label="fake",
    )
