"""Locs, braids and cornrows: hair gathered into ropes, each shaded as a cylinder."""

from __future__ import annotations

import cv2
import numpy as np

from identities.renderer.canvas import Box, Canvas
from identities.renderer.geometry import SHIFT, Frame
from identities.renderer.hair.shape import HEAD_Y, HairShape
from identities.renderer.hair.strands import flow
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
    paths = _rope_paths(shape, rng, 70 if braided else 48)
    body, lit, marks = _draw_ropes(frame, box, paths, width, braided, rng)
    shade = tone * (0.45 + 0.55 * body + 0.45 * lit) * (1.0 - 0.45 * marks)
    color = base * shade[..., None] + (0.04 + 0.3 * base) * (sheen * lit)[..., None]
    canvas.paint(box, mass * np.clip(body * 1.2, 0.0, 1.0), color)


def _rope_paths(shape: HairShape, rng: np.random.Generator, count: int) -> np.ndarray:
    points = 48
    a = shape.skull + shape.side
    x = rng.uniform(-0.85, 0.85, count).astype(np.float32) * a
    y = (shape.cap_top + 0.06 + rng.uniform(0.0, 0.5, count) * (1 - np.abs(x) / a)).astype(
        np.float32
    )
    total = np.maximum(shape.length - y, 0.4) * rng.uniform(0.85, 1.05, count)
    step = (total / (points - 1)).astype(np.float32)
    path = np.empty((count, points, 2), np.float32)
    pos = np.stack([x, y], 1)
    for k in range(points):
        path[:, k] = pos
        dx, dy = flow(shape, pos[:, 0], pos[:, 1])
        pos = pos + np.stack([dx, dy], 1) * step[:, None]
    # Ropes hang with a gentle sway, not ruler-straight.
    sway = 0.03 * np.sin(np.linspace(0, 3, points)[None, :] + rng.uniform(0, 6.3, (count, 1)))
    path[..., 0] += sway * (path[..., 1] > HEAD_Y)
    return path


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
