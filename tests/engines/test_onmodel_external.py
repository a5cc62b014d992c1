"""External on-model engines against the local protocol servers (real HTTP on 127.0.0.1).

Each fake validates every request against its vendor's documented protocol and fails the test
on any break; here we also read what was sent: which image is which, and the rewritten prompt.
"""

import base64

import pytest

from identities.engines.base import EngineError
from identities.engines.onmodel import onmodel_engine
from identities.engines.onmodel_external import numbered_prompt
from identities.engines.sizes import pixel_size
from tests.engines.onmodel_helpers import BLUE, RED, onmodel_request, pixels, ref
from tests.identities.fakes.images import data_uri

FACE = ref(RED, (96, 120))
SHIRT, SKIRT, BAG = ref(BLUE), ref((40, 160, 60)), ref((200, 200, 40))
POSE = ref((90, 90, 90), (80, 120))


def _request(**overrides):
    values = {"prompt": "$model wearing $product, walking on a street", "face": FACE}
    return onmodel_request(**{**values, **overrides})


def test_prompt_names_each_image_by_its_number():
    one = _request(products=(SHIRT,))
    text, roles = numbered_prompt(one)
    assert roles == ["person", "product"]
    assert text.startswith("the person in image 1 wearing the garment in image 2, walking")
    assert "Keep the face and identity of the person in image 1" in text

    each = _request(prompt="$model in $product and $product", products=(SHIRT, SKIRT), pose=POSE)
    text, roles = numbered_prompt(each)
    assert roles == ["person", "product", "product", "pose"]
    assert "the garment in image 2 and the garment in image 3" in text
    assert "Match the pose and composition of image 4." in text

    grouped = _request(prompt="$model styled with $product", products=(SHIRT, SKIRT, BAG))
    assert "the garments in images 2, 3 and 4" in numbered_prompt(grouped)[0]

    unplaced = _request(prompt="$model on a rooftop", products=(SHIRT,))
    assert "The person wears the garment shown in image 2." in numbered_prompt(unplaced)[0]

    kept = _request(face_reference_mode="match_reference")
    assert "pose, gaze and expression" in numbered_prompt(kept)[0]


def test_gemini_gets_the_portrait_products_and_pose_in_order(gemini):
    engine = onmodel_engine("nano_banana_pro")
    request = _request(products=(SHIRT, SKIRT), pose=POSE, aspect_ratio="9:16", seed=10, index=2)

    result = engine.render_on_model(request)

    (call,) = gemini.calls("generate")
    parts = call.json()["contents"][0]["parts"]
    assert "the person in image 1 wearing the garments in images 2 and 3" in parts[0]["text"]
    sent = [base64.b64decode(part["inline_data"]["data"]) for part in parts[1:]]
    assert sent == [FACE.data, SHIRT.data, SKIRT.data, POSE.data]
    assert call.json()["generationConfig"]["imageConfig"]["aspectRatio"] == "9:16"
    assert (result.width, result.height) == pixel_size("1K", "9:16") == pixels(result.image).size
    assert result.engine == "nano_banana_pro" and result.seed == 12
    assert result.details["references"] == ["person", "product", "product", "pose"]
    assert result.details["framing"] == "full_body"  # "walking" asks for the whole figure
    assert result.details["non_commercial"] is False


def test_seedream_gets_numbered_data_uris_and_the_rewritten_prompt(seedream):
    engine = onmodel_engine("seedream")
    request = _request(products=(SHIRT,), resolution="2k", output_format="jpeg", seed=2**32 - 1)

    result = engine.render_on_model(request)

    body = seedream.calls("generate")[0].json()
    assert body["image"] == [data_uri(FACE.data, "image/jpeg"), data_uri(SHIRT.data, "image/jpeg")]
    assert body["prompt"].startswith("the person in image 1 wearing the garment in image 2")
    assert body["seed"] == 2**32 - 1 and result.seed == 2**32 - 1
    assert result.format == "jpeg" and pixels(result.image).format == "JPEG"
    assert (result.width, result.height) == pixel_size("2K", "3:4")


def test_model_create_sends_the_portrait_as_face_reference(modelcreate):
    engine = onmodel_engine("model_create")
    request = _request(
        prompt="$model in a linen suit, full body",
        pose=POSE,
        face_reference_mode="match_reference",
        generation_mode="quality",
        index=1,
    )

    result = engine.render_on_model(request)

    inputs = modelcreate.calls("run")[0].json()["inputs"]
    assert inputs["face_reference"] == data_uri(FACE.data, "image/jpeg")
    assert inputs["face_reference_mode"] == "match_reference"
    assert inputs["image_reference"] == data_uri(POSE.data, "image/jpeg")
    assert inputs["prompt"] == "the model in a linen suit, full body"
    assert inputs["generation_mode"] == "quality" and inputs["seed"] == 43
    assert result.details["references"] == ["face_reference", "image_reference"]
    assert (result.width, result.height) == pixel_size("1K", "3:4")


@pytest.mark.parametrize(
    ("engine_name", "overrides", "message"),
    [
        ("model_create", {"resolution": "4k"}, "A face reference caps Model Create at 2k"),
        ("model_create", {"products": (SHIRT,)}, "Model Create cannot place product images"),
        ("seedream", {"products": (SHIRT, SKIRT, BAG, SHIRT)}, "at most 3 product images"),
        ("nano_banana_pro", {"aspect_ratio": "7:5"}, "does not draw aspect ratio 7:5"),
    ],
)
def test_what_an_engine_cannot_serve_is_refused_before_any_request(
    gemini, seedream, modelcreate, engine_name, overrides, message
):
    with pytest.raises(EngineError) as caught:
        onmodel_engine(engine_name).render_on_model(_request(**overrides))

    assert caught.value.kind == "invalid" and message in caught.value.message
    assert gemini.requests == seedream.requests == modelcreate.requests == []
