"""The pydantic/ninja schemas document the same request the validator accepts."""

import pytest
from ninja import Schema
from pydantic import ValidationError

from identities.briefs.schema import (
    AppearanceIn,
    CreationRequestIn,
    FaceIn,
    HairIn,
    InstructionIn,
    InstructionOptionsIn,
    JobOptionsIn,
)
from identities.briefs.vocabulary import field, field_names


def test_the_schemas_are_ninja_schemas_usable_as_request_bodies():
    for schema in (CreationRequestIn, InstructionIn, InstructionOptionsIn, JobOptionsIn):
        assert issubclass(schema, Schema)


def test_group_schemas_follow_the_vocabulary():
    assert tuple(AppearanceIn.model_fields) == field_names("appearance")
    assert tuple(FaceIn.model_fields) == (*field_names("face"), "skin")
    assert tuple(HairIn.model_fields) == field_names("hair")
    properties = CreationRequestIn.model_json_schema()["$defs"]["HairIn"]["properties"]
    assert properties["color"]["title"] == field("hair", "color").label
    assert properties["color"]["anyOf"][0]["maxLength"] == field("hair", "color").max_length


def test_defaults_are_the_seeds():
    request = CreationRequestIn.model_validate({"instructions": [{"prompt": "A calm woman"}]})

    instruction = request.instructions[0]
    assert instruction.num_variations == 1
    assert instruction.options.model_dump() == {"ar": "3:4", "size": "2K", "format": "jpg"}
    assert request.options.model_dump() == {"model": "auto", "add_ai_watermark": False}


def test_the_seed_example_with_an_integer_age_and_face_skin_is_accepted():
    CreationRequestIn.model_validate(
        {
            "instructions": [
                {
                    "appearance": {"gender": "female", "age": 28},
                    "face": {"eyes": "blue", "skin": "light"},
                    "camera": {"angle": "low"},
                    "num_variations": 3,
                    "options": {"ar": "3:4", "format": "jpg", "size": "2K"},
                }
            ],
            "options": {"model": "orbita"},
        }
    )


@pytest.mark.parametrize(
    "body",
    [
        {"instructions": []},
        {"instructions": [{"prompt": "x"}] * 6},
        {"instructions": [{"face": {"eye_colour": "blue"}}]},
        {"instructions": [{"prompt": "x", "num_variations": 9}]},
        {"instructions": [{"prompt": "x", "options": {"ar": "7:3"}}]},
        {"instructions": [{"prompt": "x", "input_assets": [{"file_id": "a"}] * 4}]},
        {"instructions": [{"prompt": "x"}], "options": {"model": "dalle"}},
    ],
)
def test_the_schema_refuses_what_the_validator_refuses(body):
    with pytest.raises(ValidationError):
        CreationRequestIn.model_validate(body)
