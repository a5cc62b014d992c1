"""Facial hair: stubble as a stipple over the beard zone, beards and moustaches as masses of
short strokes that grow down and out along the jaw."""

from __future__ import annotations

import cv2
import numpy as np

from identities.renderer.canvas import Canvas, coverage, smoothstep, soft, value_noise
from identities.renderer.face.mouth import Lips
from identities.renderer.face.skin import beard_zone
from identities.renderer.geometry import SHIFT, Frame, Outline
from identities.renderer.shading import LightMap
from identities.renderer.traits.model import Traits


def paint_facial_hair(
    canvas: Canvas,
    frame: Frame,
    traits: Traits,
    outline: Outline,
    light: LightMap,
    rng: np.random.Generator,
) -> None:
    fh = traits.facial_hair
    if max(fh.stubble, fh.beard, fh.moustache, fh.goatee) < 0.08:
        return
    reach = traits.shape.cheek + 0.12 + 0.5 * fh.beard_length
    bottom = outline.bottom + fh.beard_length + 0.08
    box = frame.box(canvas, -reach, 0.0, reach, bottom)
    if box.empty:
        return
    xs, ys = frame.units(box)
    zone = beard_zone(xs, ys, traits) * _off_lips(traits, xs, ys)
    face = coverage(outline.signed(xs, ys) * frame.u)
    lit = light.over(box)
    color = np.asarray(fh.color, np.float32)
    if fh.stubble > 0.08:
        dots = smoothstep(0.3, 1.1, value_noise(rng, zone.shape, max(1.0, 0.007 * frame.u)))
        alpha = zone * face * fh.stubble * (0.25 + 0.55 * dots)
        canvas.paint(box, np.clip(alpha, 0.0, 0.85), color * (1.1 * lit)[..., None])
    mass = _mass(traits, outline, xs, ys, zone)
    if mass.max() < 0.05:
        return
    mass = soft(mass, 0.006 * frame.u)
    strokes = _strokes(frame, box, traits, outline, mass, rng)
    depth = smoothstep(0.0, 0.5, soft(mass, 0.04 * frame.u))
    tone = lit * (0.55 + 0.45 * depth) * (1.0 - 0.4 * strokes[0] + 0.5 * strokes[1])
    canvas.paint(box, mass * (0.9 + 0.1 * strokes[0]), color * tone[..., None])


def _off_lips(traits: Traits, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    lips = Lips(traits)
    top = lips.upper_top(xs) - 0.012
    bottom = lips.lower_bottom(xs) + 0.015
    inside = (ys > top) & (ys < bottom) & (np.abs(xs) < lips.width + 0.02)
    return 1.0 - inside.astype(np.float32)


def _mass(
    t: Traits, outline: Outline, xs: np.ndarray, ys: np.ndarray, zone: np.ndarray
) -> np.ndarray:
    fh = t.facial_hair
    lips = Lips(t)
    # The beard's outer edge: the face outline scaled up round the mouth by its length.
    grow = 1.0 + 0.6 * fh.beard_length
    pivot = 0.55
    outer = outline.signed(xs / grow, pivot + (ys - pivot) / grow) * grow
    beard = smoothstep(-0.01, 0.02, outer) * zone * fh.beard
    # A moustache: thick under the nose, tapering and drooping to the mouth corners.
    across = np.clip(np.abs(xs) / (lips.width + 0.1), 0.0, 1.0)
    top = t.nose.length + 0.09 + 0.12 * across**2
    bottom = lips.upper_top(xs) + 0.02 + 0.08 * across**2
    stache = smoothstep(top - 0.01, top + 0.03, ys) * smoothstep(bottom + 0.01, bottom - 0.03, ys)
    stache *= 1.0 - across**6
    # A goatee: a rounded patch from under the lower lip round the chin.
    chin_w = 0.22 + 0.1 * fh.goatee
    top = lips.y + lips.lower * 0.8
    bottom = outline.bottom + fh.beard_length
    cy, ry = (top + bottom) / 2, (bottom - top) / 2
    r = np.sqrt((xs / chin_w) ** 2 + ((ys - cy) / ry) ** 4)
    goatee = smoothstep(1.05, 0.85, r) * _off_lips(t, xs, ys)
    return np.clip(
        np.maximum(np.maximum(beard, stache * fh.moustache), goatee * fh.goatee), 0.0, 1.0
    ).astype(np.float32)


def _strokes(
    frame: Frame, box, t: Traits, outline: Outline, mass: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    fh = t.facial_hair
    h, w = mass.shape
    count = int(300 + 1400 * min(1.0, float(mass.mean()) * 4.0))
    ys_px = rng.integers(0, h, count * 3)
    xs_px = rng.integers(0, w, count * 3)
    keep = mass[ys_px, xs_px] > 0.3
    ys_px, xs_px = ys_px[keep][:count], xs_px[keep][:count]
    x = (box.x0 + xs_px + 0.5 - frame.cx) / frame.u
    y = (box.y0 + ys_px + 0.5 - frame.cy) / frame.u
    # Hair grows down, fanning out along the jaw; moustache hairs fan from the philtrum.
    angle = np.pi / 2 - 0.6 * np.tanh(x * 1.6) + rng.normal(0.0, 0.25, len(x))
    length = (0.03 + 0.05 * min(1.0, fh.beard_length * 3 + 0.3)) * rng.uniform(0.6, 1.2, len(x))
    steps = np.linspace(0.0, 1.0, 4)[None, :]
    curl = 0.4 * rng.normal(0.0, 1.0, (len(x), 1)) * steps
    px = x[:, None] + np.cos(angle[:, None] + curl) * length[:, None] * steps
    py = y[:, None] + np.sin(angle[:, None] + curl) * length[:, None] * steps
    points = frame.cv_points(box, px, py)
    width = max(1, round(frame.u / 150.0))
    half = len(points) // 2
    dark = np.zeros((h, w), np.uint8)
    light = np.zeros((h, w), np.uint8)
    cv2.polylines(dark, list(points[:half]), False, 200, width, cv2.LINE_AA, SHIFT)
    cv2.polylines(light, list(points[half:]), False, 160, width, cv2.LINE_AA, SHIFT)
    return dark / np.float32(255), light / np.float32(255)
