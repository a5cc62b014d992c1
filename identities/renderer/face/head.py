"""The head's skin: shaded face and scalp, and the ears behind them."""

from __future__ import annotations

import cv2
import numpy as np
from scipy.interpolate import PchipInterpolator

from identities.renderer.canvas import Canvas, coverage, smoothstep, value_noise
from identities.renderer.face.relief import face_relief
from identities.renderer.face.skin import face_albedo
from identities.renderer.geometry import Frame, Outline
from identities.renderer.shading import Field, Light, LightMap, intensity, skin_light
from identities.renderer.traits.model import Traits


def paint_head(
    canvas: Canvas, frame: Frame, traits: Traits, outline: Outline, rng: np.random.Generator
) -> LightMap:
    """Paint the face and scalp; return the light over them for the features to come."""
    reach = traits.shape.cheek + 0.08
    box = frame.box(canvas, -reach, outline.crown - 0.02, reach, outline.bottom + 0.02)
    xs, ys = frame.units(box, frame.shade_scale)
    relief = face_relief(xs, ys, traits, outline)
    light = Light(relief.v, relief.step)
    albedo = face_albedo(xs, ys, traits, rng)
    color = skin_light(albedo, light)
    occlusion = 1.0 - np.clip(light.cavity(0.1) * 6.0, 0.0, 0.55)
    color *= occlusion[..., None]
    size = (box.width, box.height)
    lit = cv2.resize(intensity(light) * occlusion, size, interpolation=cv2.INTER_LINEAR)
    gloss = _oily_zones(xs, ys, traits) * traits.skin.shine
    sheen = gloss * (0.22 * light.specular(28.0) + 0.05 * light.specular(5.0))
    color += sheen[..., None] * np.array([1.0, 0.96, 0.92], np.float32)
    color = cv2.resize(color, size, interpolation=cv2.INTER_LINEAR)
    fx, fy = frame.units(box)
    cover = coverage(outline.signed(fx, fy) * frame.u)
    pores = value_noise(rng, (box.height, box.width), max(1.0, 0.012 * frame.u))
    color *= (1.0 + (0.018 + 0.02 * traits.makeup.bare) * pores)[..., None]
    canvas.paint(box, cover, color)
    return LightMap(box, lit)


def _oily_zones(xs: np.ndarray, ys: np.ndarray, t: Traits) -> np.ndarray:
    field = Field(xs, ys)
    field.bump(0.0, -0.75, 0.35, 0.25, 0.9)
    field.bump(0.0, 0.1, 0.07, 0.35, 1.0)
    field.bump(0.0, t.nose.length, 0.08, 0.06, 1.0)
    field.mirrored(0.55, 0.18, 0.2, 0.1, 0.8)
    field.bump(0.0, t.shape.chin_y - 0.05, 0.15, 0.08, 0.7)
    field.bump(0.0, t.mouth.y - 0.15, 0.12, 0.05, 0.4)
    return np.clip(field.v, 0.0, 1.0) * 0.8 + 0.2


_EAR_T = [0.0, 0.04, 0.14, 0.3, 0.55, 0.78, 0.92, 1.0]
_EAR_OUT = [0.0, 0.08, 0.135, 0.15, 0.12, 0.085, 0.065, 0.0]


def paint_ears(canvas: Canvas, frame: Frame, traits: Traits, outline: Outline) -> None:
    skin = np.asarray(traits.skin.albedo, np.float32) * np.array([1.04, 0.92, 0.9], np.float32)
    top, lobe = -0.28, 0.72
    profile = PchipInterpolator(_EAR_T, _EAR_OUT)
    for side in (-1.0, 1.0):
        x_root = float(outline.half_width(0.2))
        near, far = side * (x_root - 0.1), side * (x_root + 0.22)
        box = frame.box(canvas, min(near, far), top - 0.03, max(near, far), lobe + 0.03)
        if box.empty:
            continue
        xs, ys = frame.units(box)
        t = np.clip((ys - top) / (lobe - top), 0.0, 1.0)
        reach = profile(t).astype(np.float32)
        root = outline.half_width(ys) - 0.05
        out = side * xs - root
        inside = np.minimum(reach + 0.05 - out, out + 0.05)
        cover = coverage(inside * frame.u) * (ys > top) * (ys < lobe)
        # Only outside the face: ears may be painted after the face (over short hair).
        cover *= 1.0 - coverage(outline.signed(xs, ys) * frame.u)
        depth = np.clip((out + 0.05) / (reach + 0.05 + 1e-3), 0.0, 1.0)
        # The key light comes from the image's left: the left ear is lit, the right in shade.
        lit = 0.85 if side < 0 else 0.42
        helix = np.exp(-(((depth - 0.86) / 0.09) ** 2))
        fold = np.exp(-(((depth - 0.6) / 0.07) ** 2)) * smoothstep(0.12, 0.3, t) * (t < 0.8)
        bowl = np.exp(-(((depth - 0.38) / 0.2) ** 2 + ((t - 0.5) / 0.17) ** 2))
        canal = np.exp(-(((depth - 0.2) / 0.1) ** 2 + ((t - 0.52) / 0.07) ** 2))
        root_shadow = smoothstep(0.25, 0.0, depth)
        shade = lit * (0.82 + 0.3 * helix + 0.15 * fold - 0.45 * bowl - 0.35 * root_shadow)
        shade = shade - 0.25 * canal
        canvas.paint(box, cover, skin * np.clip(shade, 0.08, 1.2)[..., None])
