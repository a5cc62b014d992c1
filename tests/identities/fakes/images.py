"""Tiny images for fake engines to return, and ways to look at what an engine gave back."""

from __future__ import annotations

import base64
import io

from PIL import Image

from identities.engines.base import Reference, RenderRequest

RED = (200, 40, 40)
BLUE = (40, 60, 200)


def image_bytes(
    width: int, height: int, color: tuple[int, int, int] = RED, fmt: str = "PNG"
) -> bytes:
    """A solid image with a white square in the middle (so a crop is visible)."""
    img = Image.new("RGB", (width, height), color)
    side = max(2, min(width, height) // 4)
    left, top = (width - side) // 2, (height - side) // 2
    img.paste((255, 255, 255), (left, top, left + side, top + side))
    buffer = io.BytesIO()
    img.save(buffer, fmt)
    return buffer.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def data_uri(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{b64(data)}"


def open_image(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def render_request(**overrides: object) -> RenderRequest:
    fields: dict[str, object] = {
        "prompt": "Front-facing studio portrait of a woman in her thirties, short dark hair",
        "brief": {"appearance": {"gender": "woman", "age": "30s"}, "hair": {"length": "short"}},
        "expert": False,
        "size": "1K",
        "ar": "1:1",
        "format": "jpg",
        "seed": 1234,
    }
    fields.update(overrides)
    return RenderRequest(**fields)  # type: ignore[arg-type]


def reference(color: tuple[int, int, int] = BLUE) -> Reference:
    return Reference(data=image_bytes(64, 80, color, "JPEG"), mime_type="image/jpeg")
