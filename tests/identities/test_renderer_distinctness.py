"""Variations of one brief are different people to the product's face recogniser."""

import numpy as np
import pytest

from bench.render_distinctness import job_embeddings, within_and_across
from identities.faces import get_face_analyzer
from identities.renderer import build_traits

BRIEFS = [
    {
        "appearance": {"gender": "female", "ethnicity": "North European", "age": 29},
        "hair": {"color": "auburn", "length": "long"},
    },
    {
        "appearance": {"gender": "male", "ethnicity": "West African", "age": "40s"},
        "face": {"facial_hair": "stubble"},
        "hair": {"length": "short"},
    },
]
# Calibrated on these two briefs x 3 variations at 600 x 800, job seeds 1-6: the painter as it
# was (every variation the same proportions) scored a median within-job cosine of 0.85-0.89,
# with each variation's own proportions 0.74-0.80 (0.75 for seed 1, the one tested).
WITHIN_JOB_MEDIAN_MAX = 0.82


@pytest.fixture(scope="module")
def analyzer():
    return get_face_analyzer()


def test_variations_of_a_brief_are_further_apart_than_one_face(analyzer):
    jobs, one_face, total = job_embeddings(analyzer, BRIEFS, 3, 1, (600, 800))
    assert one_face == total  # every variation is still exactly one detected face
    within, _ = within_and_across(jobs)
    assert float(np.median(within)) < WITHIN_JOB_MEDIAN_MAX


def test_variations_differ_in_the_proportions_a_recogniser_sees():
    traits = [build_traits(BRIEFS[0], seed=1000 + v, variation=v) for v in range(4)]

    def spread(values):
        return max(values) - min(values)

    assert spread([t.eyes.spacing for t in traits]) > 0.03
    assert spread([t.brows.lift for t in traits]) > 0.04
    assert spread([t.shape.cheek for t in traits]) > 0.05
    assert spread([t.mouth.y - t.nose.length for t in traits]) > 0.03


@pytest.mark.parametrize(
    ("field", "words", "check"),
    [
        ("eyes", "wide-set", lambda t: t.eyes.spacing >= 0.49),
        ("eyes", "close-set", lambda t: t.eyes.spacing <= 0.42),
        ("nose", "long", lambda t: t.nose.length >= 0.7),
        ("face_shape", "square", lambda t: t.shape.jaw >= 0.9),
        ("lips", "thin", lambda t: t.mouth.upper < 0.07),
    ],
)
def test_a_stated_feature_holds_in_every_variation(field, words, check):
    # A variation's own proportions never undo what the brief says.
    for v in range(12):
        assert check(build_traits({"face": {field: words}}, seed=77 + v, variation=v))
