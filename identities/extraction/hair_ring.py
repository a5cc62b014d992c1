"""Hair colour on photographs: the ring around the top of the face.

The walk up from the forehead (hair.py) reads a studio portrait well, but a photograph's top of
head is often cut by the frame, lit unevenly and set against a room, and its dark hair shows no
strands. So the colour is also read from a ring just outside the upper half of the face's
silhouette, from temple to temple over the forehead — where hair starts on every head that has
any. What lies in the ring is hair, skin (a high forehead, a bald crown) or background (short
hair, a turned head). Skin-like pixels go first; the rest falls into two colour clusters, and
the background's is the one that fills a wider ring further out, where hair rarely reaches.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from identities.extraction.landmarks import FACE_OVAL, FaceLandmarks

# The ring, as factors of the face silhouette's size about its centre.
RING = (1.04, 1.30)
OUTER_RING = (1.55, 1.95)
# Hair colour is read in the lit part of the hair's pixels (lightness percentiles): the shadowed
# underside is what a viewer discounts, the brightest glints are the light's colour.
LIT_PERCENTILES = (25, 90)
# Under this share of the ring not looking like skin, the head has (almost) no hair over it.
MIN_HAIR_SHARE = 0.2
# At most this many pixels are clustered: the colours need no more, and k-means stays cheap.
MAX_PIXELS = 4000
# The ring is read on a copy of the head scaled so the face is this wide: thresholds then mean
# the same on a thumbnail and on a 1024 px headshot, and the area average removes JPEG noise.
VIEW_FACE_PX = 96


@dataclass(frozen=True)
class RingReading:
    lab: np.ndarray | None  # the hair's colour; None when the ring holds no hair
    pixels: np.ndarray | None  # Lab of the hair's pixels
    backdrop_texture: float  # median local L* spread in the outer ring (5 px at VIEW_FACE_PX)


def read_ring(rgb: np.ndarray, marks: FaceLandmarks, skin: np.ndarray) -> RingReading:
    lab, mesh = _view(rgb, marks)
    texture = _backdrop_texture(lab, mesh)
    pixels = lab[_ring(lab.shape[:2], mesh, *RING)]
    if len(pixels) < 30:
        return RingReading(None, None, texture)
    candidates = pixels[~_skin_like(pixels, skin)]
    if len(candidates) < MIN_HAIR_SHARE * len(pixels):
        return RingReading(None, None, texture)
    background = lab[_ring(lab.shape[:2], mesh, *OUTER_RING)]
    hair = _hair_cluster(_subsample(candidates), _subsample(background))
    lightness = hair[:, 0]
    low, high = np.percentile(lightness, LIT_PERCENTILES)
    lit = hair[(lightness >= low) & (lightness <= high)]
    return RingReading(np.median(lit if len(lit) >= 5 else hair, axis=0), hair, texture)


def _view(rgb: np.ndarray, marks: FaceLandmarks) -> tuple[np.ndarray, np.ndarray]:
    """The head and what surrounds it in CIELAB, scaled; and the face mesh in its pixels."""
    fw, centre = marks.face_width, marks.point(1)
    scale = VIEW_FACE_PX / max(fw, 1.0)
    x0 = int(max(0, centre[0] - 1.8 * fw))
    x1 = int(min(rgb.shape[1], centre[0] + 1.8 * fw))
    y1 = int(min(rgb.shape[0], centre[1] + 3.0 * fw))
    crop = rgb[:y1, x0:x1]
    size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))
    small = cv2.resize(crop, size, interpolation=cv2.INTER_AREA)
    lab = cv2.cvtColor(small.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)
    return lab, (marks.mesh - np.array([x0, 0.0])) * scale


def _backdrop_texture(lab: np.ndarray, mesh: np.ndarray) -> float:
    outer = _ring(lab.shape[:2], mesh, *OUTER_RING)
    if not outer.any():
        return float("inf")
    lightness = lab[:, :, 0]
    mean = cv2.blur(lightness, (5, 5))
    spread = np.sqrt(np.maximum(cv2.blur(lightness * lightness, (5, 5)) - mean * mean, 0))
    return float(np.median(spread[outer]))


def _skin_like(pixels: np.ndarray, skin: np.ndarray) -> np.ndarray:
    # Skin's own hue and chroma, from somewhat darker (the forehead's shaded edge) to lighter.
    chroma_gap = np.hypot(pixels[:, 1] - skin[1], pixels[:, 2] - skin[2])
    lightness_gap = pixels[:, 0] - skin[0]
    return (chroma_gap < 9) & (lightness_gap > -22) & (lightness_gap < 12)


def _hair_cluster(candidates: np.ndarray, background: np.ndarray) -> np.ndarray:
    if len(candidates) < 20:
        return candidates
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    # A fixed seed: the same photo reads the same every time.
    cv2.setRNGSeed(0)
    _, labels, centres = cv2.kmeans(
        candidates.astype(np.float32), 2, None, criteria, 3, cv2.KMEANS_PP_CENTERS
    )
    labels = labels.ravel()
    sizes = [float(np.mean(labels == k)) for k in range(2)]
    if len(background):
        nearest = np.argmin(np.linalg.norm(background[:, None] - centres[None], axis=2), axis=1)
        outside = [float(np.mean(nearest == k)) for k in range(2)]
    else:
        outside = [0.0, 0.0]
    # Background fills the outer ring; hair fills the inner one. A cluster of a quarter of the
    # ring or less is a stray (an ear, a collar) rather than the hair.
    scores = [outside[k] - 0.5 * sizes[k] for k in range(2)]
    hair = int(np.argmin(scores))
    if sizes[hair] < 0.25:
        hair = 1 - hair
    return candidates[labels == hair]


def _ring(shape, mesh: np.ndarray, inner: float, outer: float) -> np.ndarray:
    """Pixels between two scaled copies of the face silhouette, above the eyes."""
    silhouette = mesh[list(FACE_OVAL)]
    centre = silhouette.mean(axis=0)
    masks = []
    for factor in (outer, inner):
        mask = np.zeros(shape, dtype=np.uint8)
        polygon = np.round(centre + (silhouette - centre) * factor).astype(np.int32)
        cv2.fillPoly(mask, [polygon], 1)
        masks.append(mask.astype(bool))
    eyes = float(mesh[[33, 263]][:, 1].mean())
    rows = np.arange(shape[0])[:, None] < eyes
    return masks[0] & ~masks[1] & rows


def _subsample(pixels: np.ndarray) -> np.ndarray:
    if len(pixels) <= MAX_PIXELS:
        return pixels
    step = int(np.ceil(len(pixels) / MAX_PIXELS))
    return pixels[::step]
