"""Castless's in-house portrait painter: a brief in, a front-facing head-and-shoulders portrait
out, with numpy, OpenCV's drawing primitives and Pillow. No model, no network.

    portrait = render_portrait(brief, seed=7, variation=0, width=1024, height=1024)
    portrait.image  # PIL RGB image, exactly width x height
    portrait.details  # what was drawn (and which fields a portrait cannot show)

Deterministic: the same brief, seed, variation and size give the same pixels; each variation
is a different face that honours every stated field. See README.md for the field mapping.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from identities.renderer.describe import describe
from identities.renderer.portrait import paint_portrait
from identities.renderer.prompt import brief_from_prompt
from identities.renderer.traits import NOT_DEPICTED, Traits, build_traits
from identities.renderer.traits.model import Dice

__all__ = [
    "NOT_DEPICTED",
    "Portrait",
    "brief_from_prompt",
    "build_traits",
    "render_portrait",
]

# Bumped whenever a change alters the pixels a given brief and seed produce.
RENDERER_VERSION = "castless-portrait-5"
# Larger pictures are painted at this long side and scaled up: the painting has no detail
# finer than a 2K canvas holds (strands and lashes are drawn wider as the canvas grows), and
# painting 4K natively would take four times as long for the same picture.
MAX_PAINT_SIDE = 2816


@dataclass(frozen=True)
class Portrait:
    image: Image.Image
    traits: Traits
    details: dict


def render_portrait(
    brief: dict | None, *, seed: int, variation: int = 0, width: int, height: int
) -> Portrait:
    """Paint the brief's portrait at exactly `width` x `height` pixels."""
    if width < 64 or height < 64:
        raise ValueError("a portrait needs at least 64 x 64 pixels")
    traits = build_traits(brief, seed=seed, variation=variation)
    scale = min(1.0, MAX_PAINT_SIDE / max(width, height))
    paint_w, paint_h = round(width * scale), round(height * scale)
    image = paint_portrait(traits, width=paint_w, height=paint_h, dice=Dice(seed, variation))
    if image.size != (width, height):
        # OpenCV's bicubic: Pillow's Lanczos costs over a second at 4K for no visible gain.
        pixels = cv2.resize(np.asarray(image), (width, height), interpolation=cv2.INTER_CUBIC)
        image = Image.fromarray(pixels, "RGB")
    details = {
        "renderer": RENDERER_VERSION,
        "variation": variation,
        "drawn": describe(traits),
        "not_depicted": list(traits.not_depicted),
    }
    return Portrait(image=image, traits=traits, details=details)
