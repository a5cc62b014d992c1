"""`mobile_stylegan` on-model: the identity's own stored latent, edited for what the prompt asks.

The identity keeps the W+ latent its portrait was drawn from (`render_details["latent"]`,
migration 0016). A new picture of that person is the same latent moved along the fitted
directions (engines/stylegan/directions.py) for what the prompt asks that the generator can
express — a smile or a serious face, a slight head turn, an older or younger face, a lighter or
darker backdrop — while every direction that carries who the person is (gender, skin, hair,
beard, and age unless asked) is held where it was: the move is the smallest one that reaches
the asked labels with the held ones unchanged. Lighting is a colour grade of the picture. The
output's seed adds a small variation (a touch of expression and turn, the finest layers'
texture), so four pictures of one person are not four copies.

Non-commercial weights, like the draft engine: only when CASTLESS_ENABLE_MOBILE_STYLEGAN is set.
Head-and-shoulders only, 1K only, the ratios a crop of the 1024² picture reaches.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from identities.engines.base import EngineError, RenderResult
from identities.engines.onmodel import OnModelCapabilities, OnModelRequest, refusals
from identities.engines.onmodel_prompt import COLOURS, PromptAsks, lighting_grade, read_prompt
from identities.engines.output import encode_image, fit_to
from identities.engines.sizes import pixel_size
from identities.engines.stylegan.engine import (
    NAME,
    RATIOS,
    WEIGHTS_NOTICE,
    crop_to_ratio,
    enabled,
)
from identities.engines.stylegan.model import NATIVE_SIZE, runtime_installed

ENGINE_VERSION = "onmodel-mobile_stylegan-1"
# The largest edit, as a multiple of the style space's spread (the draft nudge's limit).
# Edits of one latent measured 0.68–0.97 SFace cosine to the original (FINDINGS.md).
MAX_EDIT = 0.45
# What carries who the person is: held at its current prediction by every edit.
HELD = ("male", "skin_ita", "skin_l", "hair_l", "hair_a", "hair_b", "beard", "eyes_l")
YAW_SLIGHT = 0.2  # label units (face widths, as predicted): reads back as a 0.05–0.07 turn
AGE_STEP = {1: 12.0, -1: -8.0}
ADULT_FLOOR = 26.0
BACKDROP_LIGHT = {"light": 85.0, "pale": 85.0, "bright": 88.0, "dark": 25.0}
# Per-output variation: expression and turn jitter (label units) and fine-layer texture.
SMILE_JITTER = 0.012
YAW_JITTER = 0.025
FINE_LAYERS = slice(16, 23)
FINE_JITTER = 0.04  # of each axis's spread
_KEPT = "face_reference_mode match_reference keeps the portrait's"


class StyleGANOnModel:
    name = NAME
    capabilities = OnModelCapabilities(
        framings=frozenset({"head_and_shoulders"}),
        max_products=0,
        pose_reference=False,
        resolutions=frozenset({"1k"}),
        aspect_ratios=RATIOS,
        face_reference_max_resolution="1k",
        external=False,
        label="Photoreal preview (mobile_stylegan, non-commercial weights)",
        identity_engines=frozenset({NAME}),
    )

    def is_configured(self) -> bool:
        return enabled() and runtime_installed()

    def render_on_model(self, request: OnModelRequest) -> RenderResult:
        asks = read_prompt(request.prompt)
        self._check(request, asks)
        from identities.engines.stylegan.model import ModelUnavailable, get_generator

        try:
            generator = get_generator()
            base = self._base_latent(request)
        except ModelUnavailable as error:
            raise EngineError("config", str(error), engine=self.name) from error
        keep = request.face_reference_mode == "match_reference" and bool(request.latent)
        styles, edits, not_drawn = edit_latent(
            base, asks, seed=request.output_seed, keep_expression=keep
        )
        pixels = generator.synthesize(styles)
        if asks.lighting:
            gain, exposure = lighting_grade(asks.lighting)
            graded = pixels.astype(np.float32) * np.asarray(gain, np.float32) * exposure
            pixels = np.clip(graded + 0.5, 0, 255).astype(np.uint8)
            edits.append(f"lighting: {asks.lighting} (colour grade)")
        width, height = pixel_size("1K", request.aspect_ratio)
        picture, crop = crop_to_ratio(Image.fromarray(pixels), width / height, _face_box(pixels))
        upscale = max(width / picture.width, height / picture.height)
        from identities.engines.stylegan.latent import encode_latent

        details = {
            "engine_version": ENGINE_VERSION,
            "framing": "head_and_shoulders",
            "edits": edits,
            "not_drawn": not_drawn + list(asks.undrawable) + _products(request, asks),
            "non_commercial": True,
            "weights": WEIGHTS_NOTICE,
            "native_size": [NATIVE_SIZE, NATIVE_SIZE],
            "crop": list(crop),
            "upscaled": round(upscale, 3) if upscale > 1.001 else None,
            "latent": encode_latent(styles),
        }
        data_format = "jpg" if request.output_format == "jpeg" else "png"
        return RenderResult(
            image=encode_image(fit_to(picture, width, height), data_format),
            format=request.output_format,
            width=width,
            height=height,
            engine=self.name,
            seed=request.output_seed,
            details=details,
        )

    def _check(self, request: OnModelRequest, asks: PromptAsks) -> None:
        if not enabled():
            raise EngineError(
                "config", "mobile_stylegan is not enabled on this server", engine=self.name
            )
        needs = {
            "framing": asks.framing,
            "products": len(request.products),
            "pose": request.pose is not None,
            "resolution": request.resolution,
            "aspect_ratio": request.aspect_ratio,
        }
        problems = refusals(self.capabilities, needs)
        if request.identity_code and not request.latent:
            problems.append(("identity_code", "this identity has no stored latent to draw from"))
        if request.output_format not in ("png", "jpeg"):
            problems.append(("output_format", "mobile_stylegan writes png or jpeg"))
        if problems:
            raise EngineError("invalid", "; ".join(m for _, m in problems), engine=self.name)

    def _base_latent(self, request: OnModelRequest) -> np.ndarray:
        from identities.engines.stylegan.latent import decode_latent

        if request.latent:
            try:
                return decode_latent(request.latent)
            except (ValueError, KeyError, TypeError) as error:
                raise EngineError(
                    "invalid", f"unusable latent: {error}", engine=self.name
                ) from error
        # No identity: the person the prompt describes, found as a draft would be.
        from identities.engines.stylegan.draw import draw_draft
        from identities.engines.stylegan.engine import CANDIDATES, MAX_RENDERS
        from identities.renderer import brief_from_prompt

        brief = brief_from_prompt(request.prompt.replace("$model", "a model"))
        drawn = draw_draft(
            brief,
            seed=request.output_seed,
            variation=0,
            candidates=CANDIDATES,
            max_renders=MAX_RENDERS,
        )
        return drawn.styles


def edit_latent(
    styles: np.ndarray, asks: PromptAsks, *, seed: int, keep_expression: bool = False
) -> tuple[np.ndarray, list[str], list[str]]:
    """The identity's W+ latent moved for `asks` (+ the seed's small variation): the edited
    23 x 512 styles, the edits applied and what was asked but cannot be expressed.

    keep_expression (face_reference_mode "match_reference": the portrait's pose, gaze and
    expression): smile and turn stay the portrait's, and an asked change is reported instead."""
    from identities.engines.stylegan.directions import load_directions
    from identities.engines.stylegan.latent import as_layers

    directions = load_directions()
    styles = np.asarray(as_layers(styles), dtype=np.float64)
    predicted = directions.predict(styles.mean(axis=0))[0]
    rng = np.random.default_rng(np.random.SeedSequence([seed & 0xFFFFFFFF, 0x0E0D]))
    targets: dict[str, float] = {}
    edits: list[str] = []
    not_drawn: list[str] = []

    def current(label: str) -> float:
        return float(predicted[directions.index(label)])

    if keep_expression:
        targets["smile"], targets["yaw"] = current("smile"), current("yaw")
        if asks.smile:
            not_drawn.append(f"expression: {_KEPT} expression")
        if asks.yaw:
            not_drawn.append(f"pose: head turned {asks.yaw} ({_KEPT} pose)")
    elif asks.smile:
        which = 2 if asks.smile > 0 else 0
        targets["smile"] = directions.quantile("smile", which)
        edits.append("expression: smiling" if asks.smile > 0 else "expression: serious")
    else:
        targets["smile"] = current("smile") + float(rng.uniform(-1, 1)) * SMILE_JITTER
    if asks.yaw and not keep_expression:
        sign = {"left": -1.0, "right": 1.0}.get(asks.yaw, float(rng.choice((-1.0, 1.0))))
        targets["yaw"] = sign * YAW_SLIGHT
        edits.append(f"pose: head turned slightly {asks.yaw}")
    elif not keep_expression:
        targets["yaw"] = current("yaw") + float(rng.uniform(-1, 1)) * YAW_JITTER
    if asks.age:
        targets["age"] = max(current("age") + AGE_STEP[asks.age], ADULT_FLOOR)
        edits.append("age: " + ("older" if asks.age > 0 else "younger"))
    if asks.backdrop:
        light = _backdrop_lightness(asks.backdrop)
        targets["bg_l"] = light
        edits.append(f"backdrop: {asks.backdrop} (lightness)")
        if asks.backdrop not in BACKDROP_LIGHT and asks.backdrop not in ("white", "black", "grey"):
            not_drawn.append(f"backdrop colour: {asks.backdrop} (only its lightness)")
    if asks.outfit:
        not_drawn.append(f"outfit: {' '.join(asks.outfit)}")
    held = {label: current(label) for label in HELD}
    if "age" not in targets:
        held["age"] = current("age")
    move = _smallest_move(directions, predicted, {**held, **targets})
    edited = styles + move
    spread = _style_std()
    edited[FINE_LAYERS] += rng.standard_normal((7, styles.shape[1])) * spread * FINE_JITTER
    return edited.astype(np.float32), edits, not_drawn


def _smallest_move(directions, predicted: np.ndarray, targets: dict[str, float]) -> np.ndarray:
    # Unit rows (gaps in style-space distance): the labels' scales differ by 400x, and a damped
    # solve on raw rows would all but ignore the small-scale ones (smile, yaw).
    from identities.engines.stylegan.directions import smallest_move

    rows, gaps = [], []
    for label, value in targets.items():
        index = directions.index(label)
        norm = float(np.linalg.norm(directions.coef[index]))
        rows.append(directions.coef[index] / norm)
        gaps.append((value - predicted[index]) / norm)
    matrix, gap = np.array(rows), np.array(gaps)
    return smallest_move(matrix, gap, limit=MAX_EDIT * directions.spread)


def _style_std() -> np.ndarray:
    from identities.engines.stylegan.directions import DIRECTIONS_FILE

    with np.load(DIRECTIONS_FILE) as data:
        return data["style_std"].astype(np.float64)


def _backdrop_lightness(word: str) -> float:
    if word in BACKDROP_LIGHT:
        return BACKDROP_LIGHT[word]
    red, green, blue = COLOURS.get(word, (0.7, 0.7, 0.7))
    # Rec. 709 luma of the sRGB colour, as a rough L* (0–100).
    return float(100.0 * (0.2126 * red + 0.7152 * green + 0.0722 * blue))


def _face_box(pixels: np.ndarray) -> tuple[float, float, float, float] | None:
    from identities.faces import get_face_analyzer

    faces = get_face_analyzer().detect(np.ascontiguousarray(pixels[:, :, ::-1]))
    return tuple(float(v) for v in faces[0].bbox) if faces else None


def _products(request: OnModelRequest, asks: PromptAsks) -> list[str]:
    if asks.products or request.products:
        return ["product: $product (mobile_stylegan cannot place products)"]
    return []
