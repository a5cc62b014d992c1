"""Locs, braids and cornrows: hair gathered into ropes, each shaded as a cylinder."""

from __future__ import annotations

import cv2
import numpy as np

from identities.renderer.canvas import Box, Canvas
from identities.renderer.geometry import SHIFT, Frame
from identities.renderer.hair.shape import HEAD_Y, HairShape
from identities.renderer.traits.model import Traits


def paint_ropes(
    canvas: Canvas,
    frame: Frame,
    box: Box,
    traits: Traits,
    shape: HairShape,
    mass: np.ndarray,
    base: np.ndarray,
    tone: np.ndarray,
    sheen: np.ndarray,
    spec: np.ndarray,
    rng: np.random.Generator,
) -> None:
    kind = traits.hair.kind
    if kind == "cornrows":
        _paint_cornrows(canvas, frame, box, shape, mass, base, tone, rng)
        if shape.length < 0.6:
            return
    # The gaps between ropes read as shadow.
    canvas.paint(box, mass, base * (tone * 0.4)[..., None])
    braided = kind != "locs"
    width = (0.045 if braided else 0.065) * frame.u
    paths = _rope_paths(shape, rng, 90 if braided else 60)
    body, lit, marks = _draw_ropes(frame, box, paths, width, braided, rng)
    shade = tone * (0.5 + 0.5 * body + 0.5 * lit) * (1.0 - 0.5 * marks)
    # Each rope is a glossy cylinder: its lit flank shines even on black hair.
    glint = (0.25 * lit + 0.1 * sheen * body) * tone * (1.0 - 0.5 * marks)
    color = base * shade[..., None] + spec * glint[..., None]
    canvas.paint(box, mass * np.clip(body * 1.2, 0.0, 1.0), color)


def _rope_paths(shape: HairShape, rng: np.random.Generator, count: int) -> np.ndarray:
    """Ropes fanning from the part over the skull, then hanging to their ends."""
    per_side = count // 2
    part_x = shape.part * 0.35
    inner, outer = shape.skull * 0.12, shape.skull + shape.side
    paths = []
    for side in (-1.0, 1.0):
        u = np.clip(np.linspace(0.0, 1.0, per_side) + rng.normal(0.0, 0.02, per_side), 0, 1)
        mid_x = side * (inner + u * (outer - inner))
        start = np.stack(
            [
                part_x + side * (0.02 + 0.14 * u) + rng.normal(0.0, 0.01, per_side),
                np.full(per_side, shape.cap_top + 0.05),
            ],
            1,
        )
        ctrl = np.stack([mid_x * 0.95, shape.cap_top + 0.1 + 0.35 * u], 1)
        mid = np.stack([mid_x, np.full(per_side, HEAD_Y + 0.1)], 1)
        t = np.linspace(0.0, 1.0, 16)[None, :, None]
        cap = (1 - t) ** 2 * start[:, None] + 2 * (1 - t) * t * ctrl[:, None] + t**2 * mid[:, None]
        end_y = shape.length - rng.uniform(0.0, 0.3, per_side)
        f = np.linspace(0.0, 1.0, 33)[None, 1:]
        spread = side * (0.05 + 0.55 * u[:, None]) * f**1.5
        sway = 0.025 * np.sin(f * 5.0 + rng.uniform(0, 6.3, (per_side, 1)))
        fall_x = mid_x[:, None] + spread + sway
        fall_y = HEAD_Y + 0.1 + (end_y[:, None] - HEAD_Y - 0.1) * f
        paths.append(np.concatenate([cap, np.stack([fall_x, fall_y], -1)], axis=1))
    return np.concatenate(paths).astype(np.float32)


def _draw_ropes(
    frame: Frame,
    box: Box,
    paths: np.ndarray,
    width: float,
    braided: bool,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    shape = (box.height, box.width)
    body = np.zeros(shape, np.uint8)
    lit = np.zeros(shape, np.uint8)
    marks = np.zeros(shape, np.uint8)
    pts = frame.cv_points(box, paths[..., 0], paths[..., 1])
    cv2.polylines(body, list(pts), False, 255, max(2, round(width)), cv2.LINE_AA, SHIFT)
    offset = np.array([-0.25 * width, -0.1 * width]) * (1 << SHIFT)
    highlight = (pts + offset.astype(np.int32)).astype(np.int32)
    cv2.polylines(lit, list(highlight), False, 255, max(1, round(width * 0.3)), cv2.LINE_AA, SHIFT)
    # Texture across each rope: the crossings of a braid, the knots of a loc.
    d = np.diff(paths, axis=1)
    tangent = d / (np.linalg.norm(d, axis=-1, keepdims=True) + 1e-6)
    normal = np.stack([-tangent[..., 1], tangent[..., 0]], -1)
    half = width / frame.u * 0.5
    lean = 0.6 if braided else rng.uniform(-0.4, 0.4)
    every = 2 if braided else 3
    centres = paths[:, :-1:every]
    n = normal[:, ::every]
    t = tangent[:, ::every]
    sign = (
        np.where(np.arange(centres.shape[1]) % 2 == 0, 1.0, -1.0)[None, :, None] if braided else 1.0
    )
    start = centres - n * half + t * half * lean * sign
    end = centres + n * half - t * half * lean * sign
    seg = np.stack([start, end], axis=2).reshape(-1, 2, 2)
    seg_pts = frame.cv_points(box, seg[..., 0], seg[..., 1])
    cv2.polylines(marks, list(seg_pts), False, 255, max(1, round(width * 0.12)), cv2.LINE_AA, SHIFT)
    return body / np.float32(255), lit / np.float32(255), marks / np.float32(255)


def _paint_cornrows(
    canvas: Canvas,
    frame: Frame,
    box: Box,
    shape: HairShape,
    mass: np.ndarray,
    base: np.ndarray,
    tone: np.ndarray,
    rng: np.random.Generator,
) -> None:
    # Rows run from the hairline back over the crown; scalp shows between them.
    fx, fy = frame.units(box)
    cap = mass * (fy < HEAD_Y + 0.1)
    canvas.paint(box, cap * 0.55, base * (tone * 0.5)[..., None])
    rows = 9
    xs = np.linspace(-0.85, 0.85, rows) * shape.skull
    points = 30
    t = np.linspace(0.0, 1.0, points)[None, :]
    start_y = shape.hairline_y(xs)[:, None]
    path_x = xs[:, None] * (1.0 - 0.55 * t)
    path_y = start_y + (shape.cap_top + 0.02 - start_y) * t
    paths = np.stack([path_x, path_y], -1).astype(np.float32)
    width = 0.1 * frame.u
    body, lit, marks = _draw_ropes(frame, box, paths, width, True, rng)
    shade = tone * (0.5 + 0.5 * body + 0.4 * lit) * (1.0 - 0.4 * marks)
    canvas.paint(box, cap * body, base * shade[..., None])
