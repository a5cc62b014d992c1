"""Nose base and mouth: nostrils and alar creases, lips with cupid's bow, teeth in a smile."""

from __future__ import annotations

import numpy as np

from identities.renderer.canvas import Canvas, coverage, smoothstep
from identities.renderer.geometry import Frame
from identities.renderer.palette import lin
from identities.renderer.shading import LightMap
from identities.renderer.traits.model import Traits

TEETH = lin((0.9, 0.87, 0.8))
MOUTH_INSIDE = lin((0.16, 0.05, 0.05))


def paint_nose(canvas: Canvas, frame: Frame, traits: Traits, light: LightMap) -> None:
    n = traits.nose
    tip_y = n.length - 0.03 * n.upturn
    box = frame.box(canvas, -n.width - 0.15, tip_y - 0.15, n.width + 0.15, tip_y + 0.2)
    if box.empty:
        return
    xs, ys = frame.units(box)
    skin = np.asarray(traits.skin.albedo, np.float32)
    # Nostrils: two dark, slightly tilted ovals; an upturned nose shows more of them.
    open_h = 0.018 + 0.016 * max(n.upturn, 0.0) + 0.004 * n.flare
    nostril_y = tip_y + 0.08 - 0.01 * n.upturn
    holes = np.zeros_like(xs * ys)
    for side in (-1.0, 1.0):
        cx = side * n.width * 0.45
        dx = xs - cx
        # Long axis tilted so the inner ends rise towards the tip.
        dy = ys - nostril_y - side * dx * 0.3
        r = (dx / (0.035 + 0.12 * n.width)) ** 2 + (dy / open_h) ** 2
        holes = np.maximum(holes, smoothstep(1.2, 0.35, r))
    canvas.paint(box, holes * 0.75, skin * (0.18 * light.over(box))[..., None])
    # The alar crease: a shadowed arc where each nostril wing meets the cheek.
    crease = np.zeros_like(holes)
    for side in (-1.0, 1.0):
        cx, cy = side * n.width * 0.74, tip_y + 0.035
        radius = 0.07 + 0.025 * n.flare
        d = np.sqrt((xs - cx) ** 2 + (ys - cy) ** 2)
        angle = np.arctan2(ys - cy, (xs - cx) * side)
        arc = np.exp(-(((d - radius) / 0.014) ** 2)) * smoothstep(-2.4, -1.2, angle)
        arc *= smoothstep(1.6, 0.9, angle)
        crease = np.maximum(crease, arc)
    canvas.multiply(box, 1.0 - 0.35 * crease)


class Lips:
    """Lip outlines as functions of x, shaped by the expression."""

    def __init__(self, t: Traits):
        m, x = t.mouth, t.expression
        smile = max(x.smile, 0.0)
        self.width = m.width * (1.0 + 0.14 * smile - 0.12 * min(x.smile, 0.0))
        self.y = m.y
        self.smile = x.smile
        self.smirk = x.smirk
        self.gap = x.teeth * (0.035 + 0.05 * smile)
        self.upper = m.upper * (1.0 - 0.3 * smile)
        self.lower = m.lower * (1.0 - 0.2 * smile)
        self.bow = m.bow

    def line(self, x: np.ndarray) -> np.ndarray:
        mx = np.clip(x / self.width, -1.2, 1.2)
        lift = self.smile * 0.085 * mx**2 + self.smirk * 0.035 * mx * np.abs(mx)
        return self.y - lift

    def upper_top(self, x: np.ndarray) -> np.ndarray:
        mx = np.clip(np.abs(x) / self.width, 0.0, 1.0)
        body = (1.0 - mx**2) ** 0.8
        dip = 1.0 - 0.3 * self.bow * np.exp(-((mx / 0.1) ** 2))
        peaks = 1.0 + 0.14 * self.bow * np.exp(-(((mx - 0.2) / 0.1) ** 2))
        return self.line(x) - self.gap / 2 - self.upper * body * dip * peaks

    def upper_bottom(self, x: np.ndarray) -> np.ndarray:
        mx = np.clip(np.abs(x) / self.width, 0.0, 1.0)
        return self.line(x) - self.gap / 2 + 0.012 * self.upper / 0.08 * np.exp(-((mx / 0.2) ** 2))

    def lower_top(self, x: np.ndarray) -> np.ndarray:
        mx = np.clip(np.abs(x) / self.width, 0.0, 1.0)
        return self.line(x) + self.gap / 2 + 0.35 * self.gap * (1.0 - mx**2)

    def lower_bottom(self, x: np.ndarray) -> np.ndarray:
        mx = np.clip(np.abs(x) / self.width, 0.0, 1.0)
        return self.lower_top(x) + self.lower * (1.0 - mx**2) ** 0.85


def paint_mouth(
    canvas: Canvas, frame: Frame, traits: Traits, light: LightMap, rng: np.random.Generator
) -> None:
    lips = Lips(traits)
    w = lips.width
    box = frame.box(canvas, -w - 0.12, lips.y - 0.25, w + 0.12, lips.y + lips.lower + 0.2)
    if box.empty:
        return
    xs, ys = frame.units(box)
    u = frame.u
    mx = np.abs(xs) / w
    ut, ub = lips.upper_top(xs), lips.upper_bottom(xs)
    lt, lb = lips.lower_top(xs), lips.lower_bottom(xs)
    inside_x = coverage((1.0 - mx) * w * u)
    upper = coverage(np.minimum(ys - ut, ub - ys) * u) * inside_x
    lower = coverage(np.minimum(ys - lt, lb - ys) * u) * inside_x
    lit = light.over(box)
    if lips.gap > 0.004:
        _paint_teeth(canvas, box, traits, lips, xs, ys, ub, lt, inside_x, lit)
    # The skin's rolled edge above the upper lip catches the light.
    roll = np.exp(-(((ys - ut + 0.012) / 0.01) ** 2)) * (mx < 1.0) * (1.0 - mx)
    canvas.add(box, roll * 0.04)
    color = _lip_color(traits)
    # Upper lip faces down (in shade), the lower lip up (lit, with a highlight).
    shade_u = 0.76 + 0.12 * smoothstep(0.0, 1.0, (ys - ut) / np.maximum(ub - ut, 1e-3))
    lower_t = (ys - lt) / np.maximum(lb - lt, 1e-3)
    shade_l = 0.95 - 0.4 * smoothstep(0.55, 1.0, lower_t) + 0.05 * (1 - mx)
    grain = 1.0 + 0.025 * np.sin(mx * 55.0 + rng.uniform(0, 6.28)) * (1 - mx)
    canvas.paint(box, upper, color * (shade_u * grain * lit)[..., None])
    canvas.paint(box, lower, color * (shade_l * grain * lit)[..., None])
    gloss = 0.05 + 0.25 * max(traits.makeup.gloss, 0.0) + 0.04 * traits.skin.shine
    shine = np.exp(-(((xs + 0.06) / (0.35 * w)) ** 2) - (((lower_t - 0.32) / 0.16) ** 2))
    canvas.add(box, shine * lower * gloss)
    # The line between the lips and the corners: the darkest marks of the mouth.
    seam = np.exp(-(((ys - lips.line(xs)) / 0.011) ** 2)) * smoothstep(1.15, 0.9, mx)
    corners = np.exp(-(((mx - 1.0) / 0.07) ** 2) - ((ys - lips.line(xs)) / 0.03) ** 2)
    dark = np.clip(seam * 0.6 * (lips.gap < 0.004) + corners * 0.45, 0, 1)
    canvas.paint(box, dark, color * (0.25 * lit)[..., None])
    below = np.exp(-(((ys - lb - 0.035) / 0.03) ** 2)) * smoothstep(1.1, 0.4, mx)
    canvas.multiply(box, 1.0 - 0.22 * below)


def _lip_color(t: Traits) -> np.ndarray:
    natural = np.asarray(t.mouth.color, np.float32)
    m = t.makeup
    if m.lip_color is None or m.lip_alpha <= 0:
        return natural
    paint = np.asarray(m.lip_color, np.float32)
    return natural + (paint - natural) * float(np.clip(m.lip_alpha, 0.0, 1.0))


def _paint_teeth(
    canvas: Canvas,
    box,
    t: Traits,
    lips: Lips,
    xs: np.ndarray,
    ys: np.ndarray,
    top: np.ndarray,
    bottom: np.ndarray,
    inside_x: np.ndarray,
    lit: np.ndarray,
) -> None:
    mx = np.abs(xs) / lips.width
    opening = np.clip((np.minimum(ys - top, bottom - ys)) / 0.004 + 0.5, 0.0, 1.0) * inside_x
    depth = smoothstep(0.45, 0.95, mx)
    height = np.maximum(bottom - top, 1e-3)
    row = (ys - top) / height
    teeth = TEETH * (0.95 - 0.35 * smoothstep(0.55, 1.0, row))[..., None]
    edges = np.zeros_like(mx)
    for k in (0.0, 0.17, 0.32, 0.46, 0.6):
        edges = np.maximum(edges, np.exp(-(((mx - k) / 0.012) ** 2)))
    teeth = teeth * (1.0 - 0.25 * edges * (mx > 0.05))[..., None]
    if t.expression.gap_teeth:
        teeth = teeth * (1.0 - 0.85 * np.exp(-((xs / 0.011) ** 2)))[..., None]
    color = teeth + (MOUTH_INSIDE - teeth) * depth[..., None]
    canvas.paint(box, opening, color * lit[..., None])
