"""What every engine does to its image before handing it back.

Engines return whatever their model drew, at whatever pixels it chose; drafts must be exactly
the requested size and format, carry no metadata, and (when asked) a visible AI disclosure.
Decoding an engine's bytes is done with the same care as a user upload: a compromised or buggy
engine must not be able to hand us a decompression bomb or an exotic format.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont, ImageOps

from identities.engines.base import FORMATS, EngineError, RenderRequest, RenderResult
from identities.engines.sizes import pixel_size
from identities.imaging import ImageError, load_image

JPEG_QUALITY = 92
# The largest tier is about 17.3 Mpx (4K 16:9); under four times that leaves room for an
# engine that over-renders, and stops a bomb well before memory trouble.
MAX_ENGINE_PIXELS = 64_000_000

WATERMARK_TEXT = "AI-generated"


def encode_image(img: Image.Image, format: str) -> bytes:
    """RGB bytes in `format` ("jpg" | "png") with no EXIF, ICC or text chunks."""
    if format not in FORMATS:
        raise ValueError(f"unknown output format {format!r}")
    # A fresh image carries no `info`, so nothing the source had (EXIF, ICC, XMP,
    # PNG text) can reach the encoder.
    clean = Image.new("RGB", img.size)
    clean.paste(img if img.mode == "RGB" else img.convert("RGB"))
    buffer = io.BytesIO()
    if format == "jpg":
        clean.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        clean.save(buffer, "PNG")
    return buffer.getvalue()


def fit_to(img: Image.Image, width: int, height: int) -> Image.Image:
    """Cover-resize and centre-crop to exactly width x height."""
    if img.size == (width, height):
        return img.copy()
    return ImageOps.fit(img, (width, height), Image.Resampling.LANCZOS, centering=(0.5, 0.5))


def apply_ai_watermark(img: Image.Image) -> Image.Image:
    """A new image with a small "AI-generated" label baked into the bottom-right corner.

    Sized from the shorter side so it reads the same on a 1K thumbnail and a 4K print, and
    drawn white on a translucent dark plate so it stays legible on any background.
    """
    base = img if img.mode == "RGB" else img.convert("RGB")
    short_side = min(base.size)
    font_size = max(11, round(short_side * 0.022))
    font = ImageFont.load_default(size=font_size)
    left, top, right, bottom = font.getbbox(WATERMARK_TEXT)
    pad = max(3, round(font_size * 0.45))
    margin = max(4, round(font_size * 0.6))
    plate_w = right - left + 2 * pad
    plate_h = bottom - top + 2 * pad
    x0 = max(0, base.width - margin - plate_w)
    y0 = max(0, base.height - margin - plate_h)

    # Composite only the plate's box: a full-frame RGBA pass costs most of a second at 4K.
    box = (x0, y0, min(base.width, x0 + plate_w + 1), min(base.height, y0 + plate_h + 1))
    patch = base.crop(box).convert("RGBA")
    overlay = Image.new("RGBA", patch.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rounded_rectangle((0, 0, plate_w, plate_h), radius=pad, fill=(0, 0, 0, 150))
    draw.text((pad - left, pad - top), WATERMARK_TEXT, font=font, fill=(255, 255, 255))
    marked = base.copy()
    marked.paste(Image.alpha_composite(patch, overlay).convert("RGB"), box[:2])
    return marked


def decode_engine_image(data: bytes, *, engine: str) -> Image.Image:
    """An RGB image from an engine's bytes; EngineError("bad_response") for anything else.

    Engine output gets the same care as an upload (formats, pixel cap, bomb check, colour
    management), so it goes through the one decoder for untrusted images.
    """
    try:
        return load_image(data, max_pixels=MAX_ENGINE_PIXELS)
    except ImageError as exc:
        raise EngineError("bad_response", f"unusable image: {exc}", engine=engine) from exc


def finish_render(
    img: Image.Image, request: RenderRequest, *, engine: str, details: dict | None = None
) -> RenderResult:
    """The requested pixels and format, watermarked when asked: every engine's last step."""
    width, height = pixel_size(request.size, request.ar)
    fitted = fit_to(img, width, height)
    if request.watermark:
        fitted = apply_ai_watermark(fitted)
    return RenderResult(
        image=encode_image(fitted, request.format),
        format=request.format,
        width=width,
        height=height,
        engine=engine,
        seed=request.seed,
        details=dict(details or {}),
    )
