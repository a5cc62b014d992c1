import json

import pytest

from identities.briefs.payload import instruction_payload, to_api_payload
from identities.briefs.request import CreationRequest, Instruction, empty_brief
from identities.briefs.schema import CreationRequestIn
from identities.briefs.validation import validate_creation_request
from identities.engines.base import ASPECT_RATIOS, Capabilities

pytestmark = pytest.mark.django_db


def takes_references(model: str) -> Capabilities:
    return Capabilities(
        sizes=frozenset({"1K", "2K", "4K"}),
        aspect_ratios=frozenset(ASPECT_RATIOS),
        max_input_assets=3,
        external=True,
        label=model,
    )


STRUCTURED = Instruction(
    brief={
        "appearance": {"gender": "female", "age": "28", "skin": "light"},
        "face": {},
        "hair": {"color": "ash blonde"},
    },
    num_variations=3,
)
EXPERT = Instruction(
    brief={"appearance": {"age": "early 30s"}, "face": {"eyes": "hazel"}, "hair": {}},
    prompt="A calm woman, gaze off-camera.",
    input_assets=("f1", "f2"),
    size="4K",
    ar="9:16",
    format="png",
)


def test_the_payload_has_the_apis_shape_and_omits_empty_fields():
    request = CreationRequest(instructions=(STRUCTURED,), name=None)

    assert to_api_payload(request) == {
        "instructions": [
            {
                "appearance": {"gender": "female", "age": 28, "skin": "light"},
                "hair": {"color": "ash blonde"},
                "num_variations": 3,
                "options": {"ar": "3:4", "size": "2K", "format": "jpg"},
            }
        ],
        "options": {"model": "auto", "add_ai_watermark": False},
    }


def test_an_expert_instruction_keeps_its_prompt_references_and_metadata():
    assert instruction_payload(EXPERT) == {
        "appearance": {"age": "early 30s"},
        "face": {"eyes": "hazel"},
        "prompt": "A calm woman, gaze off-camera.",
        "input_assets": [{"file_id": "f1"}, {"file_id": "f2"}],
        "num_variations": 1,
        "options": {"ar": "9:16", "size": "4K", "format": "png"},
    }


def test_an_age_like_028_stays_text_so_it_survives_the_round_trip():
    instruction = Instruction(brief={**empty_brief(), "appearance": {"age": "028"}})

    assert instruction_payload(instruction)["appearance"] == {"age": "028"}


@pytest.mark.parametrize(
    "request_",
    [
        CreationRequest(instructions=(STRUCTURED,)),
        CreationRequest(
            instructions=(STRUCTURED, EXPERT),
            model="seedream",
            add_ai_watermark=True,
            name="Spring catalog model",
        ),
    ],
)
def test_the_payload_validates_back_into_the_same_request(request_):
    payload = json.loads(json.dumps(to_api_payload(request_)))

    assert validate_creation_request(payload, engine_for=takes_references) == request_


def test_the_payload_is_also_accepted_by_the_openapi_schema():
    request = CreationRequest(instructions=(STRUCTURED, EXPERT), name="Spring")

    CreationRequestIn.model_validate(to_api_payload(request))
