"""Skin colour before light: the tone, where it flushes, darkens, or carries makeup."""

from __future__ import annotations

import numpy as np

from identities.renderer.canvas import smoothstep, value_noise
from identities.renderer.palette import lin
from identities.renderer.shading import Field
from identities.renderer.traits.model import Traits


def face_albedo(
    xs: np.ndarray, ys: np.ndarray, traits: Traits, rng: np.random.Generator
) -> np.ndarray:
    """Per-pixel linear albedo (h, w, 3) over a face-unit grid."""
    t = traits
    skin = np.asarray(t.skin.albedo, np.float32)
    h, w = ys.size, xs.size
    albedo = np.broadcast_to(skin, (h, w, 3)).copy()
    _tint(albedo, _flush(xs, ys, t), (0.5, -0.32, -0.3), 0.2 * t.skin.redness + 0.04)
    _tint(albedo, _under_eyes(xs, ys, t), (-0.3, -0.36, -0.24), 0.14 + 0.2 * t.makeup.bare)
    _tint(albedo, _lids(xs, ys, t), (-0.05, -0.16, -0.12), 0.5)
    shave = (1.0 - t.person.femininity) * (0.25 + 0.6 * t.facial_hair.stubble)
    if shave > 0.02:
        _tint(albedo, beard_zone(xs, ys, t), (-0.22, -0.2, -0.14), min(0.9, shave))
    if t.makeup.blush > 0:
        apples = _blob(xs, ys, 0.5, 0.36, 0.22, 0.14, mirrored=True)
        color = np.asarray(t.makeup.blush_color, np.float32)
        albedo += (albedo * color / np.maximum(skin, 1e-3) * 0.8 - albedo) * (
            apples * 0.35 * t.makeup.blush
        )[..., None]
    if t.makeup.contour > 0:
        hollows = _blob(xs, ys, 0.78, 0.5, 0.16, 0.22, mirrored=True, angle=-0.5)
        _tint(albedo, hollows, (-0.25, -0.3, -0.3), 0.5 * t.makeup.contour)
    # Mottling: bare skin is less even than skin under foundation.
    blotch = value_noise(rng, (h, w), max(4.0, 0.12 / _step(xs)))
    albedo *= (1.0 + (0.025 + 0.035 * t.makeup.bare) * blotch)[..., None]
    if t.skin.vitiligo:
        _vitiligo(albedo, xs, ys, t, rng)
    return albedo


def _step(xs: np.ndarray) -> float:
    flat = xs.ravel()
    return float(flat[1] - flat[0]) if flat.size > 1 else 1.0


def _tint(albedo: np.ndarray, mask: np.ndarray, direction: tuple, amount: float) -> None:
    albedo *= 1.0 + (mask * amount)[..., None] * np.asarray(direction, np.float32)


def _blob(
    xs: np.ndarray,
    ys: np.ndarray,
    cx: float,
    cy: float,
    sx: float,
    sy: float,
    *,
    mirrored: bool = False,
    angle: float = 0.0,
) -> np.ndarray:
    field = Field(xs, ys)
    if mirrored:
        field.mirrored(cx, cy, sx, sy, 1.0, angle=angle)
    else:
        field.bump(cx, cy, sx, sy, 1.0, angle=angle)
    return np.clip(field.v, 0.0, 1.0)


def _flush(xs: np.ndarray, ys: np.ndarray, t: Traits) -> np.ndarray:
    field = Field(xs, ys)
    field.mirrored(0.52, 0.38, 0.26, 0.18, 1.0)
    field.bump(0.0, t.nose.length, 0.14, 0.1, 0.8)
    field.mirrored(0.2, t.nose.length + 0.04, 0.08, 0.06, 0.5)
    field.bump(0.0, t.shape.chin_y - 0.02, 0.2, 0.1, 0.3)
    field.bump(0.0, -0.3, 0.1, 0.1, 0.25)
    return np.clip(field.v, 0.0, 1.0)


def _under_eyes(xs: np.ndarray, ys: np.ndarray, t: Traits) -> np.ndarray:
    aging = float(np.clip((t.person.age - 25.0) / 40.0, 0.0, 1.0))
    field = Field(xs, ys)
    e = t.eyes
    field.mirrored(e.spacing - 0.05, e.size * e.lower + 0.06, 0.13, 0.045, 0.7 + 0.5 * aging)
    field.mirrored(e.spacing - 0.14, e.size * e.lower + 0.02, 0.05, 0.05, 0.5)
    return np.clip(field.v, 0.0, 1.0)


def _lids(xs: np.ndarray, ys: np.ndarray, t: Traits) -> np.ndarray:
    e = t.eyes
    field = Field(xs, ys)
    field.mirrored(e.spacing, -e.size * e.upper - 0.04, e.size * 0.8, 0.06, 1.0)
    return np.clip(field.v, 0.0, 1.0)


def beard_zone(xs: np.ndarray, ys: np.ndarray, t: Traits) -> np.ndarray:
    """Where a beard grows: below a line from the sideburn to the mouth corner, round the lips."""
    x = np.abs(xs)
    m = t.mouth
    cheek_line = np.interp(x, [0.0, 0.42, 0.7, 0.95, 1.2], [0.82, 0.8, 0.48, 0.12, 0.0])
    below = smoothstep(cheek_line - 0.04, cheek_line + 0.1, ys)
    lip = np.exp(-((xs / (m.width * 1.05)) ** 2 + ((ys - m.y) / (m.lower * 1.1 + 0.03)) ** 4))
    under_nose = smoothstep(t.nose.length + 0.1, t.nose.length + 0.17, ys) * (x < m.width + 0.12)
    zone = np.maximum(below, under_nose * smoothstep(m.width + 0.15, m.width, x)) * (1.0 - lip)
    return np.clip(zone, 0.0, 1.0).astype(np.float32)


def _vitiligo(
    albedo: np.ndarray, xs: np.ndarray, ys: np.ndarray, t: Traits, rng: np.random.Generator
) -> None:
    h, w = albedo.shape[:2]
    noise = value_noise(rng, (h, w), max(4.0, 0.14 / _step(xs)))
    # A few patches round the eyes and the mouth, where vitiligo usually starts.
    field = Field(xs, ys)
    side = 1.0 if rng.random() < 0.5 else -1.0
    field.bump(side * (t.eyes.spacing + 0.12), 0.02, 0.2, 0.16, 1.0)
    field.bump(-side * 0.3, t.mouth.y + 0.06, 0.16, 0.12, 0.8)
    field.bump(side * 0.55, -0.75, 0.18, 0.14, 0.6 * t.skin.vitiligo)
    patch = smoothstep(0.55, 0.7, field.v * (0.75 + 0.35 * t.skin.vitiligo) + 0.3 * noise)
    pale = lin((0.93, 0.78, 0.7))
    albedo += (pale - albedo) * (patch * 0.85)[..., None]
