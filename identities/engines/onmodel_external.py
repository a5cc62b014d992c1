"""External on-model engines: model-create, Gemini image and Seedream, through their clients.

- model-create takes the identity's portrait as `face_reference` (with `face_reference_mode`)
  and a pose/composition picture as `image_reference`; it takes no product images, and a face
  reference caps it at 2k (the reference's rule).
- Gemini image and Seedream take numbered reference images: the portrait first, then the
  products, then the pose. The prompt is rewritten so the engine knows which image is which:
  "$model wearing $product" → "the person in image 1 wearing the garment in image 2", with a
  closing line for the pose and for products the prompt did not place.

The HTTP work (retries, errors, moderation, decoding) is the draft engines' own
(`engines/gemini.py`, `seedream.py`, `modelcreate.py`); only the request differs.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from identities.engines.base import ASPECT_RATIOS, EngineError, RenderRequest, RenderResult
from identities.engines.gemini import GeminiEngine
from identities.engines.http import data_uri
from identities.engines.modelcreate import ModelCreateEngine
from identities.engines.onmodel import FRAMINGS, OnModelCapabilities, OnModelRequest, refusals
from identities.engines.onmodel_prompt import framing_from_prompt
from identities.engines.seedream import SeedreamEngine

_MODEL = re.compile(r"\$model\b")
_PRODUCT = re.compile(r"\$product\b")
_ALL = frozenset({"1k", "2k", "4k"})
# The portrait, three products and a pose: what the multi-image engines are sent at most.
_MAX_REFERENCES = 5
_KEEP_FACE = {
    "match_base": (
        "Keep the face and identity of the person in image 1 exactly; follow the prompt for "
        "pose and expression."
    ),
    "match_reference": (
        "Keep the face, identity, pose, gaze and expression of the person in image 1 as close "
        "as possible."
    ),
}


def _numbered(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"image {numbers[0]}"
    return "images " + ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"


def numbered_prompt(request: OnModelRequest) -> tuple[str, list[str]]:
    """The prompt with `$model` / `$product` naming the reference images, and each image's role
    in order ("person", "product", "pose")."""
    roles: list[str] = []
    if request.face is not None:
        roles.append("person")
    roles += ["product"] * len(request.products)
    if request.pose is not None:
        roles.append("pose")
    person = "the person in image 1" if request.face is not None else "a fashion model"
    text = _MODEL.sub(person, request.prompt)
    products = [i + 1 for i, role in enumerate(roles) if role == "product"]
    mentions = len(_PRODUCT.findall(text))
    if products and mentions == len(products):
        numbers = iter(products)
        text = _PRODUCT.sub(lambda _: f"the garment in image {next(numbers)}", text)
    elif products and mentions:
        text = _PRODUCT.sub(f"the garments in {_numbered(products)}", text)
    else:
        text = _PRODUCT.sub("the garment", text)
    lines = [text.strip()]
    if products and not mentions:
        garments = "the garment" if len(products) == 1 else "the garments"
        lines.append(f"The person wears {garments} shown in {_numbered(products)}.")
    if request.face is not None:
        lines.append(_KEEP_FACE.get(request.face_reference_mode, _KEEP_FACE["match_reference"]))
    if request.pose is not None:
        lines.append(f"Match the pose and composition of image {len(roles)}.")
    return "\n".join(lines), roles


class _External:
    """What the three share: the check, the request for the draft client, the result."""

    name = ""
    capabilities: OnModelCapabilities
    client_class: type

    def is_configured(self) -> bool:
        return self.client_class().is_configured()

    def render_on_model(self, request: OnModelRequest) -> RenderResult:
        framing = framing_from_prompt(request.prompt)
        needs = {
            "framing": framing,
            "products": len(request.products),
            "pose": request.pose is not None,
            "resolution": request.resolution,
            "aspect_ratio": request.aspect_ratio,
            "face_locked": request.face is not None,
        }
        problems = refusals(self.capabilities, needs)
        if request.output_format not in ("png", "jpeg"):
            problems.append(("output_format", "output_format is png or jpeg"))
        if problems:
            raise EngineError("invalid", "; ".join(m for _, m in problems), engine=self.name)
        prompt, roles, references = self._prompt_and_references(request)
        result = self.client(request).render(
            RenderRequest(
                prompt=prompt,
                brief={},
                expert=True,
                size=request.resolution.upper(),
                ar=request.aspect_ratio,
                format="jpg" if request.output_format == "jpeg" else "png",
                seed=request.output_seed,
                references=references,
            )
        )
        details = {
            **result.details,
            "framing": framing or "as prompted",
            "edits": [],
            "not_drawn": [],
            "non_commercial": False,
            "prompt_sent": prompt,
            "references": roles,
        }
        return replace(result, format=request.output_format, details=details)

    def _prompt_and_references(self, request: OnModelRequest):
        prompt, roles = numbered_prompt(request)
        references = tuple(
            ([request.face] if request.face is not None else [])
            + list(request.products)
            + ([request.pose] if request.pose is not None else [])
        )
        return prompt, roles, references

    def client(self, request: OnModelRequest):
        return self.client_class()


class _GeminiClient(GeminiEngine):
    capabilities = replace(GeminiEngine.capabilities, max_input_assets=_MAX_REFERENCES)


class _SeedreamClient(SeedreamEngine):
    capabilities = replace(SeedreamEngine.capabilities, max_input_assets=_MAX_REFERENCES)


def _multi_image(label: str) -> OnModelCapabilities:
    return OnModelCapabilities(
        framings=frozenset(FRAMINGS),
        max_products=3,
        pose_reference=True,
        resolutions=_ALL,
        aspect_ratios=frozenset(ASPECT_RATIOS),
        face_reference_max_resolution="4k",
        external=True,
        label=label,
    )


class GeminiOnModel(_External):
    name = "nano_banana_pro"
    capabilities = _multi_image("Gemini image (Google)")
    client_class = _GeminiClient


class SeedreamOnModel(_External):
    name = "seedream"
    capabilities = _multi_image("Seedream (ByteDance)")
    client_class = _SeedreamClient


class _ModelCreateClient(ModelCreateEngine):
    """The draft client, sending the face as `face_reference` and the pose as `image_reference`."""

    def __init__(self, request: OnModelRequest, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._onmodel = request

    def _inputs(self, request: RenderRequest) -> dict[str, Any]:
        inputs = super()._inputs(request)
        inputs["generation_mode"] = self._onmodel.generation_mode
        if self._onmodel.face is not None:
            inputs["face_reference"] = data_uri(self._onmodel.face)
            inputs["face_reference_mode"] = self._onmodel.face_reference_mode
        return inputs


class ModelCreateOnModel(_External):
    name = "model_create"
    capabilities = OnModelCapabilities(
        framings=frozenset(FRAMINGS),
        max_products=0,
        pose_reference=True,
        resolutions=_ALL,
        aspect_ratios=frozenset(ASPECT_RATIOS),
        face_reference_max_resolution="2k",
        external=True,
        label="Model Create",
    )
    client_class = ModelCreateEngine

    def _prompt_and_references(self, request: OnModelRequest):
        # The face travels as face_reference; the prompt names the person plainly.
        prompt = _MODEL.sub("the model", request.prompt).strip()
        roles = (["face_reference"] if request.face is not None else []) + (
            ["image_reference"] if request.pose is not None else []
        )
        references = (request.pose,) if request.pose is not None else ()
        return prompt, roles, references

    def client(self, request: OnModelRequest):
        return _ModelCreateClient(request)
