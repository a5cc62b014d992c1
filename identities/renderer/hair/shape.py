"""The hair's silhouette and the window it leaves for the face and neck.

Hair is painted after the face as one mass: its outer silhouette (cap over the skull, the fall
down the sides, the spread over the shoulders) minus a window bounded by the hairline or
fringe above and by the face's sides and the neck below.
"""

from __future__ import annotations

import numpy as np

from identities.renderer.canvas import smoothstep
from identities.renderer.geometry import Outline
from identities.renderer.traits.model import Hair, Traits

HEAD_Y = -0.35  # the skull's widest row, where the cap meets the fall
EAR_TOP, EAR_BOTTOM = -0.3, 0.74


class HairShape:
    def __init__(self, traits: Traits, outline: Outline, neck: float, rng: np.random.Generator):
        h: Hair = traits.hair
        self.hair = h
        self.outline = outline
        self.neck = neck
        self.full = h.cover >= 0.9
        self.skull = float(outline.half_width(HEAD_Y))
        vol = h.volume if self.full else 0.0
        self.rounded = self.full and h.curl > 0.75 and vol > 0.55 and h.kind == "strands"
        self.top = 0.05 + 0.5 * vol + 0.3 * h.swept if self.full else 0.004
        self.side = 0.035 + 0.42 * vol + 0.12 * h.curl * vol if self.full else 0.004
        if h.updo or h.sleek:
            self.top, self.side = min(self.top, 0.07), min(self.side, 0.05)
        if h.sides:
            self.side = min(self.side, 0.04)
        self.cap_top = outline.crown - self.top
        self.length = h.length if self.full and not h.updo else min(h.length, 0.1)
        if self.full and h.updo == "low bun":
            # Hair drawn back to the nape passes behind the ears on its way down to the bun.
            self.length = EAR_BOTTOM
        short = self.length < 0.35
        self.side_end = float(np.clip(self.length + 0.3, 0.0, 0.2)) if short else self.length
        self.bottom = self.side_end + 0.1 if short else self.length + 0.15
        part = 0.0 if h.part > 1.5 else h.part
        self.part = part
        # Hair swept away from the part piles up on the far side.
        self.bias = (1.0 + 0.35 * part, 1.0 - 0.35 * part) if self.full else (1.0, 1.0)
        masc = 1.0 - traits.person.femininity
        recede = masc * float(smoothstep(28.0, 70.0, traits.person.age)) * rng.uniform(0.0, 1.0)
        forehead = traits.shape.forehead + 0.4 * traits.shape.crown
        hairline = -1.24 + 0.05 * masc - 0.28 * recede - forehead
        # However high the forehead and low the skull, the hair still covers the crown.
        self.hairline = max(hairline, outline.crown + 0.42)
        self.temple = 0.42 + 0.18 * recede
        self.ears_show = short or bool(h.updo) or h.sleek > 0 or h.part > 1.5
        self.inset = 0.05 + 0.05 * h.curl if not self.ears_show else -0.3
        self.fringe_edge = rng.uniform(0.0, 6.28, 3)
        self.wave_phase = float(rng.uniform(0.0, 6.28))
        self.loose = self.full and not h.updo and not h.sleek and h.part <= 1.5 and not short
        # A short cut: hair ends round the ears, with sideburns in front of them.
        self.cropped = self.full and short and not h.updo

    # --- outer silhouette -------------------------------------------------------------
    def half_width(self, y: np.ndarray, side: float) -> np.ndarray:
        """Outer half-width of the hair on one side (side -1: image left, +1: image right)."""
        bias = self.bias[0] if side < 0 else self.bias[1]
        a = self.skull + self.side * bias
        if self.rounded:
            return self._rounded(y, a)
        t = np.clip((y - HEAD_Y) / (HEAD_Y - self.cap_top), -1.0, 0.0)
        cap = a * (1.0 - np.abs(t) ** 2.3) ** (1 / 2.3)
        below = y > HEAD_Y
        if self.length < 0.35:
            fade = 1.0 - smoothstep(HEAD_Y, self.side_end, y)
            fall = self.outline.half_width(y) + (a - self.skull) * fade + 0.01
        else:
            h = self.hair
            drape = -0.08 * smoothstep(HEAD_Y, 0.9, y) * (1.0 - h.curl)
            spread = smoothstep(1.2, 2.6, y) * (0.3 + 0.45 * h.curl)
            spread += h.curl * h.volume * 0.55 * smoothstep(HEAD_Y, self.length, y)
            fall = np.maximum(a + drape + spread, self.outline.half_width(y) + 0.04)
        w = np.where(below, fall, cap)
        return np.where((y < self.cap_top) | (y > self.bottom), 0.0, w).astype(np.float32)

    def _rounded(self, y: np.ndarray, a: float) -> np.ndarray:
        # An afro: one rounded mass round the head, widest a little above the ears.
        centre = HEAD_Y - 0.1
        below = max(self.length - centre, 0.6)
        above = centre - self.cap_top
        t = np.where(y < centre, (y - centre) / above, (y - centre) / below)
        width = (a + 0.35 * self.side) * (1.0 - np.clip(np.abs(t), 0, 1) ** 2.4) ** (1 / 2.4)
        return width.astype(np.float32)

    def end(self, x: np.ndarray) -> np.ndarray:
        """Where the hair ends at each x (layered hair is shorter at the sides)."""
        if self.length < 0.35:
            return np.full_like(x, self.side_end + 0.06)
        taper = (1.0 - self.hair.blunt) * 0.45 * np.clip(np.abs(x) / 1.6, 0.0, 1.0) ** 2
        wobble = 0.03 * np.sin(x * 9.0 + self.fringe_edge[0]) * (1.0 - self.hair.blunt)
        return (self.length - taper + wobble).astype(np.float32)

    def outer_signed(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        w = np.where(x < 0, self.half_width(y, -1.0), self.half_width(y, 1.0))
        sides = w - np.abs(x)
        return np.minimum(np.minimum(sides, self.end(x) - y), y - self.cap_top).astype(np.float32)

    # --- the window: face and neck left uncovered -------------------------------------------
    def hairline_y(self, x: np.ndarray) -> np.ndarray:
        """The upper edge of the window: hairline, or the fringe where there is one."""
        ax = np.abs(x)
        line = self.hairline + (self.temple + 0.1) * (ax / 0.95) ** 2.2
        if self.loose:
            # Loose hair falls from the part and frames the forehead in an oval.
            cx, ax = self._oval()
            t = np.clip(np.abs(x - cx) / ax, 0.0, 1.0)
            arch = -0.3 - (-0.3 - self.hairline - 0.04) * np.sqrt(1.0 - t**2)
            # Beyond the oval's sides the window's side edge takes over.
            line = np.maximum(line, np.where(np.abs(x - cx) < ax, arch, -0.3))
        fringe = self._fringe(x)
        return np.maximum(line, fringe).astype(np.float32)

    def _fringe(self, x: np.ndarray) -> np.ndarray:
        kind = self.hair.fringe if self.full else ""
        ax = np.abs(x)
        jag = 0.01 * np.sin(x * 23.0 + self.fringe_edge[1]) + 0.006 * np.sin(x * 41.0)
        if kind in ("full", "wispy"):
            y = -0.6 - 0.06 * (ax / 0.8) ** 2 + jag - 0.05 * (kind == "wispy")
            return np.where(ax < 0.95, y, -9.0)
        if kind == "curtain":
            sweep = np.clip(ax / 0.8, 0.0, 1.0) ** 1.5
            return np.where(ax < 0.95, -1.02 + 0.45 * sweep + jag * 0.5, -9.0)
        if kind == "side":
            side = 1.0 if self.part <= 0 else -1.0
            return np.where(ax < 0.95, -1.15 + 0.55 * smoothstep(-0.6, 0.7, side * x) + jag, -9.0)
        return np.full_like(x, -9.0)

    def window_half_width(self, y: np.ndarray) -> np.ndarray:
        face = self.outline.half_width(y)
        # Just inside the jaw and neck: a sliver of wall between hair and skin would show.
        low = np.maximum(face, self.neck) - 0.012
        if self.cropped:
            sideburn = smoothstep(self.side_end + 0.05, self.side_end - 0.05, y)
            w = face - 0.03 - 0.07 * sideburn * smoothstep(-0.75, -0.6, y)
        elif self.ears_show:
            # Ears are painted over the hair afterwards; the hair behind them stays.
            w = face - 0.03
        else:
            # Loose hair covers the temples and ears, less and less towards the jaw.
            inset = self.inset * (1.0 - smoothstep(0.3, 1.0, y))
            w = np.where(y < -0.4, face - 0.04, face - inset)
        w = np.where(y > 0.9, np.maximum(np.minimum(w, low + 0.012), low), w)
        return w.astype(np.float32)

    def _oval(self) -> tuple[float, float]:
        """Centre and half-width of the oval that loose hair frames the forehead with."""
        return self.part * 0.3, 0.78 + 0.06 * (1 - abs(self.part))

    def window_signed(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        half = self.window_half_width(y)
        if self.loose:
            # Below the oval's sides the hair keeps falling past the temples and only then
            # opens out to the cheeks: a level step at the temple would read as a notch.
            cx, ax = self._oval()
            reach = ax + np.sign(x) * cx
            half = np.minimum(half, reach + (half - reach) * smoothstep(-0.32, 0.45, y))
        return np.minimum(y - self.hairline_y(x), half - np.abs(x))

    def wave_offset(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Phase of the waves at each point, shared by strands and their highlights."""
        wavelength = 1.0 - 0.6 * self.hair.curl
        return 2 * np.pi * y / wavelength + 1.6 * np.sin(x * 1.7 + self.wave_phase)

    @property
    def reach(self) -> float:
        ys = np.linspace(self.cap_top, self.bottom, 64, dtype=np.float32)
        return float(max(self.half_width(ys, -1.0).max(), self.half_width(ys, 1.0).max())) + 0.1
