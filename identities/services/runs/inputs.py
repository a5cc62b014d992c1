"""A run's `inputs`, checked and completed with the reference's defaults (seed 002).

The API and the identity page send the same keys and get the same refusals: every problem is a
`config.refusals.FieldError` on the bare input key ("num_images", "product_images[1]"), so each
edge can say which field it is about. Pure: no database, no network, no image decoding (a
reference image that does not load fails the run at runtime, as the reference reports it).
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from config.refusals import FieldError, InvalidInput

ASPECT_RATIOS = ("21:9", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "4:5", "5:4", "1:1")
RESOLUTIONS = ("1k", "2k", "4k")
GENERATION_MODES = ("fast", "balanced", "quality", "automatic")
OUTPUT_FORMATS = ("png", "jpeg")
FACE_REFERENCE_MODES = ("match_base", "match_reference")
SEED_MAX = 2**32 - 1
MAX_IMAGES = 4
MAX_PRODUCTS = 3
PROMPT_MAX_LENGTH = 2000
MODEL_TOKEN = "$model"
PRODUCT_TOKEN = "$product"

DEFAULTS: dict[str, Any] = {
    "identity_code": None,
    "face_reference": None,
    "face_reference_mode": "match_reference",
    "image_reference": None,
    "product_images": [],
    # None: inherit the image_reference's ratio (the reference's rule), else 1:1.
    "aspect_ratio": None,
    "resolution": "1k",
    "generation_mode": "automatic",
    "output_format": "png",
    "seed": 42,
    "num_images": 1,
    "return_base64": False,
    "engine": "auto",
}
KEYS = ("prompt", *DEFAULTS)

# data:image/<type>;base64,<payload> — the prefix the reference requires.
_DATA_URI = re.compile(r"^data:image/(png|jpe?g|webp);base64,(.+)$", re.S)
_URL = re.compile(r"^https?://[^\s]+$", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CODE = re.compile(r"^[a-z0-9]{12}$")
_ENGINE = re.compile(r"^[a-z0-9_]{1,32}$")
URL_MAX_LENGTH = 2000


def normalize_inputs(inputs: Any) -> dict:
    """`inputs` with every default filled in; InvalidInput naming each field that is wrong."""
    if not isinstance(inputs, dict):
        raise InvalidInput([FieldError("inputs", "inputs must be a JSON object.")])
    problems = [
        FieldError(key, f"Unknown input {key!r}; the inputs are: {', '.join(KEYS)}.")
        for key in inputs
        if key not in KEYS
    ]
    values = {**DEFAULTS, **{k: v for k, v in inputs.items() if k in KEYS and v is not None}}
    values["prompt"] = inputs.get("prompt")
    for check in _CHECKS:
        problems.extend(check(values))
    if problems:
        raise InvalidInput(problems)
    return values


def _prompt(values: dict) -> list[FieldError]:
    prompt = values["prompt"]
    if not isinstance(prompt, str) or not prompt.strip():
        return [FieldError("prompt", "prompt is required: describe the model, outfit and scene.")]
    if len(prompt) > PROMPT_MAX_LENGTH:
        return [FieldError("prompt", f"prompt is longer than {PROMPT_MAX_LENGTH} characters.")]
    if _CONTROL.search(prompt):
        return [FieldError("prompt", "prompt contains control characters.")]
    values["prompt"] = prompt.strip()
    return []


def _choices(values: dict) -> list[FieldError]:
    problems = []
    for key, allowed in (
        ("aspect_ratio", ASPECT_RATIOS),
        ("resolution", RESOLUTIONS),
        ("generation_mode", GENERATION_MODES),
        ("output_format", OUTPUT_FORMATS),
        ("face_reference_mode", FACE_REFERENCE_MODES),
    ):
        value = values[key]
        if key == "aspect_ratio" and value is None:
            continue
        if isinstance(value, str) and key != "aspect_ratio":
            value = values[key] = value.lower()
        if value not in allowed:
            problems.append(
                FieldError(key, f"{value!r} is not supported; use one of {', '.join(allowed)}.")
            )
    engine = values["engine"]
    if not isinstance(engine, str) or not _ENGINE.match(engine):
        problems.append(FieldError("engine", "engine is an engine name, or 'auto'."))
    return problems


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _numbers(values: dict) -> list[FieldError]:
    problems = []
    seed = values["seed"]
    if not _is_int(seed) or not 0 <= seed <= SEED_MAX:
        problems.append(FieldError("seed", f"seed is an integer from 0 to 2^32 - 1 ({SEED_MAX})."))
    count = values["num_images"]
    if not _is_int(count) or not 1 <= count <= MAX_IMAGES:
        problems.append(FieldError("num_images", f"num_images must be between 1 and {MAX_IMAGES}."))
    if not isinstance(values["return_base64"], bool):
        problems.append(FieldError("return_base64", "return_base64 is true or false."))
    return problems


def reference_problem(value: Any) -> str | None:
    """Why `value` is not an image URL or a prefixed base64 data-URI (None when it is)."""
    if not isinstance(value, str):
        return "Send an image URL or a base64 data-URI (data:image/png;base64,...)."
    if value.startswith("data:"):
        match = _DATA_URI.match(value)
        if match is None:
            return "A base64 image needs its prefix, e.g. data:image/jpeg;base64,<data>."
        try:
            base64.b64decode(match.group(2), validate=True)
        except (binascii.Error, ValueError):
            return "The data-URI's payload is not valid base64."
        return None
    if len(value) > URL_MAX_LENGTH or not _URL.match(value):
        return "Send an http(s) image URL or a base64 data-URI."
    return None


def _references(values: dict) -> list[FieldError]:
    problems = []
    for key in ("face_reference", "image_reference"):
        if values[key] is not None and (why := reference_problem(values[key])):
            problems.append(FieldError(key, why))
    products = values["product_images"]
    if not isinstance(products, list):
        return [*problems, FieldError("product_images", "product_images is a list of images.")]
    if len(products) > MAX_PRODUCTS:
        problems.append(
            FieldError("product_images", f"At most {MAX_PRODUCTS} product images per run.")
        )
    for i, product in enumerate(products):
        if why := reference_problem(product):
            problems.append(FieldError(f"product_images[{i}]", why))
    code = values["identity_code"]
    if code is not None and (not isinstance(code, str) or not _CODE.match(code)):
        problems.append(FieldError("identity_code", "An identity code is 12 letters or digits."))
    if code is not None and values["face_reference"] is not None:
        problems.append(
            FieldError(
                "face_reference",
                "Send identity_code or face_reference, not both: the identity is the face.",
            )
        )
    return problems


def _placeholders(values: dict) -> list[FieldError]:
    """`$model` stands for the identity, `$product` for the product images (seed 004)."""
    prompt = values["prompt"]
    if not isinstance(prompt, str):
        return []
    problems = []
    has_model = MODEL_TOKEN in prompt
    if values["identity_code"] is not None and not has_model:
        problems.append(
            FieldError(
                "prompt",
                f"Write {MODEL_TOKEN} where the identity goes, e.g. "
                f"“{MODEL_TOKEN} wearing a linen shirt, studio light”.",
            )
        )
    if has_model and values["identity_code"] is None and values["face_reference"] is None:
        problems.append(
            FieldError(
                "prompt",
                f"{MODEL_TOKEN} stands for a face: send identity_code or face_reference.",
            )
        )
    products = values["product_images"] if isinstance(values["product_images"], list) else []
    if products and PRODUCT_TOKEN not in prompt:
        problems.append(
            FieldError(
                "prompt",
                f"Write {PRODUCT_TOKEN} where the product images go, e.g. "
                f"“{MODEL_TOKEN} wearing {PRODUCT_TOKEN}”.",
            )
        )
    if PRODUCT_TOKEN in prompt and not products:
        problems.append(
            FieldError("product_images", f"The prompt names {PRODUCT_TOKEN}: add product images.")
        )
    return problems


_CHECKS = (_prompt, _choices, _numbers, _references, _placeholders)
