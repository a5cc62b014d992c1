"""`mobile_stylegan` on-model: the identity's own latent, edited for the prompt, the same person.

Rendering tests skip, as tests/identities/test_engines_stylegan.py does, where the optional
`openvino` runtime or the `random-face` model files are not installed.
"""

import pytest

from identities.engines.base import EngineError, RenderRequest
from identities.engines.onmodel_stylegan import StyleGANOnModel
from identities.engines.stylegan.engine import MobileStyleGANEngine
from identities.faces import get_face_analyzer
from tests.engines.onmodel_helpers import onmodel_request, pixels
from tests.stylegan import needs_stylegan, require_stylegan

WOMAN = {"appearance": {"gender": "female", "age": "30"}}
MAN = {"appearance": {"gender": "male", "age": "50"}}
EDITS = "$model smiling, looking right, dark background, warm light, on a beach"


def _identity(brief, seed):
    draft = MobileStyleGANEngine().render(
        RenderRequest(
            prompt="", brief=brief, expert=False, size="1K", ar="1:1", format="png", seed=seed
        )
    )
    return draft, {"identity_code": f"sg{seed}", "traits": brief, "latent": draft.details["latent"]}


@pytest.fixture(scope="module")
def drawn():
    require_stylegan()
    from django.conf import settings

    settings.CASTLESS_ENABLE_MOBILE_STYLEGAN = True
    try:
        engine = StyleGANOnModel()
        woman, woman_fields = _identity(WOMAN, 2001)
        man, _ = _identity(MAN, 2002)

        def render(**overrides):
            return engine.render_on_model(onmodel_request(**{**woman_fields, **overrides}))

        made = {
            "woman": woman,
            "man": man,
            "plain": render(prompt="$model", seed=42, aspect_ratio="4:5"),
            "plain_again": render(prompt="$model", seed=42, aspect_ratio="4:5"),
            "plain_next": render(prompt="$model", seed=42, index=1, aspect_ratio="4:5"),
            "edited": render(prompt=EDITS, seed=9, aspect_ratio="1:1"),
            "kept": render(prompt=EDITS, seed=9, face_reference_mode="match_reference"),
        }
    finally:
        settings.CASTLESS_ENABLE_MOBILE_STYLEGAN = False
    return made


def _embedding(data: bytes):
    analyzer = get_face_analyzer()
    image = pixels(data).convert("RGB")
    (face,) = analyzer.detect(image)
    return analyzer.embed(image, face)


@needs_stylegan
def test_same_seed_same_bytes_and_another_seed_differs(drawn):
    assert drawn["plain"].image == drawn["plain_again"].image
    assert drawn["plain_next"].image != drawn["plain"].image
    assert (drawn["plain"].seed, drawn["plain_next"].seed) == (42, 43)


@needs_stylegan
def test_every_output_is_the_identity_and_nobody_else(drawn):
    compare = get_face_analyzer().compare
    woman, man = _embedding(drawn["woman"].image), _embedding(drawn["man"].image)
    for key in ("plain", "plain_next", "edited", "kept"):
        output = _embedding(drawn[key].image)
        assert compare(output, woman) >= 0.6, key
        assert compare(output, man) < 0.5, key


@needs_stylegan
def test_details_say_what_was_edited_what_was_not_and_the_licence(drawn):
    edited = drawn["edited"].details
    assert edited["edits"] == [
        "expression: smiling",
        "pose: head turned slightly right",
        "backdrop: dark (lightness)",
        "lighting: warm (colour grade)",
    ]
    assert edited["not_drawn"] == ["setting: beach"]
    assert edited["framing"] == "head_and_shoulders" and edited["non_commercial"] is True
    assert edited["latent"]["format"] == "mobile_stylegan/w+/float32"
    plain = drawn["plain"]
    assert (plain.width, plain.height) == (896, 1120) and plain.details["upscaled"] == 1.094
    kept = drawn["kept"].details
    assert kept["edits"] == ["backdrop: dark (lightness)", "lighting: warm (colour grade)"]
    assert any("keeps the portrait's expression" in item for item in kept["not_drawn"])


def test_it_refuses_what_it_cannot_serve(settings):
    engine = StyleGANOnModel()
    with pytest.raises(EngineError) as caught:
        engine.render_on_model(onmodel_request(latent={"format": "x"}))
    assert caught.value.kind == "config"  # not switched on

    settings.CASTLESS_ENABLE_MOBILE_STYLEGAN = True
    for bad in (
        {"resolution": "2k"},
        {"aspect_ratio": "16:9"},
        {"prompt": "$model, full body"},
        {"latent": None},  # an identity without a stored latent
    ):
        with pytest.raises(EngineError) as caught:
            engine.render_on_model(onmodel_request(**{"latent": {"format": "x"}, **bad}))
        assert caught.value.kind == "invalid", bad
