"""The face's relief: a height field whose light and shadow model the anatomy.

Each feature is a few Gaussian bumps and hollows on a flattened ellipsoid; the light does the
rest (the shadow under the nose, the lit cheekbone, the dark socket), as in an academic study
of a plaster head.
"""

from __future__ import annotations

import numpy as np

from identities.renderer.geometry import Outline
from identities.renderer.shading import Field
from identities.renderer.traits.model import Traits

# Feature relief is exaggerated over anatomy, as a painter pushes the planes of a face:
# under a soft studio light the true depths barely read.
FEATURE_GAIN = 1.7


def face_relief(xs: np.ndarray, ys: np.ndarray, traits: Traits, outline: Outline) -> Field:
    features = Field(xs, ys)
    _brow_and_eyes(features, traits)
    _cheeks(features, traits)
    _mouth_and_chin(features, traits)
    # The nose already stands out; pushed as far as the rest, its shadow turns into a block.
    nose = Field(xs, ys)
    _nose(nose, traits)
    base = _head_form(xs, ys, outline)
    return Field(xs, ys, base + FEATURE_GAIN * features.v + 1.1 * nose.v)


def _head_form(xs: np.ndarray, ys: np.ndarray, outline: Outline) -> np.ndarray:
    w = np.maximum(outline.smooth_half_width(ys), 1e-3)
    nx = np.clip(np.abs(xs) / w, 0.0, 1.0)
    # A superellipse cross-section: a flatter front and steeper sides than a sphere.
    across = np.sqrt(1.0 - nx**2)
    upper = np.sqrt(np.clip(1.0 - (np.minimum(ys, 0.0) / 1.95) ** 2, 0.0, 1.0))
    lower = 1.0 - 0.1 * (np.maximum(ys, 0.0) / 1.6) ** 2
    return (0.95 * w * across * upper * lower).astype(np.float32)


def _brow_and_eyes(field: Field, t: Traits) -> None:
    masc = 1.0 - t.person.femininity
    e = t.eyes
    field.mirrored(0.42, -0.38, 0.34, 0.1, 0.025 + 0.05 * masc)
    field.bump(0.0, -0.32, 0.13, 0.14, 0.02 + 0.02 * masc)
    field.mirrored(0.36, -0.9, 0.38, 0.34, 0.035)
    field.mirrored(0.9, -0.3, 0.13, 0.26, -0.035)
    depth = 0.07 + 0.07 * e.depth
    field.mirrored(e.spacing, -0.03, 0.27 + e.size * 0.3, 0.2, -depth)
    field.mirrored(e.spacing + 0.02, 0.0, e.size * 0.85, e.size * 0.62, 0.045)
    # Puffiness under the eyes comes with age and with a smile's raised cheeks.
    aging = float(np.clip((t.person.age - 30.0) / 40.0, 0.0, 1.0))
    field.mirrored(e.spacing, 0.19, 0.15, 0.05, 0.01 + 0.02 * aging + 0.012 * t.expression.squint)


def _cheeks(field: Field, t: Traits) -> None:
    s = t.shape
    smile = max(t.expression.smile, 0.0)
    field.mirrored(0.6, 0.2 - 0.07 * smile, 0.26, 0.15, 0.03 + 0.045 * s.cheekbones + 0.03 * smile)
    fullness = 0.025 + 0.05 * s.fullness + 0.06 * smile
    field.mirrored(0.44, 0.44 - 0.06 * smile, 0.2, 0.17, fullness)
    field.mirrored(0.72, 0.64, 0.17, 0.2, -0.035 + 0.04 * s.fullness)
    # The nasolabial fold: a cheek edge that deepens with a smile and with age.
    aging = float(np.clip((t.person.age - 28.0) / 40.0, 0.0, 1.0))
    fold = 0.006 + 0.025 * smile + 0.02 * aging + 0.012 * t.marks.lines
    nose, mouth = t.nose, t.mouth
    for k in range(5):
        f = k / 4.0
        x = (nose.width + 0.1) * (1 - f) + (mouth.width + 0.1 + 0.05 * smile) * f
        y = (nose.length + 0.03) * (1 - f) + (mouth.y + 0.06 - 0.04 * smile) * f
        field.mirrored(x + 0.06, y, 0.07, 0.07, fold)


def _nose(field: Field, t: Traits) -> None:
    n = t.nose
    top = -0.22
    tip_y = n.length - 0.03 * n.upturn
    steps = 7
    for k in range(steps):
        f = k / (steps - 1)
        y = top + (tip_y - 0.04 - top) * f
        amp = n.bridge * (0.04 + 0.13 * f**1.3) + 0.045 * n.bump * np.exp(
            -(((f - 0.45) / 0.14) ** 2)
        )
        sx = 0.05 + 0.05 * f + 0.18 * n.width * f
        field.bump(0.0, y, sx, 0.085, amp)
    tip = 0.055 + 0.02 * n.tip + 0.08 * n.width
    field.bump(0.0, tip_y, tip, 0.06 + 0.01 * n.tip, 0.07 + 0.02 * n.tip)
    ala_x = n.width * 0.78
    field.mirrored(ala_x, tip_y + 0.045, 0.06 + 0.02 * n.flare, 0.05, 0.05 + 0.015 * n.flare)
    # Under the tip the surface turns away from the key light: that shadow is the nose base.
    field.bump(0.0, tip_y + 0.1, n.width * 0.8, 0.035, -0.04)


def _mouth_and_chin(field: Field, t: Traits) -> None:
    m, s, x = t.mouth, t.shape, t.expression
    smile = max(x.smile, 0.0)
    field.bump(0.0, m.y - 0.1, 0.42, 0.22, 0.075)
    field.bump(0.0, m.y - 0.14, 0.035, 0.05, -0.008)
    field.mirrored(0.045, m.y - 0.14, 0.018, 0.05, 0.006)
    width = m.width * (1.0 + 0.12 * smile)
    field.bump(0.0, m.y - m.upper * 0.55, width * 0.62, m.upper * 0.55, 0.02)
    field.bump(0.0, m.y + m.lower * 0.5, width * 0.55, m.lower * 0.55, 0.028)
    field.bump(0.0, m.y + m.lower + 0.07, 0.2, 0.04, -0.014)
    field.bump(0.0, s.chin_y - 0.04, s.chin * 0.7 + 0.1, 0.14, 0.05)
    if s.cleft:
        field.bump(0.0, s.chin_y + 0.02, 0.022, 0.07, -0.012 * s.cleft)
    # Mouth corners: small hollows that a smile lifts and deepens.
    lift = 0.05 * x.smile
    field.mirrored(width + 0.02, m.y - lift, 0.04, 0.04, -0.012 - 0.01 * smile)
