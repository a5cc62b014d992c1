"""Which on-model engine serves a request, and why one refuses: the field and the reason."""

import pytest

from config.refusals import InvalidInput
from identities.engines.onmodel import (
    framing_from_prompt,
    identity_request_fields,
    onmodel_choose,
    onmodel_engine,
    onmodel_engines,
)
from identities.engines.onmodel_prompt import read_prompt


def needs(**overrides) -> dict:
    values = {
        "framing": None,
        "products": 0,
        "pose": False,
        "resolution": "1k",
        "aspect_ratio": "3:4",
        "face_locked": True,
        "identity_engine": "local",
    }
    return {**values, **overrides}


def refusal(**kwargs) -> tuple[str, str]:
    with pytest.raises(InvalidInput) as caught:
        onmodel_choose(**kwargs)
    (problem,) = caught.value.problems
    return problem.field, problem.message


@pytest.mark.parametrize(
    ("prompt", "framing"),
    [
        ("$model, full body, on a white sweep", "full_body"),
        ("$model walking down a runway", "full_body"),
        ("a full-length portrait of $model", "full_body"),
        ("$model from the waist up", "half_body"),
        ("$model, half-body shot in a trench coat", "half_body"),
        ("head and shoulders of $model", "head_and_shoulders"),
        ("close-up portrait of $model", "head_and_shoulders"),
        ("$model in a red dress", None),
    ],
)
def test_framing_from_prompt(prompt, framing):
    assert framing_from_prompt(prompt) == framing


def test_the_prompt_reader_finds_what_it_names_and_only_that():
    asks = read_prompt(
        "$model smiling in a red linen dress against a white backdrop, warm light, looking "
        "left, holding $product on a beach"
    )
    assert (asks.smile, asks.yaw, asks.lighting, asks.backdrop) == (1, "left", "warm", "white")
    assert asks.outfit == ("red", "dress") and asks.products == 1
    assert asks.undrawable == ("setting: beach", "pose: holding")
    plain = read_prompt("$model")
    assert (plain.smile, plain.yaw, plain.outfit, plain.undrawable) == (0, None, None, ())


def test_offline_only_a_painter_identity_goes_to_the_painter(no_external):
    assert [engine.name for engine in onmodel_engines()] == ["local"]
    assert onmodel_choose(engine="auto", needs=needs()).name == "local"
    assert onmodel_engine("painter").name == onmodel_engine("orbita").name == "local"


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        (
            {"framing": "full_body"},
            "prompt",
            "full body; In-house painter draws head-and-shoulders",
        ),
        ({"products": 1}, "product_images", "In-house painter cannot place product images"),
        ({"pose": True}, "image_reference", "cannot follow a pose reference"),
        ({"identity_engine": None}, "face_reference", "cannot lock to a face from an uploaded"),
        (
            {"identity_engine": "mobile_stylegan"},
            "identity_code",
            "cannot draw an identity made by mobile_stylegan",
        ),
    ],
)
def test_auto_refuses_with_the_field_and_reason_never_a_downgrade(
    no_external, overrides, field, words
):
    got_field, message = refusal(engine="auto", needs=needs(**overrides))

    assert got_field == field
    assert words in message and "No configured engine can serve this request." in message


def test_a_named_engine_must_be_known_configured_and_able(no_external):
    assert refusal(engine="dall-e", needs=needs())[0] == "engine"
    field, message = refusal(engine="seedream", needs=needs())
    assert (field, message) == ("engine", "Seedream (ByteDance) is not configured on this server.")
    field, message = refusal(engine="local", needs=needs(aspect_ratio="7:5"))
    assert field == "aspect_ratio" and "7:5" in message


def test_auto_prefers_the_identitys_family_then_external(no_external, gemini, modelcreate):
    assert [e.name for e in onmodel_engines()] == ["nano_banana_pro", "model_create", "local"]
    # A painter identity, head-and-shoulders: its own painter.
    assert onmodel_choose(engine="auto", needs=needs()).name == "local"
    # What the painter cannot draw goes to an external engine that can: not a downgrade.
    assert onmodel_choose(engine="auto", needs=needs(framing="full_body")).name == (
        "nano_banana_pro"
    )
    assert onmodel_choose(engine="auto", needs=needs(identity_engine=None)).name == (
        "nano_banana_pro"
    )
    # A face reference caps model-create at 2k; Gemini serves 4k.
    assert refusal(engine="model_create", needs=needs(resolution="4k"))[0] == "resolution"
    assert onmodel_choose(engine="auto", needs=needs(resolution="4k", products=3)).name == (
        "nano_banana_pro"
    )
    field, message = refusal(engine="auto", needs=needs(products=4))
    assert field == "product_images" and "at most 3 product images" in message


def test_stylegan_exists_only_when_switched_on(no_external, settings, monkeypatch):
    monkeypatch.setattr("identities.engines.onmodel_stylegan.runtime_installed", lambda: True)
    assert "mobile_stylegan" not in [e.name for e in onmodel_engines()]
    assert refusal(engine="mobile_stylegan", needs=needs())[0] == "engine"

    settings.CASTLESS_ENABLE_MOBILE_STYLEGAN = True
    assert [e.name for e in onmodel_engines()] == ["mobile_stylegan", "local"]
    own = needs(identity_engine="mobile_stylegan")
    assert onmodel_choose(engine="auto", needs=own).name == "mobile_stylegan"
    field, message = refusal(engine="auto", needs={**own, "resolution": "2k"})
    assert field == "resolution" and "draws 1k only" in message
    field, _ = refusal(engine="auto", needs={**own, "aspect_ratio": "16:9"})
    assert field == "aspect_ratio"


class _Identity:
    def __init__(self, engine, details, brief=None):
        self.code, self.engine, self.seed = "abc123def456", engine, 99
        self.brief, self.render_details, self.source_draft = brief or {"hair": {}}, details, None


def test_identity_request_fields_carry_the_latent_only_for_stylegan_identities():
    latent = {"format": "mobile_stylegan/w+/float32", "rows": "", "layer_rows": []}
    fields = identity_request_fields(_Identity("mobile_stylegan", {"latent": latent}))
    assert fields["latent"] == latent and fields["identity_seed"] == 99
    painted = identity_request_fields(_Identity("local", {"variation": 2}))
    assert painted["latent"] is None and painted["identity_variation"] == 2
    assert painted["traits"] == {"hair": {}} and painted["identity_code"] == "abc123def456"
