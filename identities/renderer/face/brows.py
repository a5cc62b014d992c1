"""Eyebrows: a soft base tone plus individual hairs that fan up at the head and lie flat
towards the tail, the way brows grow."""

from __future__ import annotations

import cv2
import numpy as np
from scipy.interpolate import PchipInterpolator

from identities.renderer.canvas import Canvas, smoothstep, soft
from identities.renderer.geometry import SHIFT, Frame
from identities.renderer.shading import LightMap
from identities.renderer.traits.model import Traits


class BrowCurve:
    """The centre line of the image-right brow as y(x); the left brow is its mirror."""

    def __init__(self, t: Traits):
        b, x = t.brows, t.expression
        e = t.eyes
        self.inner = b.gap - 0.02 * x.frown
        # A narrow forehead ends the brows before its edge.
        edge = 0.9 * min(t.shape.temple, 0.97 * t.shape.cheek)
        reach = min(b.gap + b.length + 0.04 * (e.spacing - 0.45), edge)
        self.outer = max(reach, self.inner + 0.4)
        base = -b.lift - 0.09 * x.brow_raise + 0.05 * x.frown
        inner_y = base + 0.02 + b.angle + 0.04 * x.frown - 0.03 * x.brow_raise
        peak_x = self.inner + 0.64 * (self.outer - self.inner)
        peak_y = base - 0.035 - 0.075 * b.arch
        tail_y = base + 0.05 - 0.015 * b.arch
        xs = [self.inner, 0.5 * (self.inner + peak_x), peak_x, self.outer]
        ys = [inner_y, 0.5 * (inner_y + peak_y) - 0.01 * b.arch, peak_y, tail_y]
        self._y = PchipInterpolator(xs, ys, extrapolate=True)
        self._dy = self._y.derivative()
        self.top = float(min(ys)) - b.thickness
        self.bottom = float(max(ys)) + b.thickness

    def y(self, x: np.ndarray) -> np.ndarray:
        return self._y(x).astype(np.float32)

    def slope(self, x: np.ndarray) -> np.ndarray:
        return self._dy(x).astype(np.float32)

    def along(self, x: np.ndarray) -> np.ndarray:
        return (x - self.inner) / (self.outer - self.inner)


def paint_brows(
    canvas: Canvas, frame: Frame, traits: Traits, light: LightMap, rng: np.random.Generator
) -> None:
    curve = BrowCurve(traits)
    b = traits.brows
    for side in (-1.0, 1.0):
        box = frame.box(
            canvas,
            min(side * (curve.inner - 0.08), side * (curve.outer + 0.08)),
            curve.top - 0.08,
            max(side * (curve.inner - 0.08), side * (curve.outer + 0.08)),
            curve.bottom + 0.08,
        )
        if box.empty:
            continue
        xs, ys = frame.units(box)
        x = xs * side
        f = curve.along(x)
        half = 0.5 * b.thickness * (1.0 - 0.62 * np.clip(f, 0.0, 1.0) ** 1.5)
        dv = ys - curve.y(x) + 0.1 * half
        body = smoothstep(1.05, 0.35, np.abs(dv) / np.maximum(half, 1e-3))
        ends = smoothstep(-0.06, 0.1, f) * smoothstep(1.02, 0.9, f)
        tone = body * ends * (0.45 + 0.4 * b.density) * (0.45 + 0.55 * smoothstep(0.0, 0.35, f))
        tone = soft(tone.astype(np.float32), 0.006 * frame.u)
        hairs = _hairs(frame, box, curve, traits, side, rng)
        alpha = np.clip(tone + hairs * (0.35 + 0.3 * b.density) * (0.4 + 0.6 * body), 0.0, 0.92)
        if b.scar_gap and side == b.scar_gap:
            alpha *= 1.0 - np.exp(-(((f - 0.55) / 0.05) ** 2))
        color = np.asarray(b.color, np.float32) * light.over(box)[..., None]
        canvas.paint(box, alpha, color)


def _hairs(
    frame: Frame, box, curve: BrowCurve, t: Traits, side: float, rng: np.random.Generator
) -> np.ndarray:
    b = t.brows
    count = int(40 + 150 * b.density)
    f = rng.beta(1.2, 1.4, count)
    x = curve.inner + f * (curve.outer - curve.inner)
    half = 0.5 * b.thickness * (1.0 - 0.62 * f**1.5)
    y = curve.y(x) + rng.uniform(-0.9, 0.9, count) * half
    tangent = np.arctan(curve.slope(x))
    # Hairs at the head grow upward; along the body they lie down towards the tail.
    rise = np.interp(f, [0.0, 0.2, 0.6, 1.0], [1.35, 0.75, 0.3, 0.1])
    angle = tangent - rise + rng.normal(0.0, 0.12 + 0.2 * b.density * 0.5, count)
    length = (0.045 + 0.03 * rng.random(count)) * (1.0 - 0.3 * f)
    steps = np.linspace(0.0, 1.0, 4)[None, :]
    bend = 0.25 * steps**2
    # Each hair curves slightly towards the tail as it grows.
    heading = angle[:, None] + bend
    px = x[:, None] + np.cumsum(np.cos(heading), axis=1) * length[:, None] / 4.0
    py = y[:, None] + np.cumsum(np.sin(heading), axis=1) * length[:, None] / 4.0
    points = frame.cv_points(box, px * side, py)
    mask = np.zeros((box.height, box.width), np.uint8)
    width = max(1, round(0.006 * frame.u))
    cv2.polylines(mask, list(points), False, 255, width, cv2.LINE_AA, SHIFT)
    return mask.astype(np.float32) / 255.0
