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
        _chignon(canvas, frame, traits, *low_bun(traits, side), rng)
    elif kind == "ponytail":
        _tail(canvas, frame, traits, shape, side, rng)


def low_bun(traits: Traits, side: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """Centre and radii of a low bun at the nape. Seen from the front a nape bun hides behind
    the neck; it is drawn wider than the neck, so that it shows on both sides below the jaw
    and reads as a bun, sitting a little off-centre as pinned hair does."""
    s = traits.shape
    rx = max(s.neck + 0.36, 0.88)
    return (0.06 * side, s.jaw_y + 0.22), (rx, 0.3)


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


def _chignon(
    canvas: Canvas,
    frame: Frame,
    traits: Traits,
    centre: tuple[float, float],
    radii: tuple[float, float],
    rng: np.random.Generator,
) -> None:
    """A low bun: hair rolled sideways at the nape, so its strands run across it and its top
    catches the light while its underside turns into shadow."""
    cx, cy = centre
    rx, ry = radii
    box = frame.box(canvas, cx - rx - 0.05, cy - ry - 0.05, cx + rx + 0.05, cy + ry + 0.05)
    if box.empty:
        return
    xs, ys = frame.units(box)
    lx, ly = (xs - cx) / rx, (ys - cy) / ry
    r = np.sqrt(lx**2 + ly**2)
    mass = np.clip((1.0 - r) * min(rx, ry) * frame.u + 0.5, 0.0, 1.0)
    # Rounded like a roll: lit along its top, the key light's side a little brighter.
    across = np.sqrt(np.clip(1.0 - lx**2, 0.0, 1.0))
    height = ly / np.maximum(across, 0.2)
    tone = (0.22 + 0.68 * smoothstep(0.95, -0.7, height)) * (0.9 - 0.12 * lx)
    mask = np.zeros((box.height, box.width), np.uint8)
    count = 70
    level = rng.uniform(-0.95, 0.95, count)[:, None]
    start = rng.uniform(-1.0, 0.2, (count, 1))
    t = start + np.linspace(0.0, 1.0, 30)[None, :] * rng.uniform(0.6, 1.4, (count, 1))
    t = np.clip(t, -0.99, 0.99)
    px = cx + rx * t
    py = cy + ry * level * np.sqrt(1.0 - t**2) + 0.01 * np.sin(t * 9.0 + level * 7.0)
    width = max(1, round(frame.u / 120.0))
    cv2.polylines(mask, list(frame.cv_points(box, px, py)), False, 220, width, cv2.LINE_AA, SHIFT)
    strands = mask / np.float32(255)
    color = np.asarray(traits.hair.color, np.float32)
    shade = tone * (1.0 - 0.4 * strands) + 0.3 * strands * tone**2
    # The sheen along the roll's lit top: what shows its form when the hair is dark.
    sheen = np.exp(-(((height + 0.45) / 0.22) ** 2)) * (0.8 - 0.3 * lx) * (1.0 - 0.5 * strands)
    spec = 0.45 * color + 0.1 + 0.12 * np.sqrt(color)
    canvas.paint(box, mass, color * shade[..., None] + spec * (0.3 * sheen)[..., None])


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
