"""`mobile_stylegan` steering: brief → targets, latent-space ranking and nudging, missed fields.

None of this needs the generator: the directions are a small data file of linear predictors, so
these run without the optional runtime.
"""

import math

import numpy as np
import pytest

from identities.engines.stylegan.directions import DIRECTIONS_FILE, load_directions
from identities.engines.stylegan.draw import missed_fields
from identities.engines.stylegan.labels import NUMERIC, PhotoLabels
from identities.engines.stylegan.steering import (
    BEARD_LOGIT,
    HAIR_FAMILIES,
    HAIR_LOGIT,
    nudge,
    plan_for,
    rank,
)

FAMILIES = ("blonde", "brown", "black", "red", "grey")


@pytest.fixture(scope="module")
def directions():
    return load_directions()


def _brief(**fields):
    groups = {"gender": "appearance", "age": "appearance", "color": "hair"}
    groups["facial_hair"] = "face"
    brief: dict[str, dict[str, str]] = {}
    for name, value in fields.items():
        brief.setdefault(groups[name], {})[name] = value
    return brief


def test_the_data_file_is_small_and_has_a_log_odds_predictor_per_category(directions):
    assert DIRECTIONS_FILE.stat().st_size < 150_000
    for name in (*(f"hair_{f}" for f in FAMILIES), "bearded"):
        index = directions.index(name)
        assert directions.kinds[index] == "logit"
        assert np.isfinite(directions.coef[index]).all() and np.linalg.norm(directions.coef[index])
    # The numeric labels the on-model engine edits along are still there, in label units.
    for name in NUMERIC:
        assert directions.kinds[directions.index(name)] == "linear"
    assert set(HAIR_FAMILIES.values()) == set(FAMILIES)


def test_a_hair_colour_and_facial_hair_become_category_targets(directions):
    plan = plan_for(
        _brief(gender="male", color="copper", facial_hair="full beard"),
        seed=1,
        variation=0,
        directions=directions,
    )
    by_label = {t.label: t for t in plan.targets}

    assert by_label["hair_red"].kind == "at_least" and by_label["hair_red"].field == "hair.color"
    assert by_label["bearded"].kind == "at_least"
    assert by_label["bearded"].value == BEARD_LOGIT
    assert plan.aimed["hair.color"] == "copper" and plan.aimed["face.facial_hair"] == "beard"
    shaven = plan_for(
        _brief(gender="male", facial_hair="clean-shaven"),
        seed=1,
        variation=0,
        directions=directions,
    )
    assert [t.kind for t in shaven.targets if t.label == "bearded"] == ["at_most"]


@pytest.mark.parametrize("gender", ["non-binary", "androgynous", None])
@pytest.mark.parametrize("facial_hair", ["full beard", "goatee", "moustache"])
def test_facial_hair_asked_of_an_androgynous_or_unstated_gender_is_aimed_masculine(
    directions, gender, facial_hair
):
    # The generator draws facial hair on men's faces only: drawn as a woman's, it would not show.
    fields = {"facial_hair": facial_hair, **({"gender": gender} if gender else {})}
    for variation in range(3):
        plan = plan_for(_brief(**fields), seed=7, variation=variation, directions=directions)
        (male,) = [t for t in plan.targets if t.label == "male"]
        assert (male.kind, male.value) == ("at_least", 2.0)
        assert plan.aimed["appearance.gender"] in (
            "male",
            "masculine (for the facial hair asked for)",
        )


def test_an_androgynous_brief_without_facial_hair_stays_androgynous(directions):
    plan = plan_for(
        _brief(gender="non-binary", facial_hair="clean-shaven"),
        seed=7,
        variation=0,
        directions=directions,
    )
    (male,) = [t for t in plan.targets if t.label == "male"]
    assert male.kind == "near" and plan.aimed["appearance.gender"] == "androgynous"
    female = plan_for(
        _brief(gender="female", facial_hair="full beard"),
        seed=7,
        variation=0,
        directions=directions,
    )
    assert [t.kind for t in female.targets if t.label == "male"] == ["at_most"]


def test_ranking_prefers_the_candidates_predicted_to_show_the_asked_family(directions):
    plan = plan_for(_brief(color="platinum blonde"), seed=3, variation=0, directions=directions)
    rng = np.random.default_rng(0)
    # Styles spread like mapped ones around the mean style.
    spread = load_directions().spread / math.sqrt(512)
    styles = directions.mean_style + spread * rng.standard_normal((400, 512))
    blonde = directions.predict(styles)[:, directions.index("hair_blonde")]

    order = rank(styles, plan, directions)

    assert sorted(order.tolist()) == list(range(400))
    assert np.median(blonde[order[:20]]) > np.percentile(blonde, 75)


def test_the_nudge_moves_each_category_on_its_own_layers(directions):
    plan = plan_for(
        _brief(gender="male", color="black", facial_hair="short beard"),
        seed=5,
        variation=0,
        directions=directions,
    )
    style = directions.mean_style.astype(np.float32)
    before = directions.predict(style)[0]

    moved = nudge(style, plan, directions)

    assert moved.shape == (23, 512)
    # 4 px inputs (0, 1): the numeric nudge only, the same on both; hair colour moves the
    # 32 px and finer inputs, facial hair the 8–64 px ones.
    assert np.array_equal(moved[0], moved[1])
    coarse = directions.predict(moved[0])[0]
    assert coarse[directions.index("male")] > before[directions.index("male")]
    hair, beard = directions.index("hair_black"), directions.index("bearded")
    assert directions.predict(moved[20])[0][hair] >= HAIR_LOGIT
    assert directions.predict(moved[10])[0][beard] > coarse[beard] + 1.0
    assert np.array_equal(moved[4], moved[0])
    # The category moves leave the predicted age and gender where the numeric nudge put them.
    hair_only = (moved[20] - moved[0]).astype(np.float64)
    assert np.linalg.norm(hair_only) > 0.0
    for label in ("age", "male"):
        assert abs(directions.coef[directions.index(label)] @ hair_only) < 0.05, label
    assert np.abs(moved[22] - moved[0]).max() > 0.0


def _labels(**read) -> PhotoLabels:
    values = dict.fromkeys(NUMERIC, math.nan) | {"age": 30.0, "male": 4.0, "yaw": 0.0}
    return PhotoLabels(
        faces=1,
        values=values,
        gender=read.get("gender", "male"),
        gender_probability=0.95,
        skin_chip="light",
        hair_colour=read.get("hair"),
        facial_hair=read.get("facial_hair"),
    )


def test_missed_fields_name_a_wrong_family_and_wrong_facial_hair(directions):
    plan = plan_for(
        _brief(gender="male", age="28", color="auburn", facial_hair="full beard"),
        seed=2,
        variation=0,
        directions=directions,
    )

    hit = missed_fields(_labels(hair="copper", facial_hair="full beard"), plan, NUMERIC)
    wrong = missed_fields(_labels(hair="black"), plan, NUMERIC)

    assert "hair.color" not in hit and "face.facial_hair" not in hit
    assert "hair.color" in wrong and "face.facial_hair" in wrong
