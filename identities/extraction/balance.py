"""The photograph's white balance: how far its light is from neutral, and the correction.

Skin, hair and eyes are named by colour, and a camera set for daylight under tungsten light
records every face orange. The light's colour is estimated by grey-world on what surrounds the
face (the face itself is left out: its colour is what is being read), on a small copy of the
photo, without clipped or black pixels. Scenes are rarely grey on average — warm rooms, shade,
foliage — and people see a face under a mild cast as the colour it is, so only the part of the
cast beyond `TOLERATED_CAST` is corrected: measured on hand-labelled photos, correcting all of it
named more faces wrong than it fixed, correcting the excess fixed strong casts without moving
well-balanced photos (and renders, whose backdrops are near grey, not at all).

The correction is von Kries (a gain per channel, in linear light), applied to the region the
readers look at. Its strength is kept so the skin reader can be less sure of a corrected photo.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from identities.extraction.landmarks import FACE_OVAL, FaceLandmarks

# Estimated on a copy at most this many pixels on its long side: the light's colour needs no
# detail, and the estimate then costs the same on a 50-megapixel photo as on a thumbnail.
ESTIMATE_SIDE = 256
# ΔE (CIELAB chroma of the light's colour at full lightness) left uncorrected; see above.
TOLERATED_CAST = 20.0
# Median chroma of the face under which a photo is black-and-white: no colour in it can be
# read (skin in a colour photo measures 10 or more).
MONOCHROME_CHROMA = 2.0
# The face oval, grown by this factor, is left out of the estimate (with the hair next to it).
FACE_MARGIN = 1.3
# Rec. 709 luminance weights of linear RGB.
_LUMINANCE = np.array([0.2126, 0.7152, 0.0722])

_TO_LINEAR = np.where(
    np.arange(256) / 255.0 <= 0.04045,
    np.arange(256) / 255.0 / 12.92,
    ((np.arange(256) / 255.0 + 0.055) / 1.055) ** 2.4,
)


@dataclass(frozen=True)
class WhiteBalance:
    light: np.ndarray  # linear RGB of the light, luminance 1
    cast: float  # ΔE from neutral of the light's colour
    monochrome: bool
    gains: np.ndarray  # linear-light gain per channel that the correction applies

    @property
    def corrected(self) -> bool:
        return bool(np.any(np.abs(self.gains - 1.0) > 1e-3))

    def apply(self, rgb: np.ndarray, box: tuple[int, int, int, int] | None = None) -> np.ndarray:
        """A copy of the RGB uint8 image with the correction applied inside `box` (x0, y0,
        x1, y1; the whole image when None)."""
        if not self.corrected:
            return rgb
        out = rgb.copy()
        x0, y0, x1, y1 = box or (0, 0, rgb.shape[1], rgb.shape[0])
        region = out[y0:y1, x0:x1]
        for channel in range(3):
            # One table per channel: the gain in linear light, back to sRGB, per input level.
            table = _encode(_TO_LINEAR * self.gains[channel])
            region[:, :, channel] = table[region[:, :, channel]]
        return out


def estimate_balance(rgb: np.ndarray, marks: FaceLandmarks) -> WhiteBalance:
    step = max(1, int(np.ceil(max(rgb.shape[:2]) / ESTIMATE_SIDE)))
    small = rgb[::step, ::step]
    mask = np.ones(small.shape[:2], dtype=np.uint8)
    oval = marks.mesh[list(FACE_OVAL)] / step
    centre = oval.mean(axis=0)
    cv2.fillPoly(mask, [np.round(centre + (oval - centre) * FACE_MARGIN).astype(np.int32)], 0)
    pixels = small[mask.astype(bool)]
    # Black-and-white is judged on the face itself: a colour portrait may sit on a grey page.
    face = small[~mask.astype(bool)]
    lab = cv2.cvtColor(face.reshape(1, -1, 3), cv2.COLOR_RGB2Lab).reshape(-1, 3).astype(float)
    # OpenCV's 8-bit Lab centres a and b on 128.
    chroma = np.hypot(lab[:, 1] - 128, lab[:, 2] - 128)
    monochrome = bool(len(face)) and float(np.median(chroma)) < MONOCHROME_CHROMA
    linear = _TO_LINEAR[pixels]
    usable = (linear.max(axis=1) < 0.98) & (linear.max(axis=1) > 0.02)
    if monochrome or usable.sum() < 64:
        return WhiteBalance(np.ones(3), 0.0, monochrome, np.ones(3))
    light = linear[usable].mean(axis=0)
    light = light / float(light @ _LUMINANCE)
    cast = _chroma(light)
    gains = np.ones(3)
    if cast > TOLERATED_CAST:
        gains = (1.0 / light) ** ((cast - TOLERATED_CAST) / cast)
    return WhiteBalance(light, cast, monochrome, gains)


def _chroma(light: np.ndarray) -> float:
    """CIELAB chroma of the light's colour, at the lightness of its brightest channel."""
    rgb = (_encode(light / light.max()) / 255.0).astype(np.float32).reshape(1, 1, 3)
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab).reshape(3)
    return float(np.hypot(lab[1], lab[2]))


def _encode(linear: np.ndarray) -> np.ndarray:
    linear = np.clip(linear, 0.0, 1.0)
    srgb = np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)
    return np.round(srgb * 255).astype(np.uint8)
