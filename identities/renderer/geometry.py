"""Where things are: the framing (face units to pixels) and the head's outline.

Face units: x to the image's right, y down, origin between the eyes, 1 unit = half the
face's width at the cheekbones. Proportions follow the painter's canon: eyes halfway down
the head, five eye-widths across it, the nose base and mouth dividing the lower face in thirds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.interpolate import PchipInterpolator

from identities.renderer.canvas import Box, Canvas
from identities.renderer.traits.model import Shape

CROWN_Y = -1.75
# Shading (smooth light and colour fields) is computed at most at this many pixels per unit
# and scaled up: it has no detail finer than that, and 4K would otherwise cost seconds.
SHADE_PX_PER_UNIT = 110.0
# Sub-pixel bits for OpenCV's anti-aliased drawing.
SHIFT = 4


@dataclass(frozen=True)
class Frame:
    width: int
    height: int
    u: float  # pixels per face unit
    cx: float  # eye-line centre, pixels
    cy: float

    @classmethod
    def for_canvas(cls, width: int, height: int) -> Frame:
        aspect = width / height
        # Narrow frames shrink the head a little so the face still has air around it.
        u = 0.13 * height * min(1.0, aspect / 0.72) ** 0.5
        cy = height * (0.44 - 0.06 * max(0.0, 1.0 - aspect))
        return cls(width, height, u, width / 2.0, cy)

    def px(self, x: float, y: float) -> tuple[float, float]:
        return self.cx + x * self.u, self.cy + y * self.u

    def box(self, canvas: Canvas, x0: float, y0: float, x1: float, y1: float) -> Box:
        (px0, py0), (px1, py1) = self.px(x0, y0), self.px(x1, y1)
        return canvas.box(px0, py0, px1, py1)

    def units(self, box: Box, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """Face-unit coordinates of the box's pixel centres, (1, w) and (h, 1); `scale` < 1
        samples a coarser grid covering the same box."""
        # Full resolution matches the box exactly; a coarse grid keeps two samples for gradients.
        least = 1 if scale >= 1.0 else 2
        w = box.width if scale >= 1.0 else max(least, round(box.width * scale))
        h = box.height if scale >= 1.0 else max(least, round(box.height * scale))
        xs = box.x0 + (np.arange(w, dtype=np.float32) + 0.5) * (box.width / w)
        ys = box.y0 + (np.arange(h, dtype=np.float32) + 0.5) * (box.height / h)
        return ((xs - self.cx) / self.u)[None, :], ((ys - self.cy) / self.u)[:, None]

    def cv_points(self, box: Box, x: np.ndarray, y: np.ndarray, shift: int = SHIFT) -> np.ndarray:
        """Face-unit points as OpenCV's fixed-point pixel coordinates inside `box`."""
        scale = float(1 << shift)
        px = (self.cx + np.asarray(x) * self.u - box.x0 - 0.5) * scale
        py = (self.cy + np.asarray(y) * self.u - box.y0 - 0.5) * scale
        return np.stack([px, py], axis=-1).round().astype(np.int32)

    @property
    def shade_scale(self) -> float:
        return min(1.0, SHADE_PX_PER_UNIT / self.u)


class Outline:
    """The head's front silhouette as a half-width per height, from crown to chin.

    Above the temples the skull is an ellipse; from the cheekbones down, the jaw and chin are
    one superellipse arc whose exponents come from the face shape: a high `p` keeps the face
    wide until low down (a square jaw), a low `q` brings it to a point (a narrow chin).
    """

    STEP = 0.004
    CHEEK_Y = 0.22

    def __init__(self, shape: Shape, soften: float = 0.08):
        self.shape = shape
        # The top of the skull: a taller or lower head over the same face.
        self.crown = CROWN_Y - shape.crown
        skull = 0.97 * shape.cheek
        self.chin_cap = 0.15 + 0.2 * shape.chin
        self.bottom = shape.chin_y + self.chin_cap
        ys = np.arange(self.crown, self.bottom + self.STEP, self.STEP)
        width = np.zeros_like(ys)
        top = ys < -0.35
        cap = (ys[top] + 0.35) / (self.crown + 0.35)
        width[top] = skull * np.sqrt(np.clip(1 - cap**2, 0, 1))
        upper = PchipInterpolator([-0.35, -0.1, self.CHEEK_Y], [skull, shape.temple, shape.cheek])
        mid = (ys >= -0.35) & (ys <= self.CHEEK_Y)
        width[mid] = upper(ys[mid])
        low = ys > self.CHEEK_Y
        width[low] = self._jaw(ys[low], shape, soften)
        self._ys = ys.astype(np.float32)
        self._w = width.astype(np.float32)
        self._slope = np.gradient(width, self.STEP).astype(np.float32)
        # The relief uses a smoothed silhouette: a kink in the outline (where the skull's
        # ellipse meets the temples) would otherwise show as a crease in the shading.
        reach = 110
        kernel = np.exp(-0.5 * (np.arange(-reach, reach + 1) * self.STEP / 0.12) ** 2)
        padded = np.pad(width, reach, mode="edge")
        smooth = np.convolve(padded, kernel / kernel.sum(), "same")[reach:-reach]
        self._smooth = np.minimum(smooth, width + 0.02).astype(np.float32)
        # Inverse of the lower arc (height for a given half-width), for the chin's level edge.
        arc = low & (ys > self.CHEEK_Y + 0.05)
        self._arc_w = self._w[arc][::-1]
        self._arc_y = self._ys[arc][::-1]
        self._arc_dy = np.gradient(self._arc_y, self._arc_w + np.arange(arc.sum()) * 1e-7)

    def _jaw(self, ys: np.ndarray, shape: Shape, soften: float) -> np.ndarray:
        t = np.clip((ys - self.CHEEK_Y) / (self.bottom - self.CHEEK_Y), 0.0, 1.0)
        p = 1.45 + 1.6 * float(np.clip((shape.jaw - 0.68) / 0.32, 0.0, 1.0))
        q = 1.3 + 0.9 * float(np.clip((shape.chin - 0.16) / 0.42, 0.0, 1.0))
        # Softer faces round the jaw's angle off: a lower p, a rounder curve.
        p = max(1.4, p - 1.5 * soften)
        fullness = 1.0 + 0.05 * shape.fullness * np.sin(np.pi * np.clip(t * 1.3, 0.0, 1.0))
        return shape.cheek * fullness * (1.0 - t**p) ** (1.0 / q)

    def half_width(self, y: np.ndarray | float) -> np.ndarray:
        return np.interp(y, self._ys, self._w, left=0.0, right=0.0).astype(np.float32)

    def smooth_half_width(self, y: np.ndarray | float) -> np.ndarray:
        return np.interp(y, self._ys, self._smooth, left=0.0, right=0.0).astype(np.float32)

    def signed(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Approximate signed distance to the silhouette in units (positive inside)."""
        w = self.half_width(y)
        slope = np.interp(y, self._ys, self._slope, left=0.0, right=0.0).astype(np.float32)
        across = (w - np.abs(x)) / np.sqrt(1.0 + slope**2)
        # Round the chin the edge runs nearly level: measure it vertically there, or the
        # anti-aliasing smears over several rows.
        ax = np.abs(x)
        edge_y = np.interp(ax, self._arc_w, self._arc_y).astype(np.float32)
        edge_dy = np.interp(ax, self._arc_w, self._arc_dy).astype(np.float32)
        down = (edge_y - y) / np.sqrt(1.0 + edge_dy**2)
        level = (y > self.CHEEK_Y + 0.05) & (np.abs(slope) > 1.0) & (ax < self._arc_w[-1])
        inside = np.where(level, down, across)
        beyond = np.maximum(self.crown - y, y - self.bottom - 0.01)
        return np.where(beyond > 0, np.minimum(inside, -beyond), inside).astype(np.float32)
