"""The wizard's engine choice names the photoreal preview's licence wherever it can be picked."""

import pytest

from identities.engines import registry
from identities.wizard.display import review


@pytest.fixture
def stylegan_on(settings, monkeypatch):
    settings.CASTLESS_ENABLE_MOBILE_STYLEGAN = True
    # The names are read once at start-up; this process started with the engine switched off.
    monkeypatch.setattr(review, "ENGINE_NAMES", (*registry.ENGINE_NAMES, registry.STYLEGAN))


def labels(selected="auto") -> dict[str, str]:
    return {view.value: view.label for view in review.engine_views(selected)}


def test_the_photoreal_engine_is_labelled_with_its_non_commercial_weights(stylegan_on):
    label = labels()["mobile_stylegan"]
    assert label.startswith("mobile_stylegan: photoreal preview, non-commercial weights")


def test_automatic_says_it_draws_with_the_photoreal_preview_when_it_is_on(stylegan_on):
    assert "photoreal preview, non-commercial weights" in labels()["auto"]


def test_with_the_engine_off_neither_the_choice_nor_the_notice_appears(settings):
    settings.CASTLESS_ENABLE_MOBILE_STYLEGAN = False
    shown = labels()
    assert "mobile_stylegan" not in shown
    assert "non-commercial" not in shown["auto"]
