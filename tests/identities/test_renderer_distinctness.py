"""Variations of one brief are different people to the product's face recogniser."""

import numpy as np
import pytest

from bench.render_distinctness import job_embeddings, within_and_across
from identities.faces import get_face_analyzer
from identities.renderer import build_traits
from identities.renderer.canvas import Canvas
from identities.renderer.face.morph import FeatureShapes, reshape_features
from identities.renderer.geometry import Frame, Outline

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
# with each variation's own proportions 0.74-0.80, and with its own feature shapes as well
# (`face/morph.py`) 0.60-0.70 (0.65 for seed 1, the one tested).
WITHIN_JOB_MEDIAN_MAX = 0.68


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
        ("lips", "wide", lambda t: t.mouth.width >= 0.42),
    ],
)
def test_a_stated_feature_holds_in_every_variation(field, words, check):
    # A variation's own proportions never undo what the brief says.
    for v in range(12):
        assert check(build_traits({"face": {field: words}}, seed=77 + v, variation=v))


def test_feature_shapes_mirror_across_the_face():
    shapes = FeatureShapes(np.random.default_rng(5))
    x = np.array([[0.1, 0.45, 0.8]], np.float32)
    y = np.array([[-0.4, 0.0, 1.0]], np.float32)
    dx, dy = shapes.at(x, y)
    mirror_dx, mirror_dy = shapes.at(-x, y)
    assert np.abs(dx).max() > 0.005  # it does move the features
    np.testing.assert_allclose(mirror_dx, -dx, atol=1e-6)
    np.testing.assert_allclose(mirror_dy, dy, atol=1e-6)


def test_feature_shapes_move_the_face_but_not_its_silhouette():
    traits = build_traits(BRIEFS[0], seed=3, variation=1)
    frame = Frame.for_canvas(300, 400)
    outline = Outline(traits.shape)
    canvas = Canvas(300, 400)
    canvas.rgb[:] = np.random.default_rng(0).random(canvas.rgb.shape, dtype=np.float32)
    before = canvas.rgb.copy()
    reshape_features(canvas, frame, traits, outline, np.random.default_rng(9))
    xs, ys = canvas.pixel_grid(canvas.box(0, 0, 300, 400))
    signed = outline.signed((xs - frame.cx) / frame.u, (ys - frame.cy) / frame.u)
    changed = np.abs(canvas.rgb - before).max(axis=2) > 1e-6
    assert not changed[signed < 0.0].any()  # hair, ears and wall meet the same edge
    assert changed[signed > 0.3].mean() > 0.5
