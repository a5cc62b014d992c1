"""Words to colours: skin tones, hair, eyes, lips and makeup.

Colours are written as the sRGB a viewer sees on the lit front of the surface and converted
to linear light (`lin`) because shading multiplies light, which is only right in linear space.
"""

from __future__ import annotations

import numpy as np

RGB = tuple[float, float, float]

# The skin scale: position 0 (porcelain) to 1 (ebony), the sRGB of the lit cheek before any
# undertone, with its CIELAB (D65) lightness L*, chroma C* and hue angle h°. Words map to
# positions so "light medium" can sit between two anchors.
#
# References. Lightness follows the Monk Skin Tone Scale (Ellis Monk and Google, 2022), whose ten
# swatches are #f6ede4 #f3e7db #f7ead0 #eadaba #d7bd96 #a07e56 #825c43 #604134 #3a312a #292420
# (L* 94 92 93 87 78 55 42 31 21 15): position 0 sits near MST 1-2, 0.22 near MST 5, 0.55 near
# MST 6, 0.65 near MST 7, 0.85 near MST 8, 0.95 near MST 9. Hue and chroma follow skin
# colorimetry rather than the swatches, whose light end is drawn yellower (h 74-89°) than skin
# measures: spectrophotometer surveys of facial skin (Weatherall & Coombs 1992; Xiao et al.
# 2017, "Characterising the variations in ethnic skin colours") find redness a* much the same
# in every group and yellowness b* carrying the differences, which puts faces at hue angles of
# roughly 45-70°, chroma highest mid-scale and low at both ends. Past about 70° skin reads as
# yellow paint: the mustard the old olive and golden undertones (blue cut out of the tone) gave.
_SKIN_ANCHORS: list[tuple[float, RGB]] = [
    (0.00, (0.98, 0.87, 0.81)),  # L* 90, C* 13, h 56
    (0.10, (0.96, 0.81, 0.71)),  # L* 86, C* 20, h 62
    (0.22, (0.93, 0.75, 0.62)),  # L* 80, C* 26, h 63
    (0.35, (0.87, 0.67, 0.52)),  # L* 74, C* 30, h 63
    (0.45, (0.79, 0.59, 0.43)),  # L* 66, C* 32, h 64
    (0.55, (0.70, 0.50, 0.35)),  # L* 58, C* 32, h 63
    (0.65, (0.59, 0.40, 0.27)),  # L* 47, C* 31, h 59
    (0.75, (0.47, 0.31, 0.21)),  # L* 37, C* 26, h 57
    (0.85, (0.37, 0.23, 0.16)),  # L* 28, C* 22, h 53
    (0.95, (0.27, 0.17, 0.12)),  # L* 20, C* 16, h 51
    (1.00, (0.23, 0.15, 0.11)),  # L* 17, C* 14, h 52
]
# No undertone takes a skin outside these hue angles: redder reads as sunburn, yellower as paint.
SKIN_HUE_RANGE = (49.0, 67.0)

SKIN_WORDS: dict[str, float] = {
    "porcelain": 0.02,
    "alabaster": 0.03,
    "very fair": 0.05,
    "pale": 0.06,
    "ivory": 0.08,
    "fair": 0.11,
    "light": 0.2,
    "very light": 0.1,
    "peach": 0.2,
    "light medium": 0.3,
    "beige": 0.28,
    "medium": 0.4,
    "olive": 0.42,
    "golden": 0.44,
    "honey": 0.47,
    "medium tan": 0.5,
    "tan": 0.54,
    "tanned": 0.5,
    "sun kissed": 0.4,
    "caramel": 0.56,
    "bronze": 0.58,
    "bronzed": 0.55,
    "light brown": 0.6,
    "brown": 0.66,
    "medium brown": 0.66,
    "chestnut": 0.7,
    "dark": 0.8,
    "dark brown": 0.78,
    "mahogany": 0.8,
    "rich": 0.82,
    "deep": 0.86,
    "chocolate": 0.87,
    "espresso": 0.9,
    "very dark": 0.92,
    "ebony": 0.96,
}

# Undertones as factors on CIELAB a* (redness) and b* (yellowness), with a lightness shift.
# Yellowness and lightness set the depth a viewer reads (the Individual Typology Angle is
# atan((L* - 50) / b*)), so each undertone moves b* the way it always has and changes only how
# red the skin is; olive is the least red of the warm ones. The hue limit below then keeps
# every undertone a skin colour: a yellow-heavy tone gains redness instead of turning mustard.
UNDERTONES: dict[str, tuple[float, float, float]] = {
    "warm": (1.05, 1.2, 0.5),
    "golden": (1.0, 1.3, 0.5),
    "yellow": (0.95, 1.3, 0.5),
    "olive": (0.9, 1.3, -0.8),
    "cool": (1.3, 0.97, -1.0),
    "pink": (1.45, 1.03, -1.0),
    "rosy": (1.5, 1.07, -0.8),
    "red": (1.5, 1.12, -1.2),
    "neutral": (1.0, 1.0, 0.0),
    "peach": (1.25, 1.2, 0.0),
}

HAIR_COLORS: dict[str, RGB] = {
    "black": (0.075, 0.065, 0.06),
    "jet black": (0.04, 0.042, 0.05),
    "raven": (0.045, 0.045, 0.055),
    "blue black": (0.05, 0.055, 0.08),
    "soft black": (0.1, 0.085, 0.075),
    "off black": (0.1, 0.085, 0.075),
    "espresso": (0.13, 0.09, 0.07),
    "dark brown": (0.2, 0.13, 0.085),
    "chocolate": (0.27, 0.16, 0.1),
    "brown": (0.33, 0.21, 0.13),
    "medium brown": (0.35, 0.23, 0.14),
    "mousy brown": (0.42, 0.34, 0.25),
    "ash brown": (0.4, 0.34, 0.28),
    "chestnut": (0.42, 0.22, 0.12),
    "light brown": (0.5, 0.35, 0.22),
    "caramel": (0.62, 0.41, 0.22),
    "mahogany": (0.4, 0.15, 0.1),
    "auburn": (0.52, 0.2, 0.1),
    "burgundy": (0.42, 0.08, 0.13),
    "red": (0.64, 0.22, 0.1),
    "fiery red": (0.72, 0.2, 0.08),
    "ginger": (0.76, 0.38, 0.15),
    "copper": (0.74, 0.34, 0.13),
    "strawberry blonde": (0.86, 0.6, 0.42),
    "dark blonde": (0.6, 0.48, 0.32),
    "dirty blonde": (0.63, 0.51, 0.34),
    "sandy": (0.78, 0.66, 0.48),
    "honey": (0.8, 0.58, 0.3),
    "honey blonde": (0.82, 0.62, 0.34),
    "golden blonde": (0.88, 0.72, 0.42),
    "golden": (0.86, 0.68, 0.38),
    "blonde": (0.87, 0.75, 0.52),
    "blond": (0.87, 0.75, 0.52),
    "light blonde": (0.93, 0.85, 0.66),
    "ash blonde": (0.76, 0.72, 0.62),
    "ash": (0.7, 0.67, 0.6),
    "platinum": (0.94, 0.92, 0.86),
    "bleached": (0.94, 0.9, 0.78),
    "grey": (0.6, 0.6, 0.6),
    "gray": (0.6, 0.6, 0.6),
    "silver": (0.8, 0.81, 0.83),
    "white": (0.93, 0.93, 0.91),
    "salt and pepper": (0.32, 0.31, 0.3),
    "pink": (0.93, 0.52, 0.66),
    "pastel pink": (0.96, 0.74, 0.8),
    "rose gold": (0.88, 0.62, 0.55),
    "blue": (0.18, 0.33, 0.74),
    "pastel blue": (0.62, 0.76, 0.92),
    "navy": (0.08, 0.12, 0.3),
    "teal": (0.08, 0.48, 0.5),
    "turquoise": (0.2, 0.7, 0.7),
    "green": (0.18, 0.52, 0.28),
    "mint": (0.6, 0.88, 0.74),
    "purple": (0.42, 0.22, 0.6),
    "violet": (0.5, 0.26, 0.66),
    "lavender": (0.74, 0.64, 0.88),
    "lilac": (0.78, 0.66, 0.86),
    "plum": (0.36, 0.12, 0.26),
    "orange": (0.9, 0.45, 0.12),
}

# Colour words that need no natural-colour brows to go with them.
NATURAL_HAIR = frozenset(
    {
        "black",
        "jet black",
        "raven",
        "blue black",
        "soft black",
        "off black",
        "espresso",
        "dark brown",
        "chocolate",
        "brown",
        "medium brown",
        "mousy brown",
        "ash brown",
        "chestnut",
        "light brown",
        "caramel",
        "mahogany",
        "auburn",
        "red",
        "ginger",
        "copper",
        "strawberry blonde",
        "dark blonde",
        "dirty blonde",
        "sandy",
        "honey",
        "honey blonde",
        "golden blonde",
        "golden",
        "blonde",
        "blond",
        "light blonde",
        "ash blonde",
        "ash",
        "grey",
        "gray",
        "silver",
        "white",
        "salt and pepper",
    }
)

# (outer, inner) iris colours; most eyes are darker at the rim and warmer round the pupil.
EYE_COLORS: dict[str, tuple[RGB, RGB]] = {
    "black": ((0.1, 0.06, 0.045), (0.14, 0.08, 0.05)),
    "dark brown": ((0.2, 0.11, 0.055), (0.28, 0.15, 0.07)),
    "brown": ((0.33, 0.18, 0.08), (0.45, 0.26, 0.1)),
    "chocolate": ((0.26, 0.14, 0.07), (0.36, 0.2, 0.09)),
    "light brown": ((0.46, 0.3, 0.14), (0.6, 0.4, 0.16)),
    "honey": ((0.6, 0.4, 0.16), (0.72, 0.5, 0.2)),
    "amber": ((0.66, 0.42, 0.12), (0.8, 0.55, 0.16)),
    "hazel": ((0.4, 0.42, 0.2), (0.52, 0.32, 0.12)),
    "green": ((0.24, 0.46, 0.28), (0.42, 0.5, 0.24)),
    "emerald": ((0.12, 0.5, 0.3), (0.3, 0.56, 0.28)),
    "grey green": ((0.42, 0.5, 0.44), (0.5, 0.5, 0.36)),
    "blue green": ((0.24, 0.5, 0.54), (0.4, 0.56, 0.44)),
    "teal": ((0.16, 0.48, 0.52), (0.34, 0.56, 0.5)),
    "blue": ((0.24, 0.44, 0.72), (0.46, 0.62, 0.82)),
    "dark blue": ((0.14, 0.26, 0.5), (0.28, 0.42, 0.64)),
    "steel blue": ((0.34, 0.46, 0.6), (0.5, 0.6, 0.7)),
    "light blue": ((0.46, 0.64, 0.84), (0.66, 0.8, 0.92)),
    "pale blue": ((0.52, 0.68, 0.84), (0.72, 0.84, 0.93)),
    "ice blue": ((0.58, 0.74, 0.88), (0.8, 0.9, 0.96)),
    "blue grey": ((0.42, 0.5, 0.6), (0.56, 0.64, 0.7)),
    "grey": ((0.46, 0.5, 0.54), (0.6, 0.63, 0.64)),
    "gray": ((0.46, 0.5, 0.54), (0.6, 0.63, 0.64)),
    "silver": ((0.6, 0.64, 0.68), (0.74, 0.76, 0.78)),
    "violet": ((0.4, 0.32, 0.6), (0.56, 0.48, 0.72)),
}

LIPSTICKS: dict[str, RGB] = {
    "red": (0.7, 0.06, 0.1),
    "classic red": (0.7, 0.05, 0.1),
    "cherry": (0.66, 0.04, 0.14),
    "crimson": (0.6, 0.04, 0.12),
    "scarlet": (0.78, 0.1, 0.08),
    "orange": (0.9, 0.34, 0.14),
    "coral": (0.94, 0.44, 0.38),
    "peach": (0.94, 0.6, 0.48),
    "pink": (0.9, 0.42, 0.56),
    "hot pink": (0.88, 0.12, 0.5),
    "fuchsia": (0.84, 0.12, 0.5),
    "rose": (0.8, 0.42, 0.48),
    "mauve": (0.64, 0.4, 0.44),
    "nude": (0.76, 0.53, 0.46),
    "brown": (0.5, 0.28, 0.22),
    "berry": (0.5, 0.1, 0.26),
    "plum": (0.4, 0.1, 0.24),
    "wine": (0.36, 0.05, 0.12),
    "burgundy": (0.36, 0.05, 0.12),
    "oxblood": (0.3, 0.05, 0.08),
    "dark": (0.26, 0.06, 0.1),
    "black": (0.08, 0.05, 0.06),
    "bold": (0.66, 0.06, 0.14),
}

EYESHADOWS: dict[str, RGB] = {
    "smoky": (0.18, 0.15, 0.15),
    "smokey": (0.18, 0.15, 0.15),
    "bronze": (0.56, 0.36, 0.2),
    "gold": (0.82, 0.62, 0.3),
    "golden": (0.82, 0.62, 0.3),
    "brown": (0.42, 0.28, 0.2),
    "neutral": (0.6, 0.45, 0.36),
    "earth": (0.52, 0.36, 0.24),
    "pink": (0.86, 0.5, 0.58),
    "rose": (0.78, 0.48, 0.5),
    "purple": (0.42, 0.24, 0.52),
    "plum": (0.4, 0.18, 0.32),
    "blue": (0.2, 0.34, 0.7),
    "green": (0.2, 0.46, 0.3),
    "silver": (0.76, 0.76, 0.8),
    "shimmer": (0.86, 0.76, 0.64),
    "glitter": (0.86, 0.78, 0.66),
    "copper": (0.68, 0.36, 0.2),
}


def lin(rgb: RGB | np.ndarray) -> np.ndarray:
    """sRGB (0-1) to linear light."""
    c = np.asarray(rgb, dtype=np.float32)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


def skin_tone(position: float, undertones: tuple[str, ...] = ()) -> RGB:
    """The sRGB skin colour at `position` on the porcelain (0) to ebony (1) scale, tinted by
    the named undertones (their factors averaged: "warm olive" is half of each)."""
    position = float(np.clip(position, 0.0, 1.0))
    stops = [p for p, _ in _SKIN_ANCHORS]
    channels = zip(*(c for _, c in _SKIN_ANCHORS), strict=True)
    r, g, b = (float(np.interp(position, stops, channel)) for channel in channels)
    shifts = [UNDERTONES[name] for name in undertones if name in UNDERTONES]
    if not shifts:
        return (r, g, b)
    red, yellow, lighter = (float(np.mean(column)) for column in zip(*shifts, strict=True))
    light, a, bb = (float(v) for v in srgb_to_lab((r, g, b)))
    a, bb = a * red, bb * yellow
    # Into the hue range by redness alone, so yellowness (and the depth it reads as) stays.
    low, high = np.radians(SKIN_HUE_RANGE)
    a = float(np.clip(a, bb / np.tan(high), bb / np.tan(low)))
    return lab_to_srgb(light + lighter, a, bb)


def lab_to_srgb(light: float, a: float, b: float) -> RGB:
    """CIELAB (D65) to sRGB 0-1, clipped to the gamut."""
    fy = (light + 16.0) / 116.0
    f = np.array([fy + a / 500.0, fy, fy - b / 200.0])
    xyz = np.where(f > 6 / 29, f**3, 3 * (6 / 29) ** 2 * (f - 4 / 29)) * _D65
    linear = np.clip(_XYZ_TO_RGB @ xyz, 0.0, 1.0)
    srgb = np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)
    r, g, bl = (float(c) for c in srgb)
    return (r, g, bl)


def srgb_to_lab(rgb: RGB | np.ndarray) -> np.ndarray:
    """sRGB 0-1 (one colour or an array of them, last axis RGB) to CIELAB (D65)."""
    xyz = lin(rgb) @ _RGB_TO_XYZ.T / _D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack(
        [
            116.0 * f[..., 1] - 16.0,
            500.0 * (f[..., 0] - f[..., 1]),
            200.0 * (f[..., 1] - f[..., 2]),
        ],
        axis=-1,
    )


_D65 = np.array([0.95047, 1.0, 1.08883])
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_XYZ_TO_RGB = np.linalg.inv(_RGB_TO_XYZ)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    r, g, bl = (x + (y - x) * t for x, y in zip(a, b, strict=True))
    return (r, g, bl)


def scale(rgb: RGB, factors: RGB | float) -> RGB:
    if isinstance(factors, float | int):
        factors = (float(factors),) * 3
    r, g, b = (min(1.0, c * f) for c, f in zip(rgb, factors, strict=True))
    return (r, g, b)


def jitter(rgb: RGB, rng: np.random.Generator, amount: float) -> RGB:
    """A near colour: each variation mixes its own shade of the same named colour."""
    # Mostly lighter or darker, a little warmer or cooler: a hue drift turns white hair mint.
    shift = rng.normal(0.0, amount * 0.3, 3) + rng.normal(0.0, amount)
    r, g, b = (float(np.clip(c * (1 + s), 0.0, 1.0)) for c, s in zip(rgb, shift, strict=True))
    return (r, g, b)


def natural_lip(skin: RGB, depth: float) -> RGB:
    """Unpainted lips: the skin, redder and darker; browner and deeper on deep skin."""
    rose = mix((0.86, 0.4, 0.42), (0.44, 0.17, 0.16), depth)
    return mix(scale(skin, 0.92), rose, 0.7)
