"""The in-house painter on-model: the identity's own painted face, dressed and lit by the prompt.

The face is the identity's: its brief painted with the seed and variation it was promoted from
(every face, hair and mark stream of the renderer's dice), so the same person comes back. The
run's seed drives only what changes between pictures of one person: the wall's mottle and the
cloth's weave. From the prompt it takes what a painted head-and-shoulders study can show: the
outfit colour ("a red dress" → a red top), the backdrop colour, a smile or a serious face, and a
lighting grade. Everything else it recognises is listed as not drawn.

It paints with the renderer's own `paint_portrait`, asking it for the wall's and the top's
colour.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from identities.engines.base import ASPECT_RATIOS, EngineError, RenderResult
from identities.engines.onmodel import (
    EXPERT_PROMPT,
    OnModelCapabilities,
    OnModelRequest,
    refusals,
)
from identities.engines.onmodel_prompt import COLOURS, PromptAsks, lighting_grade, read_prompt
from identities.engines.output import encode_image
from identities.engines.sizes import pixel_size

NAME = "local"
ENGINE_VERSION = "onmodel-painter-1"
# Streams of the renderer's dice that belong to the picture, not to the person.
_PICTURE_STREAMS = frozenset({"paint.wall", "paint.body"})
_LIGHT_BACKDROPS = {"light": "cream", "pale": "ivory", "bright": "white", "dark": "charcoal"}


class _Dice:
    """The identity's dice for the person, the run's for the picture."""

    def __init__(self, person, picture):
        self._person, self._picture = person, picture

    def rng(self, name: str) -> np.random.Generator:
        return (self._picture if name in _PICTURE_STREAMS else self._person).rng(name)


class PainterOnModel:
    name = NAME
    capabilities = OnModelCapabilities(
        framings=frozenset({"head_and_shoulders"}),
        max_products=0,
        pose_reference=False,
        resolutions=frozenset({"1k", "2k", "4k"}),
        aspect_ratios=frozenset(ASPECT_RATIOS),
        face_reference_max_resolution="4k",
        external=False,
        label="In-house painter",
        identity_engines=frozenset({"local", "orbita"}),
    )

    def is_configured(self) -> bool:
        return True

    def render_on_model(self, request: OnModelRequest) -> RenderResult:
        asks = read_prompt(request.prompt)
        self._check(request, asks)
        width, height = pixel_size(request.resolution.upper(), request.aspect_ratio)
        brief, edits, not_drawn = _brief_and_edits(request, asks)
        image = _paint(request, brief, asks, width=width, height=height)
        data_format = "jpg" if request.output_format == "jpeg" else "png"
        details = {
            "engine_version": ENGINE_VERSION,
            "framing": "head_and_shoulders",
            "edits": edits,
            "not_drawn": not_drawn,
            "non_commercial": False,
            "identity_seed": _person_seed(request),
            "identity_variation": request.identity_variation,
        }
        return RenderResult(
            image=encode_image(image, data_format),
            format=request.output_format,
            width=width,
            height=height,
            engine=self.name,
            seed=request.output_seed,
            details=details,
        )

    def _check(self, request: OnModelRequest, asks: PromptAsks) -> None:
        needs = {
            "framing": asks.framing,
            "products": len(request.products),
            "pose": request.pose is not None,
            "resolution": request.resolution,
            "aspect_ratio": request.aspect_ratio,
            "face_locked": False,
        }
        problems = refusals(self.capabilities, needs)
        if request.output_format not in ("png", "jpeg"):
            problems.append(("output_format", "the painter writes png or jpeg"))
        if problems:
            raise EngineError("invalid", "; ".join(m for _, m in problems), engine=self.name)


def _person_seed(request: OnModelRequest) -> int:
    if request.identity_seed is not None:
        return int(request.identity_seed) & 0xFFFFFFFF
    return request.output_seed


def _brief_and_edits(request: OnModelRequest, asks: PromptAsks) -> tuple[dict, list, list]:
    from identities.renderer import brief_from_prompt

    traits = request.traits or {}
    brief = {key: dict(value) for key, value in traits.items() if isinstance(value, dict)}
    if isinstance(traits.get(EXPERT_PROMPT), str):
        # Painted from an expert prompt, as the in-house engine reads one.
        brief = brief_from_prompt(traits[EXPERT_PROMPT])
    elif not brief and request.identity_code is None:
        # No identity: the person the prompt describes, as the painter reads an expert prompt.
        brief = brief_from_prompt(request.prompt.replace("$model", "a model"))
    edits: list[str] = []
    not_drawn = list(asks.undrawable)
    if asks.smile and request.face_reference_mode == "match_reference" and request.identity_code:
        not_drawn.append(
            "expression: face_reference_mode match_reference keeps the portrait's expression"
        )
    elif asks.smile:
        face = brief.setdefault("face", {})
        face["smile"] = "wide smile" if asks.smile > 0 else "no smile"
        edits.append("expression: smiling" if asks.smile > 0 else "expression: serious")
    if asks.outfit:
        colour, garment = asks.outfit
        edits.append(f"outfit colour: {colour}")
        if garment not in ("top", "t-shirt", "tee", "outfit", "clothes", "knit", "sweater"):
            not_drawn.append(f"outfit: {garment} (drawn as a plain {colour} top)")
    if asks.backdrop:
        edits.append(f"backdrop: {asks.backdrop}")
    if asks.lighting:
        edits.append(f"lighting: {asks.lighting} (colour grade)")
    if asks.yaw:
        not_drawn.append(f"pose: head turned {asks.yaw} (the painter draws front-facing)")
    if asks.age:
        not_drawn.append("age: " + ("older" if asks.age > 0 else "younger"))
    if asks.products or request.products:
        not_drawn.append("product: $product (the painter cannot place products)")
    return brief, edits, not_drawn


def _paint(request: OnModelRequest, brief: dict, asks: PromptAsks, *, width: int, height: int):
    import cv2

    from identities.renderer import MAX_PAINT_SIDE
    from identities.renderer.traits import build_traits
    from identities.renderer.traits.model import Dice

    seed = _person_seed(request)
    traits = build_traits(brief, seed=seed, variation=request.identity_variation)
    dice = _Dice(Dice(seed, request.identity_variation), Dice(request.output_seed, 0))
    scale = min(1.0, MAX_PAINT_SIDE / max(width, height))
    paint_w, paint_h = round(width * scale), round(height * scale)
    pixels = np.asarray(_paint_canvas(traits, asks, paint_w, paint_h, dice))
    if (paint_w, paint_h) != (width, height):
        pixels = cv2.resize(pixels, (width, height), interpolation=cv2.INTER_CUBIC)
    gain, exposure = lighting_grade(asks.lighting)
    if asks.lighting:
        graded = pixels.astype(np.float32) * np.asarray(gain, np.float32) * exposure
        pixels = np.clip(graded + 0.5, 0, 255).astype(np.uint8)
    return Image.fromarray(np.ascontiguousarray(pixels), "RGB")


def _paint_canvas(traits, asks: PromptAsks, width: int, height: int, dice) -> Image.Image:
    from identities.renderer.palette import lin
    from identities.renderer.portrait import paint_portrait

    wall = top = None
    if asks.backdrop:
        wall = lin(COLOURS[_LIGHT_BACKDROPS.get(asks.backdrop, asks.backdrop)])
    if asks.outfit:
        top = lin(COLOURS[asks.outfit[0]])
    return paint_portrait(traits, width=width, height=height, dice=dice, wall=wall, top=top)
