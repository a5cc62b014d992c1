"""The picture being painted: a linear-light float canvas and the few ways to lay paint on it.

Everything is drawn into boxes (the pixel rectangle a feature covers), so an eye costs the
eye's pixels, not the whole frame's; that is most of why a 1K portrait takes well under a
quarter of a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

# Linear light to 8-bit sRGB: OpenCV scales to 12-bit integers with saturation (negative to 0,
# overflow to the top) and a 64k-entry table does the transfer curve. A power function over
# the whole frame would cost more than the rest of the finishing together.
_LEVELS = 4095.0
_SRGB_LUT = np.clip(
    np.where(
        (t := np.minimum(np.arange(65536) / _LEVELS, 1.0)) <= 0.0031308,
        t * 12.92,
        1.055 * np.power(t, 1 / 2.4) - 0.055,
    )
    * 255.0
    + 0.5,
    0,
    255,
).astype(np.uint8)


@dataclass(frozen=True)
class Box:
    """A pixel rectangle, end-exclusive, already clipped to the canvas."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def empty(self) -> bool:
        return self.x1 <= self.x0 or self.y1 <= self.y0

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def slices(self) -> tuple[slice, slice]:
        return slice(self.y0, self.y1), slice(self.x0, self.x1)


class Canvas:
    def __init__(self, width: int, height: int):
        self.width = width
        self.height = height
        self.rgb = np.zeros((height, width, 3), dtype=np.float32)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> Box:
        return Box(
            max(0, int(np.floor(x0))),
            max(0, int(np.floor(y0))),
            min(self.width, int(np.ceil(x1))),
            min(self.height, int(np.ceil(y1))),
        )

    def pixel_grid(self, box: Box) -> tuple[np.ndarray, np.ndarray]:
        """Pixel-centre coordinates as broadcastable (1, w) and (h, 1) arrays."""
        xs = np.arange(box.x0, box.x1, dtype=np.float32)[None, :] + 0.5
        ys = np.arange(box.y0, box.y1, dtype=np.float32)[:, None] + 0.5
        return xs, ys

    def paint(self, box: Box, alpha: np.ndarray, color: np.ndarray | tuple) -> None:
        """Lay `color` (one colour or a per-pixel image) over the box with coverage `alpha`."""
        if box.empty:
            return
        rows, cols = _used(alpha)
        if rows.start >= rows.stop:
            return
        region = self.rgb[box.slices][rows, cols]
        color = np.asarray(color, dtype=np.float32)
        if color.ndim == 3:
            color = color[rows, cols]
        a = np.clip(alpha[rows, cols], 0.0, 1.0, dtype=np.float32)[..., None]
        delta = color - region
        delta *= a
        region += delta

    def multiply(self, box: Box, factor: np.ndarray) -> None:
        if box.empty:
            return
        factor = np.asarray(factor, dtype=np.float32)
        if factor.ndim != 2:
            self.rgb[box.slices] *= factor
            return
        rows, cols = _used(np.abs(1.0 - factor))
        if rows.start < rows.stop:
            self.rgb[box.slices][rows, cols] *= factor[rows, cols][..., None]

    def add(
        self, box: Box, amount: np.ndarray, color: tuple | np.ndarray = (1.0, 1.0, 1.0)
    ) -> None:
        if box.empty:
            return
        self.rgb[box.slices] += amount.astype(np.float32)[..., None] * np.asarray(
            color, dtype=np.float32
        )

    def image(self) -> Image.Image:
        index = cv2.multiply(self.rgb, (_LEVELS, _LEVELS, _LEVELS, 0.0), dtype=cv2.CV_16U)
        return Image.fromarray(np.take(_SRGB_LUT, index), "RGB")


def _used(alpha: np.ndarray) -> tuple[slice, slice]:
    """The rows and columns where `alpha` is non-zero: most masks fill a part of their box."""
    rows = np.flatnonzero(alpha.max(axis=1) > 0.002)
    cols = np.flatnonzero(alpha.max(axis=0) > 0.002)
    if not len(rows) or not len(cols):
        return slice(0, 0), slice(0, 0)
    return slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1)


def soft(mask: np.ndarray, sigma_px: float) -> np.ndarray:
    """Gaussian-blurred copy; a no-op for a tiny sigma."""
    if sigma_px < 0.3:
        return mask
    return cv2.GaussianBlur(mask, (0, 0), sigma_px, borderType=cv2.BORDER_REPLICATE)


def coverage(signed_px: np.ndarray) -> np.ndarray:
    """Anti-aliased coverage from a signed distance in pixels (positive inside)."""
    return np.clip(signed_px + 0.5, 0.0, 1.0)


def value_noise(rng: np.random.Generator, shape: tuple[int, int], cell_px: float) -> np.ndarray:
    """Smooth noise in about -1..1 with features `cell_px` pixels across."""
    h, w = shape
    gh = max(2, int(h / max(cell_px, 1.0)) + 3)
    gw = max(2, int(w / max(cell_px, 1.0)) + 3)
    coarse = rng.standard_normal((gh, gw)).astype(np.float32)
    return cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC) * 0.8


def smoothstep(edge0: float, edge1: float, x: np.ndarray | float) -> np.ndarray:
    t = np.clip((np.asarray(x, dtype=np.float32) - edge0) / (edge1 - edge0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)
