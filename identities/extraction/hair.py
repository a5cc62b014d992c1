"""Hair colour, length and fringe, by walking up from the forehead and down beside the face.

The walk samples a strip across the head every 1 % of the face width, from mid-forehead up to
the top of the picture, giving a profile skin → hair → background. The hairline is the first
change point of a three-segment fit of that profile; the top of the hair is where the strip
turns smooth and leaves the hair's colour (walls and studio backdrops have no strands; dark
hair in a photo shows none either, so smoothness alone is not the end of it), or the fit's
second change point when the background is textured too. A hairline that starts within the
forehead means a fringe; no hair segment at all means a shaved or bald head.

The walk reads studio portraits and renders; on a photograph — the top of the head cut by the
frame, a room behind — the colour is read from the ring around the top of the face instead
(hair_ring.py), whenever the backdrop is not a plain one.

Length: how far below the chin hair still shows beside the face, hair being what is near the
hair's colour (darker allowed: the sides are in the head's shade) and not like the skin; a
photo that ends before the hair does says at most "long".

Colours are named by the nearest reference in CIELAB; the references were measured on in-house
renders of every hair chip (the lit crown, where the renderer puts the named colour).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from identities.extraction.colour import Named, delta_e, nearest, robust_lab
from identities.extraction.hair_ring import read_ring
from identities.extraction.landmarks import FACE_OVAL, FaceLandmarks

STEP = 0.01  # of the face width
STRIP_HALF_WIDTH = 0.12
MAX_WALK = 2.0  # face widths above mid-forehead
# A strip whose lightness varies less than this (L* std) is smooth: a wall, not hair.
SMOOTH_TEXTURE = 1.5
# ΔE from the hair seen so far beyond which the strip has left the hair (dark hair against a
# lit room measured 40+, highlights within dark hair under 20).
HAIR_DEPARTURE = 25.0
# A smooth stretch this far (ΔE) from the hair so far is backdrop; nearer, it is smooth hair.
SMOOTH_AWAY = 12.0
# Profile samples this near the skin (ΔE) are the hairline's blend of skin and hair.
BLEND = 18.0
# Under this backdrop texture (hair_ring.RingReading.backdrop_texture: renders measured 0.2,
# photographs 0.0–4.0) the backdrop is plain and the walk reads the colour.
PLAIN_BACKDROP = 0.25

# Measured on in-house renders (seeds 40–43 per chip, the evaluation uses other seeds); black
# and jet-black measured the same, so only "black" is named.
HAIR_COLOURS: dict[str, tuple[float, float, float]] = {
    "platinum blonde": (81.0, -1.5, 7.0),
    "ash blonde": (65.0, -1.0, 12.0),
    "golden blonde": (67.0, 4.0, 37.5),
    "strawberry blonde": (60.0, 16.0, 28.5),
    "light brown": (37.0, 9.0, 19.0),
    "chestnut": (28.0, 14.0, 16.0),
    "dark brown": (20.0, 3.5, 5.5),
    "black": (16.0, 0.0, 0.0),
    "auburn": (31.0, 25.0, 21.0),
    "red": (36.0, 34.0, 28.0),
    "copper": (44.0, 31.0, 36.0),
    "grey": (55.0, 0.0, 0.0),
    "silver": (72.5, -1.0, -3.0),
    "white": (81.0, -1.5, 2.0),
}


@dataclass(frozen=True)
class HairReading:
    lab: np.ndarray | None  # None: no hair found above the forehead
    colour: Named | None
    hairline: float  # face widths above mid-forehead where hair starts
    thickness: float  # face widths of hair above the hairline
    fringe: bool
    length: str | None
    length_confidence: float


@dataclass(frozen=True)
class _Sample:
    lab: np.ndarray
    texture: float
    pixels: np.ndarray  # Lab of the strip's points


class _LabView:
    """The head's surroundings in CIELAB, smoothed over 3x3, with a 7x7 local L* spread
    (strands); converted once, then sampled by coordinates."""

    def __init__(self, rgb: np.ndarray, marks: FaceLandmarks):
        height, width = rgb.shape[:2]
        fw = marks.face_width
        centre = marks.point(1)
        x0, x1 = max(0, int(centre[0] - 1.6 * fw)), min(width, int(centre[0] + 1.6 * fw) + 1)
        y1 = min(height, int(centre[1] + 3.0 * fw) + 1)
        self.offset = np.array([x0, 0])
        crop = rgb[:y1, x0:x1].astype(np.float32) / 255.0
        lab = cv2.cvtColor(crop, cv2.COLOR_RGB2Lab)
        self.lab = cv2.blur(lab, (3, 3))
        lightness = lab[:, :, 0]
        mean = cv2.blur(lightness, (7, 7))
        self.texture = np.sqrt(np.maximum(cv2.blur(lightness * lightness, (7, 7)) - mean * mean, 0))
        self.shape = self.lab.shape[:2]

    def sample(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(Lab, texture) at the points inside the view."""
        xy = np.round(points - self.offset).astype(int)
        inside = (
            (xy[:, 0] >= 0)
            & (xy[:, 0] < self.shape[1])
            & (xy[:, 1] >= 0)
            & (xy[:, 1] < self.shape[0])
        )
        xy = xy[inside]
        return self.lab[xy[:, 1], xy[:, 0]], self.texture[xy[:, 1], xy[:, 0]]


def _walk_up(view: _LabView, marks: FaceLandmarks) -> list[_Sample]:
    fw, up = marks.face_width, marks.up
    across = np.array([-up[1], up[0]])
    offsets = np.linspace(-STRIP_HALF_WIDTH, STRIP_HALF_WIDTH, 13) * fw
    start = marks.point(151)
    samples = []
    for index in range(int(MAX_WALK / STEP)):
        centre = start + up * (index * STEP * fw)
        lab, texture = view.sample(centre + offsets[:, None] * across)
        if len(lab) < 7:
            break
        samples.append(_Sample(np.median(lab, axis=0), float(np.mean(texture)), lab))
    return samples


def read_hair(rgb: np.ndarray, marks: FaceLandmarks, skin: np.ndarray) -> HairReading | None:
    view = _LabView(rgb, marks)
    profile = _walk_up(view, marks)
    if len(profile) < 8:
        return None
    start, end = _hair_segment(profile, skin)
    fw = marks.face_width
    forehead_top = float(np.dot(marks.point(10) - marks.point(151), marks.up)) / fw
    hairline, thickness = start * STEP, (end - start) * STEP
    fringe = hairline < forehead_top * 0.55
    walked = _walk_colour(profile[start:end], skin) if thickness >= 0.03 else None
    ring = read_ring(rgb, marks, skin)
    plain = ring.backdrop_texture < PLAIN_BACKDROP and walked is not None
    lab = walked if plain else ring.lab
    if lab is None or delta_e(lab, skin) < 6:
        # Skin all the way to the background: a bald or shaved head.
        return HairReading(None, None, hairline, 0.0, False, None, 0.0)
    colour = nearest(lab, HAIR_COLOURS)
    length, confidence = _length(view, marks, lab, skin, thickness)
    return HairReading(lab, colour, hairline, thickness, fringe, length, confidence)


def _walk_colour(segment: list[_Sample], skin: np.ndarray) -> np.ndarray | None:
    """The hair's colour along the walk: past the hairline's blend, the lower fifth left out
    (the hairline itself, thinning), strands and smooth stretches alike."""
    if len(segment) < 3:
        return None
    clear = [sample for sample in segment if delta_e(sample.lab, skin) > BLEND]
    segment = clear if len(clear) >= 3 else segment
    core = segment[len(segment) // 5 :] if len(segment) >= 5 else segment
    return robust_lab(np.concatenate([sample.pixels for sample in core]), low=20, high=80)


def _hair_segment(profile: list[_Sample], skin: np.ndarray) -> tuple[int, int]:
    """(hairline index, top-of-hair index) in the profile."""
    labs = np.array([s.lab for s in profile])
    start, end = _two_change_points(labs)
    # The fit's first segment must be skin; when it is not, hair begins at once (a fringe
    # covering the whole forehead).
    if delta_e(labs[:start].mean(axis=0), skin) > 15:
        start = 0
    return start, _hair_top(profile, labs, start, fit_end=max(end, start))


def _hair_top(profile: list[_Sample], labs: np.ndarray, start: int, *, fit_end: int) -> int:
    """Where the hair above the hairline ends: the strip turns smooth and unlike the hair (a
    backdrop; counted only once strands were seen, the forehead is smooth too), or its colour
    leaves the hair's for good (a textured background: a room, a bookshelf)."""
    smooth_run, strands = 0, False
    for index in range(start + 1, len(profile)):
        hair = np.median(labs[start + 1 : max(index, start + 2)], axis=0)
        away = delta_e(labs[index], hair) > SMOOTH_AWAY
        strands = strands or profile[index].texture > 2 * SMOOTH_TEXTURE
        smooth = profile[index].texture < SMOOTH_TEXTURE and away
        smooth_run = smooth_run + 1 if smooth else 0
        if strands and smooth_run == 3:
            return index - 2
        leaves = index + 1 < len(profile) and (
            min(delta_e(labs[index], hair), delta_e(labs[index + 1], hair)) > HAIR_DEPARTURE
        )
        if index - start >= 4 and leaves:
            return index
    return fit_end


def _two_change_points(labs: np.ndarray) -> tuple[int, int]:
    """The piecewise-constant fit with three segments [0, s) [s, e) [e, n) of least squared
    error, found exactly with prefix sums."""
    n = len(labs)
    sums = np.vstack([np.zeros(3), np.cumsum(labs, axis=0)])
    squares = np.concatenate([[0.0], np.cumsum((labs**2).sum(axis=1))])

    def cost(a: np.ndarray | int, b: np.ndarray | int) -> np.ndarray:
        total = sums[b] - sums[a]
        count = np.maximum(np.asarray(b) - np.asarray(a), 1)
        return squares[b] - squares[a] - (total**2).sum(axis=-1) / count

    best, best_cost = (min(2, n - 1), n), np.inf
    ends = np.arange(0, n + 1)
    for s in range(2, n - 1):
        e = ends[s + 2 :]
        if not len(e):
            break
        total = cost(0, s) + cost(s, e) + np.where(e < n, cost(e, n), 0.0)
        at = int(np.argmin(total))
        if total[at] < best_cost:
            best_cost, best = float(total[at]), (s, int(e[at]))
    return best


# Hair length by the lowest level where hair still shows beside the face, in face heights
# below the chin; cut points set on renders of each length chip (chin −0.2–0, shoulder
# 0.15–0.3, long 0.55–0.65, very long 0.95–1.05).
_LENGTHS = (
    (0.08, "chin-length", 0.6),
    (0.45, "shoulder-length", 0.7),
    (0.85, "long", 0.7),
    (99.0, "very long", 0.65),
)


# Nothing hanging beside the face is short, cropped, shaved or tied back, which a front view
# cannot tell apart: "short" is said only when the hair over the head is close-cut too.
CLOSE_CUT = 0.25  # face widths of hair above the hairline
SHORT_SURE = 0.62
SHORT_UNSURE = 0.5
# Beside the face, points from the silhouette's edge outward (face widths) and the share of
# them that must look like hair.
SIDE_STEPS = np.arange(6) * 0.045
SIDE_SHARE = 1 / 3


def _length(
    view: _LabView, marks: FaceLandmarks, hair: np.ndarray, skin: np.ndarray, thickness: float
) -> tuple[str | None, float]:
    up = marks.up
    across = np.array([-up[1], up[0]])
    chin = marks.point(152)
    face_height = float(np.linalg.norm(marks.point(10) - chin))
    fw = marks.face_width
    lowest, cut_off = None, False
    for level in np.arange(-0.7, 1.6, 0.05):
        centre = chin - up * (level * face_height)
        edge = _oval_half_width(marks, centre) + 0.04 * fw
        hits, seen = 0, 0
        for side in (-1, 1):
            points = centre + across * side * (edge + SIDE_STEPS * fw)[:, None]
            found = _looks_like_hair(view, points, hair, skin)
            seen += found is not None
            hits += bool(found)
        if not seen:
            # The photo ends here: the hair may go on below.
            cut_off = lowest is not None and level <= lowest + 0.1
            break
        if hits:
            lowest = float(level)
        elif lowest is not None and level > lowest + 0.15:
            break
    if lowest is None or lowest < -0.3:
        return "short", SHORT_SURE if thickness < CLOSE_CUT else SHORT_UNSURE
    if cut_off:
        # Past the frame: only "long" can be said, and only once the hair is that long.
        return ("long", 0.6) if lowest > _LENGTHS[1][0] else (None, 0.0)
    return next((name, confidence) for limit, name, confidence in _LENGTHS if lowest <= limit)


def _looks_like_hair(
    view: _LabView, points: np.ndarray, hair: np.ndarray, skin: np.ndarray
) -> bool | None:
    """Whether enough points beside the face show hair: its hue and chroma, as dark as its
    shade (the sides of a head are lit less than the crown), with strands, and not skin (a neck,
    a shoulder). None when the points lie outside the photo."""
    lab, texture = view.sample(points)
    if len(lab) < 3:
        return None
    chroma_gap = np.hypot(lab[:, 1] - hair[1], lab[:, 2] - hair[2])
    shade = lab[:, 0] - hair[0]
    close = (chroma_gap < 12) & (shade > -25) & (shade < 12)
    skin_like = np.hypot(lab[:, 1] - skin[1], lab[:, 2] - skin[2]) < 6
    return int(np.sum(close & ~skin_like & (texture > SMOOTH_TEXTURE))) >= SIDE_SHARE * len(points)


def _oval_half_width(marks: FaceLandmarks, centre: np.ndarray) -> float:
    # Half the face's width at this height, never less than at the jaw: below the chin the
    # neck and shoulders widen and the hair hangs outside them.
    oval = marks.mesh[list(FACE_OVAL)]
    up = marks.up
    across = np.array([-up[1], up[0]])
    heights = (oval - centre) @ up
    near = oval[np.abs(heights) < 0.06 * marks.face_width]
    if len(near):
        return float(np.max(np.abs((near - centre) @ across)))
    return 0.4 * marks.face_width
