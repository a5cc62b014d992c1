"""Hair as brush strokes: strands traced along a flow field, then waved or coiled.

The flow combs the hair away from the part over the skull and lets it fall below the ears;
fringes fall forward, sleek styles are drawn back to the crown, an afro grows outwards.
Strokes are seeded all over the silhouette, so coverage does not depend on the cut.
"""

from __future__ import annotations

import cv2
import numpy as np

from identities.renderer.canvas import Box
from identities.renderer.geometry import SHIFT, Frame
from identities.renderer.hair.shape import HEAD_Y, HairShape


def flow(shape: HairShape, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit direction the hair runs at each point (face units, y down)."""
    h = shape.hair
    if shape.rounded:
        dx, dy = x, y - (HEAD_Y - 0.1)
        return _unit(dx, dy)
    if shape.cropped and not h.sleek:
        # Short hair grows out from the crown: up and forward on top, down at the sides.
        dx, dy = x * 1.2, y - (HEAD_Y + 0.2)
        return _unit(dx + 0.25 * shape.part, dy)
    side = np.where(x >= shape.part * 0.45, 1.0, -1.0)
    a = shape.skull + shape.side
    b = HEAD_Y - shape.cap_top
    theta = np.arctan2(np.abs(x) / a, np.maximum(HEAD_Y - y, 1e-3) / b)
    cap_x, cap_y = side * a * np.cos(theta), b * np.sin(theta)
    if h.updo or h.sleek or h.part > 1.5:
        # Combed back: from the hairline up and over towards the crown.
        cap_x, cap_y = -x * 0.5, -np.ones_like(y)
    spread = 0.08 + 0.35 * h.curl * h.volume
    fall_x, fall_y = np.sign(x) * spread, np.ones_like(y)
    blend = np.clip((y - HEAD_Y) / 0.25 + 0.5, 0.0, 1.0)
    fx = cap_x * (1 - blend) + fall_x * blend
    fy = cap_y * (1 - blend) + fall_y * blend
    if h.fringe and shape.full:
        line = shape.hairline_y(x)
        fringe = (y > line - 0.45) & (y < line + 0.05) & (np.abs(x) < 0.9) & (line > -1.0)
        lean = 0.25 * np.sign(x - shape.part * 0.45) if h.fringe != "full" else 0.05 * x
        fx = np.where(fringe, lean, fx)
        fy = np.where(fringe, 1.0, fy)
    return _unit(fx, fy)


def _unit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = np.sqrt(x * x + y * y) + 1e-6
    return x / n, y / n


def trace(
    shape: HairShape, rng: np.random.Generator, count: int, length: float, points: int
) -> np.ndarray:
    """(count, points, 2) strand centre lines in face units."""
    seeds = _seeds(shape, rng, count)
    count = len(seeds)
    path = np.empty((count, points, 2), np.float32)
    path[:, 0] = seeds
    step = (length * rng.uniform(0.6, 1.2, count) / (points - 1)).astype(np.float32)
    pos = seeds.copy()
    for k in range(1, points):
        dx, dy = flow(shape, pos[:, 0], pos[:, 1])
        pos[:, 0] += dx * step
        pos[:, 1] += dy * step
        path[:, k] = pos
    return path


def _seeds(shape: HairShape, rng: np.random.Generator, count: int) -> np.ndarray:
    reach = shape.reach
    found = np.empty((0, 2), np.float32)
    # Rejection sampling inside the silhouette; a few rounds always suffice.
    for _ in range(12):
        n = count * 4
        x = rng.uniform(-reach, reach, n).astype(np.float32)
        y = rng.uniform(shape.cap_top - 0.05, shape.bottom, n).astype(np.float32)
        inside = shape.outer_signed(x, y) > -0.02
        found = np.concatenate([found, np.stack([x[inside], y[inside]], 1)])
        if len(found) >= count:
            break
    return found[:count]


def wave(paths: np.ndarray, shape: HairShape, curl: float, rng: np.random.Generator) -> np.ndarray:
    """Waves for wavy hair, loops (a coil seen from the side) for curly and coily hair."""
    if curl < 0.12:
        return paths
    d = np.diff(paths, axis=1, prepend=paths[:, :1])
    d[:, 0] = d[:, 1]
    seg = np.sqrt((d**2).sum(-1)) + 1e-6
    tx, ty = d[..., 0] / seg, d[..., 1] / seg
    nx, ny = -ty, tx
    s = np.cumsum(seg, axis=1)
    phase = rng.uniform(0, 2 * np.pi, (paths.shape[0], 1))
    if curl < 0.5:
        # Waves are shared by neighbouring strands: the phase follows position, not the strand.
        amp = (0.012 + 0.1 * curl) * np.clip((paths[..., 1] - HEAD_Y + 0.2) / 0.5, 0.0, 1.0)
        off = amp * np.sin(shape.wave_offset(paths[..., 0], paths[..., 1]))
        return np.stack([paths[..., 0] + nx * off, paths[..., 1] + ny * off], -1)
    radius = np.interp(curl, [0.5, 0.8, 1.0], [0.05, 0.028, 0.016])
    pitch = radius * 2.6
    angle = 2 * np.pi * s / pitch + phase
    along = radius * np.cos(angle)
    across = radius * np.sin(angle)
    x = paths[..., 0] + tx * along + nx * across
    y = paths[..., 1] + ty * along + ny * across
    return np.stack([x, y], -1)


def draw(
    frame: Frame, box: Box, paths: np.ndarray, width_px: int, levels: tuple[int, ...]
) -> np.ndarray:
    """Strands on a float mask (0..1), split into groups of different strength."""
    mask = np.zeros((box.height, box.width), np.uint8)
    points = frame.cv_points(box, paths[..., 0], paths[..., 1], shift=SHIFT)
    groups = np.array_split(np.arange(len(points)), len(levels))
    for level, group in zip(levels, groups, strict=True):
        if len(group):
            cv2.polylines(mask, list(points[group]), False, level, width_px, cv2.LINE_AA, SHIFT)
    return mask.astype(np.float32) / 255.0
