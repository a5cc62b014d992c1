"""Distinguishing marks on the skin: freckles, moles, scars, a birthmark, a small tattoo."""

from __future__ import annotations

import cv2
import numpy as np

from identities.renderer.canvas import Canvas, soft
from identities.renderer.geometry import SHIFT, Frame, Outline
from identities.renderer.palette import lin
from identities.renderer.shading import LightMap
from identities.renderer.traits.model import Tattoo, Traits

MOLE = lin((0.24, 0.14, 0.1))
INK = lin((0.13, 0.15, 0.22))


def paint_marks(
    canvas: Canvas,
    frame: Frame,
    traits: Traits,
    outline: Outline,
    light: LightMap,
    rng: np.random.Generator,
) -> None:
    m = traits.marks
    if m.freckles > 0:
        _freckles(canvas, frame, traits, rng)
    # A mole is darker than the skin round it on every skin: on deep skin, darker still.
    pigment = np.minimum(MOLE, np.asarray(traits.skin.albedo, np.float32) * 0.3)
    for x, y, r in m.moles:
        _dot(canvas, frame, light, x, y, r, pigment)
    for side, along, r in m.jaw_moles:
        x, y = jaw_point(outline, side, along)
        _dot(canvas, frame, light, x, y, r, pigment)
    for x, y, angle, length in m.scars:
        _scar(canvas, frame, x, y, angle, length)
    if m.birthmark is not None:
        x, y, r = m.birthmark
        box = frame.box(canvas, x - r * 1.5, y - r * 1.5, x + r * 1.5, y + r * 1.5)
        if not box.empty:
            xs, ys = frame.units(box)
            blot = np.exp(-((((xs - x) / r) ** 2 + ((ys - y) / (r * 0.7)) ** 2) ** 1.5))
            _darken(canvas, box, blot * 0.35, (0.75, 0.5, 0.5))
    if m.tattoo is not None:
        _tattoo(canvas, frame, traits, outline, light, m.tattoo, rng)


def jaw_point(outline: Outline, side: float, along: float) -> tuple[float, float]:
    """A point on the face just inside the jaw's edge: `along` 0 is the jaw's angle below the
    ear, 1 the chin beside its middle."""
    top, bottom = outline.shape.jaw_y - 0.15, outline.bottom - 0.08
    y = top + (bottom - top) * float(np.clip(along, 0.0, 1.0))
    # Inset by more where the edge runs level under the chin, so the mark stays on the skin.
    inset = 0.07 + 0.05 * along
    return side * max(float(outline.half_width(y)) - inset, 0.05), y


def _darken(canvas: Canvas, box, alpha: np.ndarray, factor: tuple) -> None:
    # Pigment in the skin: multiply, so a mark in shadow stays in shadow.
    f = np.asarray(factor, np.float32)
    canvas.multiply(box, 1.0 - alpha[..., None] * (1.0 - f))


def _freckles(canvas: Canvas, frame: Frame, t: Traits, rng: np.random.Generator) -> None:
    box = frame.box(canvas, -1.0, -0.2, 1.0, 0.9)
    if box.empty:
        return
    count = int(60 + 340 * t.marks.freckles)
    # Freckles gather over the nose bridge and the tops of the cheeks.
    centre = rng.choice(3, count, p=[0.25, 0.375, 0.375])
    cx = (
        np.array([0.0, -0.48, 0.48])[centre]
        + rng.normal(0.0, 0.2, count) * np.array([0.6, 1.0, 1.0])[centre]
    )
    cy = np.array([0.42, 0.3, 0.3])[centre] + rng.normal(0.0, 0.13, count)
    size = rng.uniform(0.006, 0.016, count) * frame.u
    mask = np.zeros((box.height, box.width), np.uint8)
    points = frame.cv_points(box, cx, cy)
    strength = rng.integers(70, 200, count)
    for (px, py), r, s in zip(points, size, strength, strict=True):
        cv2.circle(
            mask, (int(px), int(py)), max(1, int(r * (1 << SHIFT))), int(s), -1, cv2.LINE_AA, SHIFT
        )
    alpha = soft(mask.astype(np.float32) / 255.0, 0.004 * frame.u) * 0.6
    _darken(canvas, box, alpha, (0.62, 0.45, 0.34))


def _dot(
    canvas: Canvas,
    frame: Frame,
    light: LightMap,
    x: float,
    y: float,
    r: float,
    pigment: np.ndarray,
) -> None:
    box = frame.box(canvas, x - 2 * r, y - 2 * r, x + 2 * r, y + 2 * r)
    if box.empty:
        return
    xs, ys = frame.units(box)
    d = np.sqrt((xs - x) ** 2 + (ys - y) ** 2) / r
    body = np.clip((1.0 - d) * r * frame.u + 0.5, 0.0, 1.0)
    canvas.paint(box, body * 0.9, pigment * light.over(box)[..., None])
    shine = np.exp(-(((xs - x + 0.3 * r) ** 2 + (ys - y + 0.3 * r) ** 2) / (0.3 * r) ** 2))
    canvas.add(box, shine * body * 0.03)


def _scar(canvas: Canvas, frame: Frame, x: float, y: float, angle: float, length: float) -> None:
    dx, dy = np.cos(angle) * length / 2, np.sin(angle) * length / 2
    box = frame.box(
        canvas, x - abs(dx) - 0.05, y - abs(dy) - 0.05, x + abs(dx) + 0.05, y + abs(dy) + 0.05
    )
    if box.empty:
        return
    xs, ys = frame.units(box)
    # Distance to the segment, tapered towards its ends.
    px, py = xs - (x - dx), ys - (y - dy)
    vx, vy = 2 * dx, 2 * dy
    t = np.clip((px * vx + py * vy) / (vx * vx + vy * vy), 0.0, 1.0)
    dist = np.sqrt((px - t * vx) ** 2 + (py - t * vy) ** 2)
    width = 0.012 * np.sqrt(np.clip(4 * t * (1 - t), 0.0, 1.0)) + 1e-3
    line = np.exp(-((dist / width) ** 2))
    edge = np.exp(-(((dist - width * 1.3) / (width * 0.8)) ** 2))
    canvas.multiply(box, 1.0 - 0.25 * edge)
    # Scar tissue: paler and pinker than the skin round it, in the same light.
    pale = np.array([0.25, 0.02, -0.02], np.float32)
    canvas.multiply(box, 1.0 + (line * 0.7)[..., None] * pale)


def _tattoo(
    canvas: Canvas,
    frame: Frame,
    t: Traits,
    outline: Outline,
    light: LightMap,
    tattoo: Tattoo,
    rng: np.random.Generator,
) -> None:
    side = tattoo.side
    places = {
        "neck": (0.3, 1.85, 0.13),
        "temple": (0.8, -0.28, 0.09),
        "cheek": (0.66, 0.36, 0.08),
        "jaw": (0.55, 1.28, 0.09),
        "ear": (float(outline.half_width(0.8)) - 0.08, 0.92, 0.08),
        "collarbone": (0.75, 2.3 + 0.08 * (1 - t.person.femininity), 0.13),
    }
    x, y, size = places.get(tattoo.place, places["neck"])
    x *= side
    lines = _motif(tattoo.motif, rng)
    box = frame.box(canvas, x - size, y - size, x + size, y + size)
    if box.empty:
        return
    mask = np.zeros((box.height, box.width), np.uint8)
    polys = [frame.cv_points(box, x + line[:, 0] * size, y + line[:, 1] * size) for line in lines]
    width = max(1, round(0.009 * frame.u))
    cv2.polylines(mask, polys, False, 255, width, cv2.LINE_AA, SHIFT)
    ink = INK * light.over(box)[..., None]
    canvas.paint(box, soft(mask / np.float32(255), 0.002 * frame.u) * 0.78, ink)


def _motif(motif: str, rng: np.random.Generator) -> list[np.ndarray]:
    """Line art in a unit box centred on 0, as polylines."""
    a = np.linspace(0, 2 * np.pi, 40)
    if motif == "star":
        k = np.arange(11) * np.pi / 5 - np.pi / 2
        r = np.where(np.arange(11) % 2 == 0, 0.9, 0.38)
        return [np.stack([r * np.cos(k), r * np.sin(k)], 1)]
    if motif == "heart":
        x = 16 * np.sin(a) ** 3 / 18
        y = -(13 * np.cos(a) - 5 * np.cos(2 * a) - 2 * np.cos(3 * a) - np.cos(4 * a)) / 18
        return [np.stack([x, y], 1)]
    if motif == "cross":
        return [np.array([[0, -0.9], [0, 0.9]]), np.array([[-0.5, -0.35], [0.5, -0.35]])]
    if motif == "moon":
        outer = np.linspace(-2.2, 2.2, 30)
        inner = outer[::-1]
        shape = np.concatenate(
            [
                np.stack([0.8 * np.cos(outer), 0.8 * np.sin(outer)], 1),
                np.stack([0.25 + 0.6 * np.cos(inner), 0.6 * np.sin(inner)], 1),
            ]
        )
        return [shape]
    if motif == "dots":
        return [np.array([[x - 0.02, 0.0], [x + 0.02, 0.0]]) for x in (-0.55, 0.0, 0.55)]
    if motif == "flower":
        petals = [
            np.stack([0.3 * np.cos(k) + 0.25 * np.cos(a), 0.3 * np.sin(k) + 0.25 * np.sin(a)], 1)
            for k in np.arange(5) * 2 * np.pi / 5
        ]
        return [*petals, np.array([[0.0, 0.5], [0.05, 1.0]])]
    if motif == "script":
        x = np.linspace(-0.95, 0.95, 60)
        y = 0.25 * np.sin(x * 14) * np.cos(x * 3) + 0.05 * np.sin(x * 31)
        return [np.stack([x, y], 1)]
    return [np.array([[-0.8, y], [0.8, y]]) for y in (-0.4, 0.0, 0.4)]
