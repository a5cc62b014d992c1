"""Colour measurement on photo regions: CIELAB, robust medians, and nearest named colour.

Measurements are made in CIELAB (D65) because its distances follow perceived differences, which
is what "the hair is lighter than the skin" or "these eyes are green" means. Regions are sampled
as pixel lists; every statistic drops the extremes first, because a cheek patch also holds a
freckle, a highlight and a shadow line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np


def to_lab(rgb_pixels: np.ndarray) -> np.ndarray:
    """N x 3 uint8 sRGB → N x 3 float CIELAB (L 0–100)."""
    pixels = np.asarray(rgb_pixels, dtype=np.float32).reshape(-1, 1, 3) / 255.0
    return cv2.cvtColor(pixels, cv2.COLOR_RGB2Lab).reshape(-1, 3)


def robust_lab(lab: np.ndarray, *, low: float = 20, high: float = 80) -> np.ndarray | None:
    """Median Lab of the pixels whose lightness lies between two percentiles."""
    if len(lab) < 8:
        return None
    lo, hi = np.percentile(lab[:, 0], [low, high])
    kept = lab[(lab[:, 0] >= lo) & (lab[:, 0] <= hi)]
    return np.median(kept if len(kept) >= 4 else lab, axis=0)


def delta_e(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)))


def chroma(lab: np.ndarray) -> float:
    return float(math.hypot(lab[1], lab[2]))


def hue(lab: np.ndarray) -> float:
    """Hue angle in degrees, 0 = red (+a), 90 = yellow (+b)."""
    return float(math.degrees(math.atan2(lab[2], lab[1])) % 360)


def ita(lab: np.ndarray) -> float:
    """The Individual Typology Angle, dermatology's skin-tone measure: atan((L − 50) / b)."""
    return float(math.degrees(math.atan2(lab[0] - 50.0, max(lab[2], 1e-3))))


def disc_pixels(rgb: np.ndarray, centre: np.ndarray, radius: float) -> np.ndarray:
    height, width = rgb.shape[:2]
    r = max(1, int(round(radius)))
    cx, cy = int(round(centre[0])), int(round(centre[1]))
    x0, x1 = max(0, cx - r), min(width, cx + r + 1)
    y0, y1 = max(0, cy - r), min(height, cy + r + 1)
    if x0 >= x1 or y0 >= y1:
        return np.empty((0, 3), dtype=np.uint8)
    ys, xs = np.mgrid[y0:y1, x0:x1]
    inside = (xs - centre[0]) ** 2 + (ys - centre[1]) ** 2 <= radius**2
    return rgb[y0:y1, x0:x1][inside]


def polygon_mask(shape: tuple[int, int], polygon: np.ndarray) -> np.ndarray:
    mask = np.zeros(shape, dtype=np.uint8)
    cv2.fillPoly(mask, [np.round(polygon).astype(np.int32)], 1)
    return mask.astype(bool)


def polygon_pixels(rgb: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    height, width = rgb.shape[:2]
    x0, y0 = np.floor(polygon.min(axis=0)).astype(int)
    x1, y1 = np.ceil(polygon.max(axis=0)).astype(int) + 1
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(width, x1), min(height, y1)
    if x0 >= x1 or y0 >= y1:
        return np.empty((0, 3), dtype=np.uint8)
    mask = polygon_mask((y1 - y0, x1 - x0), polygon - [x0, y0])
    return rgb[y0:y1, x0:x1][mask]


@dataclass(frozen=True)
class Named:
    """The nearest named colour and how clearly it won (0 = a tie with the runner-up)."""

    name: str
    distance: float
    margin: float


def nearest(
    lab: np.ndarray, references: dict[str, tuple[float, float, float]], *, weights=(1.0, 1.0, 1.0)
) -> Named:
    w = np.asarray(weights, dtype=float)
    scored = sorted(
        (float(np.linalg.norm((np.asarray(ref) - lab) * w)), name)
        for name, ref in references.items()
    )
    best, runner = scored[0], scored[1] if len(scored) > 1 else (scored[0][0] * 2 + 1, "")
    return Named(name=best[1], distance=best[0], margin=runner[0] - best[0])
