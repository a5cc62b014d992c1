"""A run's inputs: the reference's defaults, and every refusal naming its field (seed 002)."""

import pytest

from config.refusals import InvalidInput
from identities.services.runs import normalize_inputs

PNG_URI = "data:image/png;base64,iVBORw0KGgo="


def refused_fields(inputs) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        normalize_inputs(inputs)
    return [problem.field for problem in caught.value.problems]


def test_a_bare_prompt_gets_the_references_defaults():
    values = normalize_inputs({"prompt": "  Full body shot, woman in a white t-shirt  "})
    assert values == {
        "prompt": "Full body shot, woman in a white t-shirt",
        "identity_code": None,
        "face_reference": None,
        "face_reference_mode": "match_reference",
        "image_reference": None,
        "product_images": [],
        "aspect_ratio": None,
        "resolution": "1k",
        "generation_mode": "automatic",
        "output_format": "png",
        "seed": 42,
        "num_images": 1,
        "return_base64": False,
        "engine": "auto",
    }


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"num_images": 5}, "num_images"),
        ({"num_images": 0}, "num_images"),
        ({"aspect_ratio": "7:5"}, "aspect_ratio"),
        ({"seed": 2**32}, "seed"),
        ({"seed": -1}, "seed"),
        ({"seed": True}, "seed"),
        ({"resolution": "8k"}, "resolution"),
        ({"generation_mode": "turbo"}, "generation_mode"),
        ({"output_format": "gif"}, "output_format"),
        ({"face_reference_mode": "match_all"}, "face_reference_mode"),
        ({"return_base64": "yes"}, "return_base64"),
        ({"face_reference": "aGVsbG8="}, "face_reference"),
        ({"image_reference": "ftp://example.com/pose.png"}, "image_reference"),
        ({"garment_image": "https://example.com/a.png"}, "garment_image"),
        ({"identity_code": "Not-A-Code"}, "identity_code"),
    ],
)
def test_bad_inputs_are_refused_with_their_field(extra, field):
    assert field in refused_fields({"prompt": "$model in a linen shirt", **extra})


def test_the_largest_seed_and_four_images_are_accepted():
    values = normalize_inputs({"prompt": "a model", "seed": 2**32 - 1, "num_images": 4})
    assert (values["seed"], values["num_images"]) == (2**32 - 1, 4)


def test_an_identity_needs_model_in_the_prompt():
    assert refused_fields({"prompt": "a woman in a linen shirt", "identity_code": "a" * 12}) == [
        "prompt"
    ]


def test_a_face_reference_works_without_model_as_reference_clients_send_it():
    values = normalize_inputs({"prompt": "a woman in a linen shirt", "face_reference": PNG_URI})
    assert values["face_reference"] == PNG_URI


def test_model_without_a_face_is_refused():
    assert refused_fields({"prompt": "$model in a linen shirt"}) == ["prompt"]


def test_an_identity_and_a_face_reference_together_are_refused():
    fields = refused_fields(
        {"prompt": "$model smiling", "identity_code": "a" * 12, "face_reference": PNG_URI}
    )
    assert fields == ["face_reference"]


def test_products_and_the_product_placeholder_go_together():
    assert refused_fields({"prompt": "a model wearing $product"}) == ["product_images"]
    assert refused_fields({"prompt": "a model in a coat", "product_images": [PNG_URI]}) == [
        "prompt"
    ]
    four = {"prompt": "a model wearing $product", "product_images": [PNG_URI] * 4}
    assert refused_fields(four) == ["product_images"]
    bad = {"prompt": "a model wearing $product", "product_images": [PNG_URI, "nope"]}
    assert refused_fields(bad) == ["product_images[1]"]


def test_inputs_must_be_an_object_and_a_prompt_is_required():
    assert refused_fields(["prompt"]) == ["inputs"]
    assert refused_fields({"num_images": 2}) == ["prompt"]
    assert refused_fields({"prompt": "a\x00model"}) == ["prompt"]
