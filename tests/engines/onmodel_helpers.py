"""Building on-model requests in tests, and the local protocol servers the external engines call."""

from __future__ import annotations

import io

from PIL import Image

from identities.engines.base import Reference
from identities.engines.onmodel import OnModelRequest
from tests.identities.fakes.images import BLUE, RED, image_bytes

BRIEF = {
    "appearance": {"gender": "female", "age": 28, "skin": "light"},
    "face": {"eyes": "pale blue", "marks": "light freckles"},
    "hair": {"color": "ash blonde", "length": "long", "style": "wavy"},
}


def ref(color=BLUE, size=(64, 80)) -> Reference:
    return Reference(data=image_bytes(*size, color, "JPEG"), mime_type="image/jpeg")


def onmodel_request(**overrides) -> OnModelRequest:
    fields = {
        "prompt": "$model, studio portrait",
        "identity_code": "ident0000001",
        "face": None,
        "traits": BRIEF,
        "latent": None,
        "products": (),
        "pose": None,
        "face_reference_mode": "match_base",
        "aspect_ratio": "3:4",
        "resolution": "1k",
        "generation_mode": "balanced",
        "output_format": "png",
        "seed": 42,
        "index": 0,
        "identity_seed": 77,
        "identity_variation": 0,
    }
    fields.update(overrides)
    return OnModelRequest(**fields)


def pixels(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


__all__ = ["BLUE", "BRIEF", "RED", "onmodel_request", "pixels", "ref"]
