"""Gathered hair seen from the front: a top knot above the crown, a bun behind it, a low bun or
a ponytail showing beside the neck."""

from __future__ import annotations

import cv2
import numpy as np

from identities.renderer.canvas import Canvas, smoothstep
from identities.renderer.geometry import SHIFT, Frame
from identities.renderer.hair.shape import HairShape
from identities.renderer.traits.model import Traits


def paint_updo_behind(
    canvas: Canvas, frame: Frame, traits: Traits, shape: HairShape, rng: np.random.Generator
) -> None:
    """The parts the head hides: painted before the body and head."""
    kind = traits.hair.updo
    side = 1.0 if rng.random() < 0.5 else -1.0
    if kind == "bun":
        _blob(canvas, frame, traits, (0.12 * side, shape.cap_top + 0.02), (0.34, 0.26), rng)
    elif kind == "low bun":
        _blob(canvas, frame, traits, (0.5 * side, 1.25), (0.32, 0.3), rng)
    elif kind == "ponytail":
        _tail(canvas, frame, traits, shape, side, rng)


def paint_updo_front(
    canvas: Canvas, frame: Frame, traits: Traits, shape: HairShape, rng: np.random.Generator
) -> None:
    """A top knot sits on the crown, in front of everything."""
    if traits.hair.updo == "top knot":
        _blob(canvas, frame, traits, (0.0, shape.cap_top - 0.2), (0.3, 0.24), rng)


def _blob(
    canvas: Canvas,
    frame: Frame,
    traits: Traits,
    centre: tuple[float, float],
    radii: tuple[float, float],
    rng: np.random.Generator,
) -> None:
    cx, cy = centre
    rx, ry = radii
    box = frame.box(canvas, cx - rx - 0.05, cy - ry - 0.05, cx + rx + 0.05, cy + ry + 0.05)
    if box.empty:
        return
    xs, ys = frame.units(box)
    r = np.sqrt(((xs - cx) / rx) ** 2 + ((ys - cy) / ry) ** 2)
    mass = np.clip((1.0 - r) * min(rx, ry) * frame.u + 0.5, 0.0, 1.0)
    # A ball lit from the upper left, darkest where it tucks under.
    lx, ly = (xs - cx) / rx, (ys - cy) / ry
    tone = 0.15 + 0.75 * np.clip(1.0 - ((lx + 0.4) ** 2 + (ly + 0.45) ** 2) * 0.5, 0.0, 1.0)
    # Hair wound round the bun: concentric strands.
    mask = np.zeros((box.height, box.width), np.uint8)
    count = 90
    radius = rng.uniform(0.15, 0.98, count)
    start = rng.uniform(0, 2 * np.pi, count)
    sweep = np.linspace(0.0, 1.0, 24)[None, :] * rng.uniform(1.0, 2.5, (count, 1))
    angle = start[:, None] + sweep
    px = cx + radius[:, None] * rx * np.cos(angle)
    py = cy + radius[:, None] * ry * np.sin(angle) * (1 + 0.05 * np.sin(angle * 3))
    width = max(1, round(frame.u / 140.0))
    cv2.polylines(mask, list(frame.cv_points(box, px, py)), False, 200, width, cv2.LINE_AA, SHIFT)
    strands = mask / np.float32(255)
    color = np.asarray(traits.hair.color, np.float32)
    shade = tone * (1.0 - 0.35 * strands) + 0.25 * strands * tone
    canvas.paint(
        box, mass, color * shade[..., None] + 0.04 * (tone > 0.7)[..., None] * strands[..., None]
    )


def _tail(
    canvas: Canvas,
    frame: Frame,
    traits: Traits,
    shape: HairShape,
    side: float,
    rng: np.random.Generator,
) -> None:
    top, bottom = 0.4, min(shape.hair.length, 2.6) + 0.2
    box = frame.box(canvas, side * 0.5 - 0.5, top, side * 0.5 + 0.6, bottom)
    if box.empty:
        return
    xs, ys = frame.units(box)
    f = np.clip((ys - top) / (bottom - top), 0.0, 1.0)
    centre = side * (0.62 + 0.25 * f)
    half = 0.1 + 0.1 * np.sin(np.pi * np.clip(f * 0.9 + 0.1, 0, 1))
    mass = np.clip((half - np.abs(xs - centre)) * frame.u + 0.5, 0.0, 1.0)
    mass = mass * smoothstep(bottom, bottom - 0.25, ys)
    tone = 0.3 + 0.4 * smoothstep(half, -half, (xs - centre) * side)
    color = np.asarray(traits.hair.color, np.float32)
    canvas.paint(box, mass, color * tone[..., None])
