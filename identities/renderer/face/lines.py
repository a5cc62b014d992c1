"""Lines the face makes: age (forehead, crow's feet, folds), expression (laugh lines, a
frown between the brows) and dimples. Each is a soft crease: a dark line with its lit lip."""

from __future__ import annotations

import cv2
import numpy as np

from identities.renderer.canvas import Canvas, smoothstep, soft
from identities.renderer.geometry import SHIFT, Frame
from identities.renderer.traits.model import Traits


def paint_lines(canvas: Canvas, frame: Frame, traits: Traits) -> None:
    t = traits
    age = float(smoothstep(26.0, 75.0, t.person.age)) + 0.5 * t.marks.lines
    x = t.expression
    smile = max(x.smile, 0.0)
    box = frame.box(canvas, -1.05, -1.1, 1.05, 1.6)
    if box.empty:
        return
    creases: list[tuple[np.ndarray, float]] = []
    forehead = 0.55 * age + 0.3 * x.brow_raise
    for k, y in enumerate((-0.86, -0.74, -0.63)):
        xs = np.linspace(-0.5 + 0.06 * k, 0.5 - 0.06 * k, 12)
        creases.append((np.stack([xs, y - 0.04 * np.cos(xs * 2.0)], 1), forehead * (1 - 0.2 * k)))
    e = t.eyes
    feet = 0.7 * age + 0.35 * smile * float(smoothstep(22.0, 40.0, t.person.age))
    for side in (-1.0, 1.0):
        corner = side * (e.spacing + e.size + 0.04)
        for k, lift in enumerate((-0.08, 0.0, 0.09)):
            pts = np.array([[corner, lift * 0.5], [corner + side * 0.13, lift * 1.6]])
            creases.append((pts, feet * (0.8 if k != 1 else 1.0)))
    fold = 0.08 + 0.55 * age + 0.45 * smile
    for side in (-1.0, 1.0):
        f = np.linspace(0.0, 1.0, 10)
        n, m = t.nose, t.mouth
        px = side * (
            (n.width + 0.08) * (1 - f) + (m.width + 0.08 + 0.05 * smile) * f + 0.03 * np.sin(f * 3)
        )
        py = (n.length + 0.02) * (1 - f) + (m.y + 0.08 - 0.05 * smile) * f
        creases.append((np.stack([px, py], 1), fold))
        if age > 0.45:
            mx = side * (m.width + 0.02)
            creases.append((np.array([[mx, m.y + 0.05], [mx * 1.1, m.y + 0.3]]), age - 0.4))
    frown = 0.6 * x.frown + 0.3 * age
    for side in (-1.0, 1.0):
        creases.append((np.array([[side * 0.06, -0.45], [side * 0.08, -0.3]]), frown))
    _crease(canvas, frame, box, creases)
    if x.dimples and smile > 0.3:
        _dimples(canvas, frame, t)


def _crease(canvas: Canvas, frame: Frame, box, creases: list[tuple[np.ndarray, float]]) -> None:
    shadow = np.zeros((box.height, box.width), np.uint8)
    light = np.zeros((box.height, box.width), np.uint8)
    width = max(1, round(0.012 * frame.u))
    for pts, strength in creases:
        level = int(np.clip(strength, 0.0, 1.0) * 255)
        if level < 8:
            continue
        cv2.polylines(
            shadow,
            [frame.cv_points(box, pts[:, 0], pts[:, 1])],
            False,
            level,
            width,
            cv2.LINE_AA,
            SHIFT,
        )
        lit = pts + np.array([0.0, 0.018])
        cv2.polylines(
            light,
            [frame.cv_points(box, lit[:, 0], lit[:, 1])],
            False,
            level,
            width,
            cv2.LINE_AA,
            SHIFT,
        )
    dark = soft(shadow / np.float32(255), 0.008 * frame.u)
    bright = soft(light / np.float32(255), 0.01 * frame.u)
    canvas.multiply(box, (1.0 - 0.32 * dark) * (1.0 + 0.1 * bright))


def _dimples(canvas: Canvas, frame: Frame, t: Traits) -> None:
    m = t.mouth
    for side in (-1.0, 1.0):
        cx, cy = side * (m.width + 0.13), m.y + 0.0
        box = frame.box(canvas, cx - 0.08, cy - 0.1, cx + 0.08, cy + 0.1)
        if box.empty:
            continue
        xs, ys = frame.units(box)
        d = np.exp(-(((xs - cx) / 0.02) ** 2 + ((ys - cy) / 0.05) ** 2))
        canvas.multiply(box, 1.0 - 0.3 * d * min(1.0, t.expression.smile))
