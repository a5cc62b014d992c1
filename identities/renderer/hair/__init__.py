"""Hair: a shaded mass for volume, strands for texture, highlights along the strands."""

from __future__ import annotations

import cv2
import numpy as np

from identities.renderer.canvas import Box, Canvas, smoothstep, soft, value_noise
from identities.renderer.geometry import Frame
from identities.renderer.hair.ropes import paint_ropes
from identities.renderer.hair.shape import HEAD_Y, HairShape
from identities.renderer.hair.strands import draw, trace, wave
from identities.renderer.palette import lin
from identities.renderer.shading import Light
from identities.renderer.traits.model import Traits

GREY = lin((0.78, 0.78, 0.77))
__all__ = ["HairShape", "paint_hair"]


def paint_hair(
    canvas: Canvas, frame: Frame, traits: Traits, shape: HairShape, rng: np.random.Generator
) -> None:
    h = traits.hair
    if h.cover <= 0.01:
        return
    bottom = min(shape.bottom, (canvas.height - frame.cy) / frame.u + 0.05)
    box = frame.box(canvas, -shape.reach, shape.cap_top - 0.05, shape.reach, bottom)
    if box.empty:
        return
    fx, fy = frame.units(box)
    mass = _mass(shape, fx, fy, frame, rng)
    _cast_shadow(canvas, box, mass, frame)
    if not shape.full:
        _paint_short_scalp(canvas, frame, box, traits, mass, fx, fy, rng)
        return
    tone, sheen = _shade(shape, frame, box, rng)
    base = _base_color(traits, shape, fx, fy, rng)
    if h.kind != "strands":
        spec = _spec_color(traits)
        paint_ropes(canvas, frame, box, traits, shape, mass, base, tone, sheen, spec, rng)
        return
    dark, light = _strands(shape, frame, box, traits, rng)
    if h.sides:
        keep = _top_zone(shape, fx, fy)
        dark, light = dark * keep, light * keep
        mass = mass * (keep + (1 - keep) * 0.75)
    spec = _spec_color(traits)
    # Light hair shows its strands by colour more than by shadow: less contrast.
    contrast = 0.5 - 0.22 * float(np.clip(np.mean(h.color) * 2.5, 0.0, 1.0))
    color = base * (tone * (1.0 - contrast * dark + 1.1 * contrast * light))[..., None]
    color += spec * (sheen * (0.35 + 1.1 * light) + 0.12 * light * tone)[..., None]
    if h.grey > 0:
        color += (GREY * tone[..., None] - color) * (light * min(1.0, h.grey * 1.3))[..., None]
    canvas.paint(box, mass, color)


def _mass(
    shape: HairShape, fx: np.ndarray, fy: np.ndarray, frame: Frame, rng: np.random.Generator
) -> np.ndarray:
    outer = shape.outer_signed(fx, fy)
    curl = shape.hair.curl
    loose = shape.hair.kind == "strands"
    if (curl > 0.3 or shape.cropped) and shape.full and loose:
        # Curls and short cuts make a broken, tufted edge rather than a clean line.
        noise = value_noise(rng, outer.shape, max(2.0, 0.04 * frame.u))
        outer = outer + noise * (0.035 * curl + 0.02 * shape.cropped)
    soft_edge = (0.004 + 0.012 * curl) * frame.u
    cover = np.clip(outer * frame.u / soft_edge + 0.5, 0.0, 1.0)
    window = np.clip(shape.window_signed(fx, fy) * frame.u / (0.008 * frame.u) + 0.5, 0.0, 1.0)
    return (cover * (1.0 - window)).astype(np.float32)


def _cast_shadow(canvas: Canvas, box: Box, mass: np.ndarray, frame: Frame) -> None:
    # Hair shades the skin just beneath it: the forehead under a fringe, the neck's sides.
    shift = np.float32([[1, 0, 0.02 * frame.u], [0, 1, 0.05 * frame.u]])
    moved = cv2.warpAffine(mass, shift, (mass.shape[1], mass.shape[0]))
    shadow = soft(moved, 0.05 * frame.u) * (1.0 - mass)
    canvas.multiply(box, 1.0 - 0.5 * shadow)


def _sheen(shape: HairShape, x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Where light glints off the strands: a halo round the crown, then along the lengths
    (on every wave crest for wavy hair, in streaks for straight)."""
    a = shape.skull + shape.side
    b = HEAD_Y - shape.cap_top
    r = np.sqrt((x / a) ** 2 + (np.minimum(y - HEAD_Y, 0.0) / b) ** 2)
    angle = np.arctan2(x, HEAD_Y - y)
    halo = np.exp(-(((r - 0.74) / 0.11) ** 2)) * (0.55 + 0.45 * np.cos(angle + 0.55))
    halo = halo * smoothstep(HEAD_Y + 0.3, HEAD_Y, y)
    h = shape.hair
    streaks = value_noise(rng, (max(2, y.shape[0] // 12), x.shape[1]), 2.0)
    streaks = cv2.resize(streaks, (x.shape[1], y.shape[0]), interpolation=cv2.INTER_LINEAR)
    fall = 0.35 * np.clip(streaks + 0.3, 0.0, 1.0)
    if 0.12 < h.curl < 0.5:
        # The lit flank of each wave: a quarter turn before its crest.
        crest = np.cos(shape.wave_offset(x, y))
        fall = 0.3 * fall + 0.45 * np.clip(crest, 0.0, 1.0) ** 2 * np.clip(streaks + 0.8, 0.0, 1.0)
    elif h.curl >= 0.5:
        fall = 0.3 * np.clip(streaks + 0.5, 0.0, 1.0)
    fall = fall * smoothstep(HEAD_Y - 0.3, HEAD_Y + 0.1, y)
    return np.maximum(halo * (1.0 - 0.5 * h.curl), fall).astype(np.float32)


def _shade(
    shape: HairShape, frame: Frame, box: Box, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Volume (a pillowed height from the silhouette) and an anisotropic sheen."""
    lx, ly = frame.units(box, frame.shade_scale * 0.7)
    step = float(lx.ravel()[1] - lx.ravel()[0])
    inside = (shape.outer_signed(lx, ly) > 0) & (shape.window_signed(lx, ly) < 0)
    dist = cv2.distanceTransform(inside.astype(np.uint8), cv2.DIST_L2, 5) * step
    depth = 0.25 + 0.6 * shape.side
    height = depth * np.sqrt(np.clip(dist / depth, 0.0, 1.0)) + _skull_form(shape, lx, ly)
    height = soft(height.astype(np.float32), 0.03 / step)
    light = Light(height, step, wrap=0.5)
    sheen = _sheen(shape, lx, ly, rng) * light.key
    tone = 0.1 + 0.62 * light.key + 0.08 * light.fill
    size = (box.width, box.height)
    return (
        cv2.resize(tone.astype(np.float32), size, interpolation=cv2.INTER_LINEAR),
        cv2.resize(sheen.astype(np.float32), size, interpolation=cv2.INTER_LINEAR),
    )


def _skull_form(shape: HairShape, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    # The head under the hair: rounds the cap as a whole, not just its edges.
    a = shape.skull + shape.side
    b = HEAD_Y - shape.cap_top + 0.6
    r = (x / (a + 0.2)) ** 2 + ((y - HEAD_Y - 0.2) / b) ** 2
    return (0.6 * np.sqrt(np.clip(1.0 - r, 0.0, 1.0))).astype(np.float32)


def _base_color(
    traits: Traits, shape: HairShape, fx: np.ndarray, fy: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    h = traits.hair
    color = np.asarray(h.color, np.float32)
    out = np.broadcast_to(color, (fy.shape[0], fx.shape[1], 3)).copy()
    tip = np.asarray(h.tip_color, np.float32)
    if not np.allclose(tip, color):
        span = max(shape.length - HEAD_Y, 0.5)
        t = smoothstep(0.3, 0.85, (fy - HEAD_Y) / span)
        out += (tip - color) * np.broadcast_to(t, out.shape[:2])[..., None]
    if h.streaks > 0:
        stripes = value_noise(rng, (fy.shape[0] // 8 + 2, fx.shape[1]), 3.0)
        stripes = cv2.resize(stripes, (fx.shape[1], fy.shape[0]), interpolation=cv2.INTER_LINEAR)
        light = lin((0.9, 0.78, 0.56))
        streak = smoothstep(0.1, 0.6, stripes) * h.streaks * smoothstep(-0.9, 0.5, fy)
        out += (light - out) * streak[..., None]
    if h.grey > 0:
        out += (GREY * 0.8 - out) * (0.55 * h.grey)
    return out


def _spec_color(traits: Traits) -> np.ndarray:
    color = np.asarray(traits.hair.color, np.float32)
    # Dark hair shines nearly white; light hair shines in its own colour.
    return (0.45 * color + 0.1 + 0.12 * np.sqrt(color)).astype(np.float32)


def _strands(
    shape: HairShape, frame: Frame, box: Box, traits: Traits, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    h = traits.hair
    area = 2.0 * shape.reach * (shape.bottom - shape.cap_top)
    curly = h.curl >= 0.5
    length = 0.35 if curly else 0.55 + 0.2 * (1 - h.messy)
    if shape.cropped:
        length = 0.22
    points = 40 if curly else 18
    # Strands are at least a pixel wide: a small canvas needs fewer to cover the same hair.
    count = int(np.clip(area * (150 if curly else 110), 300, 2600) * min(1.0, frame.u / 130.0))
    width = max(1, round(frame.u / 140.0))
    paths = wave(trace(shape, rng, count, length, points), shape, h.curl, rng)
    if h.messy > 0.3:
        paths += rng.normal(0.0, 0.01 * h.messy, (count, 1, 2)).astype(np.float32)
    dark = draw(frame, box, paths, width, (90, 150, 210))
    lights = wave(trace(shape, rng, count // 2, length, points), shape, h.curl, rng)
    light = draw(frame, box, lights, width, (70, 130, 200))
    return dark, light


def _top_zone(shape: HairShape, fx: np.ndarray, fy: np.ndarray) -> np.ndarray:
    """Undercuts and fades keep length only on top; the sides are clipped close."""
    width = shape.skull * 0.62
    zone = smoothstep(width + 0.08, width - 0.05, np.abs(fx)) * smoothstep(-0.55, -0.8, fy)
    return np.broadcast_to(zone, (fy.shape[0], fx.shape[1])).astype(np.float32)


def _paint_short_scalp(
    canvas: Canvas,
    frame: Frame,
    box: Box,
    traits: Traits,
    mass: np.ndarray,
    fx: np.ndarray,
    fy: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Shaved and buzzed heads: the scalp shows through a stipple of short hairs."""
    h = traits.hair
    color = np.asarray(h.color, np.float32) * 0.8
    dots = value_noise(rng, mass.shape, 1.0)
    stipple = smoothstep(-0.2, 0.8, dots)
    density = np.clip(h.cover * 1.5, 0.1, 0.9)
    lit = 0.55 + 0.45 * smoothstep(0.6, -0.8, fx + 0.5 * (fy + 1.0))
    color = color * np.broadcast_to(lit, mass.shape)[..., None]
    canvas.paint(box, mass * density * (0.5 + 0.5 * stipple), color)
