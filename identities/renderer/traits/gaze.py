"""Where the eyes look: at the camera, unless the brief sends them off it."""

from __future__ import annotations

import numpy as np

from identities.renderer.words import has

# Phrases that send the eyes off the camera; the head stays square to it (the standard
# front-facing portrait), only the irises turn.
_AWAY = (
    "looking away",
    "looking to the side",
    "looking sideways",
    "looking off camera",
    "off camera",
    "looking off",
    "side glance",
    "sideways glance",
    "glancing",
    "glance",
    "averted",
    "gaze to the",
    "gazing to the",
    "looking to the left",
    "looking to the right",
    "looking left",
    "looking right",
    "looking to her",
    "looking to his",
    "looking to their",
    "eyes to the",
)


def read_gaze(words: str, rng: np.random.Generator) -> float:
    """The irises' shift in eye half-widths, towards the image's right when positive.

    Left and right are the subject's: "looking to her left" turns the eyes to the image's
    right, as the sitter faces the camera. With no side named the eyes go either way.
    """
    if not has(words, *_AWAY):
        return float(rng.normal(0.0, 0.03))
    side = 1.0 if rng.random() < 0.5 else -1.0
    if has(words, "left"):
        side = 1.0
    elif has(words, "right"):
        side = -1.0
    # Far enough to read at a glance, short of hiding the iris in the corner of the eye.
    return side * float(rng.uniform(0.36, 0.42))
