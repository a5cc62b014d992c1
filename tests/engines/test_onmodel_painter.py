"""The in-house painter on-model: the identity's own face, dressed and lit by the prompt."""

import numpy as np
import pytest

from identities.engines.base import EngineError
from identities.engines.onmodel import identity_request_fields, onmodel_engine
from identities.engines.sizes import pixel_size
from identities.faces import get_face_analyzer
from identities.services.promotion import identity_promote
from tests.engines.onmodel_helpers import onmodel_request, pixels, ref
from tests.pipeline import run_job

PROMPT = "$model smiling in a red dress against a white backdrop, warm light"


@pytest.fixture(scope="module")
def painter():
    return onmodel_engine("local")


def test_same_seed_same_bytes_and_another_seed_differs(painter):
    first = painter.render_on_model(onmodel_request(prompt=PROMPT, seed=5))
    again = painter.render_on_model(onmodel_request(prompt=PROMPT, seed=5))
    other = painter.render_on_model(onmodel_request(prompt=PROMPT, seed=6))
    next_output = painter.render_on_model(onmodel_request(prompt=PROMPT, seed=5, index=1))

    assert first.image == again.image
    assert other.image != first.image and next_output.image != first.image
    assert (first.seed, next_output.seed) == (5, 6)
    assert next_output.image == other.image  # output i of a run uses seed + i


def test_the_prompt_dresses_and_lights_the_same_face(painter):
    plain = painter.render_on_model(onmodel_request(prompt="$model", seed=5))
    dressed = painter.render_on_model(onmodel_request(prompt=PROMPT, seed=5))

    before = np.asarray(pixels(plain.image).convert("RGB"), dtype=float)
    after = np.asarray(pixels(dressed.image).convert("RGB"), dtype=float)
    top = after[-60:, after.shape[1] // 2 - 40 : after.shape[1] // 2 + 40].mean(axis=(0, 1))
    assert top[0] > 2 * top[1] and top[0] > 2 * top[2]  # a red top
    assert after[:40, :40].mean() > before[:40, :40].mean() + 20  # a lighter backdrop
    assert dressed.details["edits"] == [
        "expression: smiling",
        "outfit colour: red",
        "backdrop: white",
        "lighting: warm (colour grade)",
    ]
    assert dressed.details["not_drawn"] == ["outfit: dress (drawn as a plain red top)"]
    assert dressed.details["framing"] == "head_and_shoulders"
    analyzer = get_face_analyzer()
    embeddings = []
    for result in (plain, dressed):
        image = pixels(result.image).convert("RGB")
        (face,) = analyzer.detect(image)
        embeddings.append(analyzer.embed(image, face))
    assert analyzer.compare(*embeddings) >= 0.9


def test_what_it_cannot_draw_is_reported_or_refused(painter):
    result = painter.render_on_model(
        onmodel_request(prompt="$model looking left on a beach, older", seed=1)
    )
    assert result.details["not_drawn"] == [
        "setting: beach",
        "pose: head turned left (the painter draws front-facing)",
        "age: older",
    ]
    kept = painter.render_on_model(
        onmodel_request(prompt="$model smiling", face_reference_mode="match_reference")
    )
    assert "expression: smiling" not in kept.details["edits"]
    assert "keeps the portrait's expression" in kept.details["not_drawn"][0]
    for bad in (
        {"prompt": "$model, full body"},
        {"products": (ref(),)},
        {"pose": ref()},
        {"aspect_ratio": "7:5"},
    ):
        with pytest.raises(EngineError) as caught:
            painter.render_on_model(onmodel_request(**bad))
        assert caught.value.kind == "invalid"


def test_jpeg_and_exact_pixels(painter):
    result = painter.render_on_model(
        onmodel_request(aspect_ratio="16:9", resolution="2k", output_format="jpeg")
    )
    image = pixels(result.image)
    assert image.format == "JPEG" and result.format == "jpeg"
    assert image.size == (result.width, result.height) == pixel_size("2K", "16:9")


def test_a_promoted_identity_comes_back_pixel_for_pixel(alice, django_capture_on_commit_callbacks):
    """With the identity's own seed, no edits and its draft's size, the painter redraws the
    promoted portrait exactly: it is the same person, not a look-alike."""
    account = alice.membership.account
    job = run_job(account, capture=django_capture_on_commit_callbacks, variations=2)
    draft = job.drafts.get(variation=1)
    with django_capture_on_commit_callbacks(execute=True):
        identity, _ = identity_promote(draft=draft, user=None, name="Redrawn")
    identity.refresh_from_db()
    fields = identity_request_fields(identity)
    assert fields["identity_variation"] == 1

    result = onmodel_engine("local").render_on_model(
        onmodel_request(
            **fields,
            prompt="$model",
            seed=identity.seed,
            aspect_ratio="3:4",
            output_format="jpeg",
        )
    )

    with identity.portrait.open("rb") as handle:
        portrait = np.asarray(pixels(handle.read()).convert("RGB"))
    redrawn = np.asarray(pixels(result.image).convert("RGB"))
    assert portrait.shape == redrawn.shape
    # Same person, same pixels except the run's own wall mottle and cloth weave.
    assert np.abs(portrait.astype(int) - redrawn).mean() < 2.0
