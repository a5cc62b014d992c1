"""Studio light on a height field: the one lighting model skin, hair and cloth share.

Surfaces are described as height (towards the camera) over face units; normals come from its
gradient. A soft key from the upper left, a weak fill from the right and wrapped diffuse
(light bleeding past the terminator, as it does through skin) give the painted-portrait look.
"""

from __future__ import annotations

import numpy as np

from identities.renderer.canvas import Box, soft


def _unit(v: tuple[float, float, float]) -> np.ndarray:
    a = np.asarray(v, dtype=np.float32)
    return a / np.linalg.norm(a)


KEY = _unit((-0.52, -0.45, 0.72))
FILL = _unit((0.75, -0.05, 0.66))
HALF = _unit(tuple(KEY + np.array([0.0, 0.0, 1.0], dtype=np.float32)))


class Field:
    """A scalar field over a grid of face units, with cheap local Gaussian bumps."""

    def __init__(self, xs: np.ndarray, ys: np.ndarray, base: np.ndarray | None = None):
        self.xs = xs.ravel().astype(np.float32)
        self.ys = ys.ravel().astype(np.float32)
        shape = (self.ys.size, self.xs.size)
        self.v = np.zeros(shape, np.float32) if base is None else base.astype(np.float32)
        self.step = float(self.xs[1] - self.xs[0]) if self.xs.size > 1 else 1.0

    def _window(self, cx: float, cy: float, rx: float, ry: float) -> tuple[slice, slice]:
        x0, x1 = np.searchsorted(self.xs, [cx - rx, cx + rx])
        y0, y1 = np.searchsorted(self.ys, [cy - ry, cy + ry])
        return slice(int(y0), int(y1)), slice(int(x0), int(x1))

    def bump(
        self, cx: float, cy: float, sx: float, sy: float, amp: float, angle: float = 0.0
    ) -> None:
        """Add amp·exp(-½((dx/sx)²+(dy/sy)²)) in a ±4σ window, optionally rotated."""
        if amp == 0.0 or sx <= 0 or sy <= 0:
            return
        # 4σ: a window cut at 3σ leaves a faint step that the light picks out as a line.
        reach = 4.0 * max(sx, sy)
        rows, cols = self._window(cx, cy, reach, reach)
        if rows.start >= rows.stop or cols.start >= cols.stop:
            return
        dx = self.xs[cols][None, :] - cx
        dy = self.ys[rows][:, None] - cy
        if angle:
            c, s = np.cos(angle), np.sin(angle)
            dx, dy = dx * c + dy * s, -dx * s + dy * c
        self.v[rows, cols] += amp * np.exp(-0.5 * ((dx / sx) ** 2 + (dy / sy) ** 2))

    def mirrored(self, x: float, *args: float, angle: float = 0.0) -> None:
        """The same bump on both sides of the face (x and -x)."""
        self.bump(x, *args, angle=angle)
        self.bump(-x, *args, angle=-angle)


class Light:
    """Diffuse, fill, specular and cavity terms for one height field."""

    def __init__(self, height: np.ndarray, step: float, wrap: float = 0.18):
        gy, gx = np.gradient(height, step)
        inv = 1.0 / np.sqrt(gx * gx + gy * gy + 1.0)
        nx, ny, nz = -gx * inv, -gy * inv, inv
        self.normal_z = nz
        ndl = nx * KEY[0] + ny * KEY[1] + nz * KEY[2]
        self.key = np.clip((ndl + wrap) / (1.0 + wrap), 0.0, 1.0)
        self.fill = np.clip(nx * FILL[0] + ny * FILL[1] + nz * FILL[2], 0.0, 1.0)
        self.half = np.clip(nx * HALF[0] + ny * HALF[1] + nz * HALF[2], 0.0, 1.0)
        self._height = height
        self._step = step

    def specular(self, power: float) -> np.ndarray:
        return self.half**power

    def cavity(self, radius_units: float) -> np.ndarray:
        """How far each point sits below its surroundings (0 on open surfaces)."""
        blurred = soft(self._height, radius_units / self._step)
        return np.clip(blurred - self._height, 0.0, None)


def intensity(light: Light, shadow: np.ndarray | None = None, ambient: float = 0.13) -> np.ndarray:
    """The grey part of `skin_light`: how bright the light leaves a surface, for features
    (lips, brows, marks) painted over skin that must sit in the same light."""
    key = light.key if shadow is None else light.key * (1.0 - shadow)
    return (1.08 * key + 0.1 * light.fill + ambient).astype(np.float32)


class LightMap:
    """The face's light per pixel, kept after the skin is painted so that every feature laid
    on the face later is lit (and shaded) the same way."""

    def __init__(self, box: Box, values: np.ndarray):
        self.box = box
        self.values = values

    def over(self, box: Box) -> np.ndarray:
        """The light for `box`; beyond the face it continues the nearest edge."""
        height, width = self.values.shape
        rows = np.clip(np.arange(box.y0, box.y1) - self.box.y0, 0, height - 1)
        cols = np.clip(np.arange(box.x0, box.x1) - self.box.x0, 0, width - 1)
        return self.values[np.ix_(rows, cols)]


def skin_light(
    albedo: np.ndarray, light: Light, *, shadow: np.ndarray | None = None, ambient: float = 0.13
) -> np.ndarray:
    """Lit skin colour: albedo under key + fill + ambient, with a warm terminator."""
    key = light.key if shadow is None else light.key * (1.0 - shadow)
    direct = intensity(light, shadow, 0.0)[..., None]
    # The studio's ambient light is a little cooler than the key: shadows turn cool, as
    # painters mix them.
    ambient_rgb = ambient * np.array([0.92, 0.97, 1.08], np.float32)
    # Light scattered under the skin comes back redder where light turns to shadow.
    scatter = (4.0 * key * (1.0 - key))[..., None] * np.array([0.16, 0.035, 0.0], np.float32)
    return albedo * (direct + ambient_rgb + scatter)
