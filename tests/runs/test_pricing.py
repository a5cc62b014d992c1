"""Seed 002's credit grid: mode × resolution, automatic billed as fast at 1k and quality at
2k/4k, +3 per image with a face locked, times the number of images; a locked face caps at 2k."""

import pytest

from identities.pricing import run_mode, run_price_per_image
from identities.services.runs import run_cost_breakdown, run_quote


@pytest.mark.parametrize(
    ("mode", "resolution", "credits"),
    [
        ("fast", "1k", 1),
        ("fast", "2k", 2),
        ("fast", "4k", 3),
        ("balanced", "1k", 2),
        ("balanced", "2k", 3),
        ("balanced", "4k", 4),
        ("quality", "1k", 3),
        ("quality", "2k", 4),
        ("quality", "4k", 5),
        ("automatic", "1k", 1),
        ("automatic", "2k", 4),
        ("automatic", "4k", 5),
    ],
)
def test_the_grid_per_image(mode, resolution, credits):
    assert run_price_per_image(generation_mode=mode, resolution=resolution, face_locked=False) == (
        credits
    )
    assert run_price_per_image(generation_mode=mode, resolution=resolution, face_locked=True) == (
        credits + 3
    )


def test_automatic_resolves_as_the_seed_bills_it():
    assert run_mode(generation_mode="automatic", resolution="1k") == "fast"
    assert run_mode(generation_mode="automatic", resolution="4k") == "quality"
    assert run_mode(generation_mode="balanced", resolution="4k") == "balanced"


def test_a_quote_multiplies_by_the_number_of_images(db):
    inputs = {"prompt": "a model", "engine": "local", "generation_mode": "balanced"}
    assert run_quote(inputs={**inputs, "resolution": "2k", "num_images": 3}) == 9
    assert run_quote(inputs={**inputs, "num_images": 4}) == 8


def test_an_identity_adds_three_per_image_and_caps_4k_at_2k(identity, account):
    inputs = {"prompt": "$model smiling", "identity_code": identity.code, "engine": "local"}
    quoted = run_cost_breakdown(
        inputs={**inputs, "resolution": "4k", "num_images": 2}, account=account
    )
    # automatic at the rendered 2k is quality: 4, plus 3 for the locked face, for 2 images.
    assert quoted == {
        "credits": 14,
        "per_image": 7,
        "mode": "quality",
        "resolution": "2k",
        "face_locked": True,
        "engine": "local",
    }
