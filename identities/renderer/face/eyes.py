"""Eyes: lids, sclera, a fibrous iris with its limbal ring, pupil, catchlight and lashes.

Each eye is drawn in its own frame: s runs from the inner corner (-1) to the outer (+1) along
the tilted eye axis, v downwards, both in eye half-widths. The eyes decide most of whether a
face reads as a face (to people and to the detector), so they get the most care.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from identities.renderer.canvas import Canvas, coverage, smoothstep
from identities.renderer.geometry import SHIFT, Frame
from identities.renderer.palette import lin
from identities.renderer.shading import LightMap
from identities.renderer.traits.model import Traits

SCLERA = lin((0.9, 0.87, 0.84))
LASH = lin((0.05, 0.04, 0.035))
CARUNCLE = lin((0.86, 0.55, 0.52))


# The pupil's radius in iris radii (before the iris's own size adds a little).
PUPIL = 0.3


@dataclass(frozen=True)
class EyeFrame:
    side: float  # -1 image left, +1 image right
    cx: float
    cy: float
    r: float
    tilt: float
    upper_h: float
    lower_h: float
    epicanthic: float
    upper_peak: float = -0.18
    lower_peak: float = 0.2

    def local(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        c, s = np.cos(self.tilt), np.sin(self.tilt)
        dx, dy = x - self.cx, y - self.cy
        along = (dx * self.side * c - dy * s) / self.r
        down = (dx * self.side * s + dy * c) / self.r
        return along, down

    def point(self, s: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        c, sn = np.cos(self.tilt), np.sin(self.tilt)
        x = self.cx + self.r * self.side * (s * c + v * sn)
        y = self.cy + self.r * (-s * sn + v * c)
        return x, y

    def upper(self, s: np.ndarray) -> np.ndarray:
        lid = -self.upper_h * _arch(s, self.upper_peak)
        # An epicanthic fold draws the upper lid down over the inner corner.
        fold = self.epicanthic * 0.3 * self.upper_h * np.exp(-(((s + 1.0) / 0.4) ** 2))
        return lid + fold

    def lower(self, s: np.ndarray) -> np.ndarray:
        return self.lower_h * _arch(s, self.lower_peak)


def _arch(s: np.ndarray, peak: float) -> np.ndarray:
    s = np.clip(s, -1.0, 1.0)
    q = np.clip(s - peak * (1.0 - s * s), -1.0, 1.0)
    return (1.0 - q * q) ** 0.8


def eye_frames(traits: Traits) -> list[EyeFrame]:
    e, x = traits.eyes, traits.expression
    smile = max(x.smile, 0.0)
    upper = e.upper * (1.0 - 0.22 * x.squint - 0.12 * smile + 0.18 * x.brow_raise)
    lower = e.lower * (1.0 - 0.3 * x.squint - 0.28 * smile)
    return [
        EyeFrame(
            side,
            side * e.spacing,
            0.0,
            e.size,
            e.tilt,
            upper,
            lower,
            e.epicanthic,
            e.upper_peak,
            e.lower_peak,
        )
        for side in (-1.0, 1.0)
    ]


def paint_eyes(
    canvas: Canvas, frame: Frame, traits: Traits, light: LightMap, rng: np.random.Generator
) -> None:
    for eye in eye_frames(traits):
        _paint_eye(canvas, frame, traits, eye, light, rng)


def _paint_eye(
    canvas: Canvas,
    frame: Frame,
    t: Traits,
    eye: EyeFrame,
    light: LightMap,
    rng: np.random.Generator,
) -> None:
    r = eye.r
    box = frame.box(canvas, eye.cx - 1.9 * r, eye.cy - 1.7 * r, eye.cx + 1.9 * r, eye.cy + 1.2 * r)
    if box.empty:
        return
    xs, ys = frame.units(box)
    s, v = eye.local(xs, ys)
    px = r * frame.u  # pixels per eye half-width
    top, bottom = eye.upper(s), eye.lower(s)
    opening = coverage(np.minimum(v - top, bottom - v) * px) * (np.abs(s) < 1.0)
    _paint_lid_skin(canvas, box, t, eye, s, v, top, px)
    ball = _eyeball(t, eye, s, v, top, px, rng)
    # The eye sits in its socket's light; a wet eye never drops as dark as the skin round it.
    ball *= np.clip(0.35 + 0.65 * light.over(box), 0.0, 1.1)[..., None]
    canvas.paint(box, opening, ball)
    _paint_lid_edges(canvas, box, t, s, v, top, bottom, px)
    _paint_lashes(canvas, frame, box, t, eye, rng)
    if t.makeup.wing > 0 and t.makeup.liner > 0:
        _paint_wing(canvas, frame, box, t, eye)


def _eyeball(
    t: Traits,
    eye: EyeFrame,
    s: np.ndarray,
    v: np.ndarray,
    top: np.ndarray,
    px: float,
    rng: np.random.Generator,
) -> np.ndarray:
    skin = np.asarray(t.skin.albedo, np.float32)
    sclera = SCLERA * 0.88 + skin * 0.12
    # The white is a sphere under the lids: darker towards the corners and under the lid.
    shade = 0.92 - 0.38 * np.abs(s) ** 2.2
    color = np.broadcast_to(sclera, (*shade.shape, 3)) * shade[..., None]
    corner = np.exp(-(((s + 0.97) / 0.1) ** 2 + (v / 0.16) ** 2))
    color = color + (CARUNCLE * 0.7 - color) * corner[..., None]
    iris_r = t.eyes.iris_size
    gaze = t.eyes.gaze * eye.side
    # A relaxed gaze: the upper lid covers the top of the iris, the lower lid touches it.
    ds, dv = s - gaze, v - 0.02
    rho = np.sqrt(ds * ds + dv * dv) / iris_r
    iris = _iris(t, rho, np.arctan2(dv, ds * eye.side), ds, dv, rng)
    edge = coverage((1.0 - rho) * iris_r * px)
    color = color + (iris - color) * edge[..., None]
    # The upper lid and lashes shade the top of the eyeball.
    lid_shadow = np.exp(-np.clip(v - top, 0.0, None) / 0.22)
    color *= (1.0 - 0.55 * lid_shadow)[..., None]
    _catchlights(color, ds, dv, iris_r, px)
    return color


def _iris(
    t: Traits,
    rho: np.ndarray,
    angle: np.ndarray,
    ds: np.ndarray,
    dv: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    outer = np.asarray(t.eyes.iris, np.float32)
    inner = np.asarray(t.eyes.iris_inner, np.float32)
    mix = smoothstep(0.3, 0.85, rho)[..., None]
    color = inner + (outer - inner) * mix
    fibres = np.zeros_like(rho)
    for freq in (17, 29, 43, 61, 83):
        fibres += np.sin(freq * angle + rng.uniform(0, 2 * np.pi)) * (23.0 / freq) ** 0.5
    fibres /= 3.0
    ring = np.exp(-(((rho - 0.52) / 0.07) ** 2))
    bright = 1.0 + 0.22 * fibres * smoothstep(0.35, 0.6, rho) + 0.18 * ring
    # Light entering through the cornea from the upper left glows in the lower right.
    glow = np.clip(0.5 * (ds * 0.6 + dv * 0.8) / max(t.eyes.iris_size, 1e-3) + 0.5, 0, 1)
    bright *= 0.8 + 0.5 * glow
    limbal = 1.0 - 0.7 * smoothstep(0.78, 1.0, rho)
    color = color * (bright * limbal)[..., None]
    # A studio-lit pupil is small: the iris ring round it stays wide and readable even where
    # a face reader's iris fit comes out a little small.
    pupil_r = PUPIL + 0.04 * t.eyes.iris_size
    pupil = smoothstep(pupil_r + 0.03, pupil_r - 0.03, rho)
    return color * (1.0 - 0.97 * pupil)[..., None]


def _catchlights(
    color: np.ndarray, ds: np.ndarray, dv: np.ndarray, iris_r: float, px: float
) -> None:
    # The softbox seen in the cornea: the highlight that makes an eye look alive.
    size = max(0.16 * iris_r, 1.1 / px)
    main = np.exp(-(((ds + 0.3 * iris_r) / size) ** 2 + ((dv + 0.34 * iris_r) / size) ** 4))
    small = np.exp(
        -(((ds - 0.3 * iris_r) / (size * 0.5)) ** 2 + ((dv - 0.3 * iris_r) / (size * 0.5)) ** 2)
    )
    color += (main * 0.95 + small * 0.25)[..., None] * np.array([1.0, 1.0, 0.98], np.float32)


def _paint_lid_skin(
    canvas: Canvas,
    box,
    t: Traits,
    eye: EyeFrame,
    s: np.ndarray,
    v: np.ndarray,
    top: np.ndarray,
    px: float,
) -> None:
    e, m = t.eyes, t.makeup
    width = np.sqrt(np.clip(1.0 - (s * 0.92) ** 2, 0.0, 1.0))
    crease_h = (0.18 + 1.0 * e.crease) * (1.0 - 0.5 * e.hood)
    crease = top - crease_h * width
    lid = smoothstep(-0.05, 0.1, v - crease) * smoothstep(0.05, -0.02, v - top)
    lid *= smoothstep(1.1, 0.5, np.abs(s + 0.05))
    if e.crease > 0.02:
        fold = np.exp(-(((v - crease) / 0.08) ** 2)) * smoothstep(1.0, 0.4, np.abs(s + 0.1))
        canvas.multiply(box, 1.0 - 0.32 * fold * (0.6 + 0.6 * e.depth))
    # Hooded lids: the brow skin rolls over the crease and shades the lid.
    canvas.multiply(box, 1.0 - lid * (0.1 + 0.12 * e.hood + 0.08 * e.depth))
    if m.shadow_color is not None and m.shadow_alpha > 0:
        spread = 1.0 + 0.8 * (m.shadow_alpha > 0.6)
        wash = smoothstep(-0.3 * spread, 0.05, v - crease) * smoothstep(0.05, -0.02, v - top)
        wash *= smoothstep(1.25 + 0.2 * spread, 0.7, np.abs(s - 0.15))
        canvas.paint(box, wash * m.shadow_alpha * 0.8, m.shadow_color)
    if m.lid_gloss > 0:
        shine = np.exp(-(((s + 0.1) / 0.35) ** 2) - ((v - (top + crease) / 2) / 0.12) ** 2)
        canvas.add(box, shine * 0.12 * m.lid_gloss)


def _paint_lid_edges(
    canvas: Canvas,
    box,
    t: Traits,
    s: np.ndarray,
    v: np.ndarray,
    top: np.ndarray,
    bottom: np.ndarray,
    px: float,
) -> None:
    m = t.makeup
    ends = smoothstep(1.08, 0.85, np.abs(s))
    # The upper lash line: thicker towards the outer corner, thicker still with liner.
    thick = 0.06 + 0.06 * np.clip(s, 0, 1) + 0.07 * m.liner + 0.02 * t.eyes.lashes
    thick = np.maximum(thick, 1.2 / px)
    line = np.exp(-(((v - top + 0.01) / thick) ** 2)) * ends
    canvas.paint(box, line * (0.88 + 0.1 * m.liner), LASH)
    # The lower lid: a moist rim catching light, a faint lash line, the shadow below.
    rim = np.exp(-(((v - bottom - 0.03) / 0.035) ** 2)) * ends
    canvas.add(box, rim * 0.05)
    lower_line = np.exp(-(((v - bottom - 0.07) / 0.03) ** 2)) * ends * np.clip(s + 0.6, 0, 1)
    canvas.paint(box, lower_line * (0.25 + 0.35 * m.liner + 0.15 * m.mascara), LASH)
    under = np.exp(-(((v - bottom - 0.2) / 0.1) ** 2)) * ends
    canvas.multiply(box, 1.0 - 0.1 * under)


def _paint_lashes(
    canvas: Canvas, frame: Frame, box, t: Traits, eye: EyeFrame, rng: np.random.Generator
) -> None:
    amount = t.eyes.lashes + 0.6 * t.makeup.mascara
    count = int(14 + 20 * min(amount, 1.4))
    base = np.sort(rng.uniform(-0.7, 1.0, count))[:, None]
    # Longer towards the outer corner, leaning outwards, curling up as they grow.
    length = (0.16 + 0.16 * amount) * (0.55 + 0.45 * (base + 1.0) / 2.0)
    length = length * rng.uniform(0.8, 1.15, (count, 1))
    lean = 0.25 + 0.9 * np.maximum(base, 0.0)
    steps = np.linspace(0.0, 1.0, 6)[None, :]
    ss = base + lean * length * steps
    vv = eye.upper(base) - length * steps * (1.0 - 0.45 * steps)
    polys = frame.cv_points(box, *eye.point(ss, vv), shift=SHIFT)
    mask = np.zeros((box.height, box.width), np.uint8)
    thickness = max(1, round(0.012 * eye.r * frame.u * (1 + 0.6 * t.makeup.mascara)))
    cv2.polylines(mask, list(polys), False, 255, thickness, cv2.LINE_AA, SHIFT)
    canvas.paint(box, mask.astype(np.float32) * (0.8 / 255.0), LASH)


def _paint_wing(canvas: Canvas, frame: Frame, box, t: Traits, eye: EyeFrame) -> None:
    m = t.makeup
    reach = 0.45 * min(m.wing, 1.4)
    s = np.array([0.82, 1.0 + reach, 0.92])
    v = np.array([eye.upper(np.array([0.82]))[0] - 0.02, -0.18 - reach * 0.55, 0.04])
    mask = np.zeros((box.height, box.width), np.uint8)
    cv2.fillPoly(
        mask, [frame.cv_points(box, *eye.point(s, v), shift=SHIFT)], 255, cv2.LINE_AA, SHIFT
    )
    canvas.paint(box, mask.astype(np.float32) * (0.9 * min(m.liner, 1.0) / 255.0), LASH)
