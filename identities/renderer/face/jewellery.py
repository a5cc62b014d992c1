"""Piercings: studs and rings in the nose, septum, brow, lip and ears, painted last so they
sit on top of hair that falls over the ears."""

from __future__ import annotations

import numpy as np

from identities.renderer.canvas import Canvas
from identities.renderer.face.brows import BrowCurve
from identities.renderer.face.mouth import Lips
from identities.renderer.geometry import Frame, Outline
from identities.renderer.palette import lin
from identities.renderer.traits.model import Traits

# Polished metal seen in the studio light (sRGB of the lit face of the metal).
METALS = {
    "silver": lin((0.8, 0.8, 0.83)),
    "gold": lin((0.86, 0.66, 0.28)),
    "rose gold": lin((0.86, 0.58, 0.5)),
    "black": lin((0.14, 0.14, 0.15)),
}


def paint_jewellery(
    canvas: Canvas, frame: Frame, traits: Traits, outline: Outline, rng: np.random.Generator
) -> None:
    pierced = traits.marks.piercings
    if not pierced:
        return
    side = traits.marks.piercing_side
    metals = dict(traits.marks.metals)

    def metal_of(piercing: str) -> np.ndarray:
        # Studs drawn for a piercing the brief did not name wear the metal of one it did.
        name = metals.get(piercing) or next(iter(metals.values()), "silver")
        return METALS.get(name, METALS["silver"])

    n = traits.nose
    tip_y = n.length - 0.03 * n.upturn
    if "nose_stud" in pierced:
        _stud(canvas, frame, side * n.width * 0.78, tip_y + 0.02, 0.017, metal_of("nose_stud"))
    if "nose_ring" in pierced:
        ring = metal_of("nose_ring")
        _ring(canvas, frame, side * n.width * 0.74, tip_y + 0.085, 0.05, 0.2, 2.6, ring)
    if "septum" in pierced:
        _ring(canvas, frame, 0.0, tip_y + 0.1, 0.045, 0.15, np.pi - 0.15, metal_of("septum"))
    if "brow" in pierced:
        curve = BrowCurve(traits)
        x = curve.inner + 0.78 * (curve.outer - curve.inner)
        y = float(curve.y(np.array([x]))[0])
        _stud(canvas, frame, side * x, y - 0.07, 0.014, metal_of("brow"))
        _stud(canvas, frame, side * x, y + 0.07, 0.014, metal_of("brow"))
    if "lip" in pierced:
        lips = Lips(traits)
        x = side * lips.width * 0.45
        y = float(lips.lower_bottom(np.array([x]))[0])
        _ring(canvas, frame, x, y - 0.005, 0.035, -0.6, np.pi + 0.6, metal_of("lip"))
    ears = {"ear_studs", "ear_hoops", "ear_multi"} & pierced
    if ears:
        for s in (-1.0, 1.0):
            lobe_x = s * (float(outline.half_width(0.66)) + 0.07)
            if "ear_hoops" in pierced:
                hoop = metal_of("ear_hoops")
                _ring(canvas, frame, lobe_x, 0.76, 0.08, -0.3, np.pi + 0.3, hoop)
            else:
                _stud(canvas, frame, lobe_x, 0.66, 0.02, metal_of("ear_studs"))
            if "ear_multi" in pierced:
                for k, y in enumerate((-0.2, -0.1, 0.55)):
                    x = s * (float(outline.half_width(max(y, 0.0))) + 0.14 - 0.02 * k)
                    _stud(canvas, frame, x, y, 0.012, metal_of("ear_multi"))


def _stud(canvas: Canvas, frame: Frame, x: float, y: float, r: float, metal) -> None:
    r = max(r, 1.2 / frame.u)
    box = frame.box(canvas, x - 2 * r, y - 2 * r, x + 2 * r, y + 2 * r)
    if box.empty:
        return
    xs, ys = frame.units(box)
    d = np.sqrt((xs - x) ** 2 + (ys - y) ** 2)
    body = np.clip((r - d) * frame.u + 0.5, 0.0, 1.0)
    # A small sphere lit from the upper left: bright point, dark rim.
    lx, ly = (xs - x) / r, (ys - y) / r
    shade = 0.35 + 0.65 * np.clip(1.0 - ((lx + 0.35) ** 2 + (ly + 0.35) ** 2), 0.0, 1.0)
    canvas.paint(box, body, np.asarray(metal) * shade[..., None])
    canvas.add(box, np.exp(-(((lx + 0.35) ** 2 + (ly + 0.4) ** 2) / 0.06)) * body * 0.6)
    shadow = np.exp(-(((xs - x - 0.4 * r) ** 2 + (ys - y - 0.6 * r) ** 2) / r**2))
    canvas.multiply(box, 1.0 - 0.35 * shadow * (1.0 - body))


def _ring(
    canvas: Canvas,
    frame: Frame,
    x: float,
    y: float,
    r: float,
    start: float,
    end: float,
    metal,
) -> None:
    """An arc of a hoop from angle `start` to `end` (0 = right, counter-clockwise is down)."""
    thick = max(0.008, 1.6 / frame.u)
    box = frame.box(
        canvas, x - r - 2 * thick, y - r - 2 * thick, x + r + 2 * thick, y + r + 2 * thick
    )
    if box.empty:
        return
    xs, ys = frame.units(box)
    d = np.sqrt((xs - x) ** 2 + (ys - y) ** 2)
    angle = np.arctan2(ys - y, xs - x)
    on_arc = (angle >= start) & (angle <= end) if start < end else (angle >= start) | (angle <= end)
    band = np.clip((thick - np.abs(d - r)) * frame.u + 0.5, 0.0, 1.0) * on_arc
    across = (d - r) / thick
    shade = 0.45 + 0.55 * np.clip(1.0 - (across + 0.3) ** 2, 0.0, 1.0)
    lit = 0.7 + 0.3 * np.cos(angle + 2.3)
    canvas.paint(box, band, np.asarray(metal) * (shade * lit)[..., None])
