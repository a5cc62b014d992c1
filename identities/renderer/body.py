"""Backdrop, neck, shoulders and the plain top every portrait wears.

Framing, light, outfit and background are the same for every identity (the spec's
standardised treatment): a warm grey studio wall and a charcoal scoop-neck top.
"""

from __future__ import annotations

import cv2
import numpy as np
from scipy.interpolate import PchipInterpolator

from identities.renderer.canvas import Canvas, coverage, smoothstep, value_noise
from identities.renderer.geometry import Frame, Outline
from identities.renderer.palette import lin
from identities.renderer.shading import Field, Light, skin_light
from identities.renderer.traits.model import Traits

WALL_CENTRE = lin((0.74, 0.72, 0.69))
WALL_EDGE = lin((0.5, 0.49, 0.47))
GARMENT = lin((0.2, 0.2, 0.215))


def paint_backdrop(
    canvas: Canvas, frame: Frame, rng: np.random.Generator, *, colour: np.ndarray | None = None
) -> None:
    """The studio wall; `colour` (linear RGB) paints the same wall, light pool and mottle in
    another colour."""
    h, w = canvas.height, canvas.width
    # A soft pool of light behind the head, falling off to the corners; computed coarse.
    small_w, small_h = max(8, w // 8), max(8, h // 8)
    xs = (np.arange(small_w, dtype=np.float32) + 0.5) * (w / small_w)
    ys = (np.arange(small_h, dtype=np.float32) + 0.5) * (h / small_h)
    dx = (xs[None, :] - frame.cx + 0.6 * frame.u) / (3.6 * frame.u)
    dy = (ys[:, None] - frame.cy + 0.8 * frame.u) / (4.2 * frame.u)
    pool = np.exp(-(dx**2 + dy**2))
    mottle = value_noise(rng, (small_h, small_w), max(3.0, small_h / 5)) * 0.035
    t = np.clip(pool + mottle, 0.0, 1.0)[..., None]
    wall = WALL_EDGE + (WALL_CENTRE - WALL_EDGE) * t
    canvas.rgb[:] = cv2.resize(wall.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    if colour is not None:
        _recolour_wall(canvas, colour)


def _recolour_wall(canvas: Canvas, colour: np.ndarray) -> None:
    # The wall runs from WALL_EDGE to WALL_CENTRE: keep each pixel's place on that ramp.
    span = float(WALL_CENTRE[0] - WALL_EDGE[0])
    t = np.clip((canvas.rgb[..., :1] - float(WALL_EDGE[0])) / span, 0.0, 1.2)
    centre = colour.astype(np.float32)
    edge = centre * float(WALL_EDGE[0] / WALL_CENTRE[0])
    canvas.rgb[:] = edge + (centre - edge) * t


class Torso:
    """Half-width of neck and shoulders per height (face units)."""

    def __init__(self, traits: Traits, frame: Frame):
        s = traits.shape
        masc = 1.0 - traits.person.femininity
        self.neck_base = 1.98 + 0.08 * masc
        base = self.neck_base
        bottom = (frame.height - frame.cy) / frame.u + 0.5
        # Neck, then the trapezius sloping down to a rounded shoulder, then the arm.
        span = s.shoulders - s.neck
        drop = 0.25 * s.slope
        knots_y = [0.7, base - 0.3, base, base + 0.12 + drop * 0.3, base + 0.3 + drop * 0.6]
        knots_w = [s.neck, s.neck * 1.01, s.neck * 1.12, s.neck + 0.45 * span, s.neck + 0.78 * span]
        knots_y += [base + 0.55 + drop, base + 0.95 + drop, max(bottom, base + 2.0)]
        knots_w += [s.shoulders * 0.97, s.shoulders, s.shoulders + 0.04]
        self._curve = PchipInterpolator(knots_y, knots_w, extrapolate=True)
        self.bottom = bottom
        # The scoop neck ends on the trapezius; beyond it the top covers the shoulder.
        self.collar = s.neck + 0.4 * span
        probe = np.linspace(base, base + 1.0, 200)
        self.collar_y = float(probe[np.searchsorted(self._curve(probe), self.collar)])

    def half_width(self, y: np.ndarray) -> np.ndarray:
        return self._curve(np.clip(y, 0.7, None)).astype(np.float32)

    def signed(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        w = self.half_width(y)
        slope = self._curve.derivative()(np.clip(y, 0.7, None)).astype(np.float32)
        return (w - np.abs(x)) / np.sqrt(1.0 + slope**2)

    def neckline(self, x: np.ndarray) -> np.ndarray:
        """Where the top begins: a scoop from the trapezius down past the collarbones."""
        t = np.clip(np.abs(x) / self.collar, 0.0, 1.0)
        depth = self.neck_base + 0.48
        scoop = self.collar_y + (depth - self.collar_y) * np.sqrt(1.0 - t**2)
        return np.where(np.abs(x) < self.collar, scoop, -9.0).astype(np.float32)


def paint_body(
    canvas: Canvas,
    frame: Frame,
    traits: Traits,
    torso: Torso,
    outline: Outline,
    rng: np.random.Generator,
    *,
    top: np.ndarray | None = None,
) -> None:
    """The neck's skin and a top: grey GARMENT, or `top` (linear RGB) for a coloured one."""
    reach = traits.shape.shoulders + 0.3
    _paint_skin(canvas, frame, traits, torso, outline, reach)
    # The top is painted as GARMENT times its light; 0.8 keeps a coloured top's highlights in range.
    tint = None if top is None else np.clip(top / GARMENT * 0.8, 0.0, 40.0)
    _paint_top(canvas, frame, torso, outline, reach, rng, tint)


def _paint_skin(
    canvas: Canvas, frame: Frame, traits: Traits, torso: Torso, outline: Outline, reach: float
) -> None:
    # Skin shows only above the neckline's lowest point: a short box, not the whole torso.
    box = frame.box(canvas, -reach, 0.7, reach, torso.neck_base + 0.7)
    if box.empty:
        return
    xs, ys = frame.units(box, frame.shade_scale * 0.6)
    relief = _body_relief(xs, ys, traits, torso)
    light = Light(relief.v, relief.step)
    # The head shades the neck: its silhouette, moved away from the key light, blurred.
    shadow = _head_shadow(xs, ys, outline)
    albedo = np.broadcast_to(np.asarray(traits.skin.albedo, np.float32), (*relief.v.shape, 3))
    skin = skin_light(albedo, light, shadow=shadow, ambient=0.11)
    skin = cv2.resize(skin, (box.width, box.height), interpolation=cv2.INTER_LINEAR)
    fx, fy = frame.units(box)
    canvas.paint(box, coverage(torso.signed(fx, fy) * frame.u), skin)


def _paint_top(
    canvas: Canvas,
    frame: Frame,
    torso: Torso,
    outline: Outline,
    reach: float,
    rng: np.random.Generator,
    tint: np.ndarray | None,
) -> None:
    box = frame.box(canvas, -reach, torso.collar_y - 0.05, reach, torso.bottom)
    if box.empty:
        return
    # Cloth has no fine detail: light it on a coarse grid.
    xs, ys = frame.units(box, frame.shade_scale * 0.3)
    w = np.maximum(torso.half_width(ys), 1e-3)
    form = 1.2 * (1.0 - np.clip(np.abs(xs) / w, 0.0, 1.0) ** 3.0) ** (1 / 3.0)
    light = Light(form.astype(np.float32), float(xs.ravel()[1] - xs.ravel()[0]))
    shadow = _head_shadow(xs, ys, outline) * 0.5
    tone = 0.35 + 0.75 * light.key * (1.0 - shadow) + 0.1 * light.fill
    tone = cv2.resize(tone.astype(np.float32), (box.width, box.height))
    fx, fy = frame.units(box)
    under = (fy - torso.neckline(fx)) * frame.u
    weave = value_noise(rng, (box.height, box.width), max(1.0, 0.01 * frame.u)) * 0.04
    # A ribbed edge along the neckline, catching a little light.
    rib = np.exp(-(((under / frame.u - 0.025) / 0.018) ** 2)) * 0.25
    tone *= 1.0 + weave + rib
    body = coverage(torso.signed(fx, fy) * frame.u) * coverage(under)
    colour = tone[..., None] * GARMENT
    if tint is not None:
        colour = colour.astype(np.float32) * tint
    canvas.paint(box, body, colour)


def _body_relief(xs: np.ndarray, ys: np.ndarray, t: Traits, torso: Torso) -> Field:
    w = np.maximum(torso.half_width(ys), 1e-3)
    nx = np.clip(np.abs(xs) / w, 0.0, 1.0)
    neckness = 1.0 - smoothstep(torso.neck_base - 0.1, torso.neck_base + 0.3, ys)
    # The neck is a cylinder; the chest and shoulders are a broad, flatter form.
    cylinder = 0.8 * w * np.sqrt(1.0 - nx**2)
    chest = 1.2 * (1.0 - nx**3.0) ** (1 / 3.0)
    field = Field(xs, ys, neckness * cylinder + (1 - neckness) * chest)
    base = torso.neck_base
    for k in range(6):
        f = k / 5.0
        field.mirrored(0.16 + 0.9 * f, base + 0.3 - 0.12 * f, 0.1, 0.035, 0.025)
    field.bump(0.0, base + 0.27, 0.07, 0.06, -0.03)
    masc = 1.0 - t.person.femininity
    if masc > 0.5:
        field.bump(0.0, 1.85, 0.06, 0.07, 0.03 * masc)
    return field


def _head_shadow(xs: np.ndarray, ys: np.ndarray, outline: Outline) -> np.ndarray:
    step = float(xs.ravel()[1] - xs.ravel()[0])
    head = np.clip(outline.signed(xs - 0.2, ys - 0.45) / 0.04 + 0.5, 0.0, 1.0)
    return cv2.GaussianBlur(head.astype(np.float32), (0, 0), 0.1 / step) * 0.85
