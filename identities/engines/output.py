"""What every engine does to its image before handing it back.

Engines return whatever their model drew, at whatever pixels it chose; drafts must be exactly
the requested size and format, carry no metadata, and (when asked) a visible AI disclosure.
Decoding an engine's bytes is done with the same care as a user upload: a compromised or buggy
engine must not be able to hand us a decompression bomb or an exotic format.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from identities.engines.base import FORMATS, EngineError, RenderRequest, RenderResult
from identities.engines.sizes import pixel_size

JPEG_QUALITY = 92
# The largest tier is about 17.3 Mpx (4K 16:9); a bit more than three times that still
# leaves room for an engine that over-renders, and stops a bomb well before memory trouble.
MAX_ENGINE_PIXELS = 64_000_000
_DECODABLE = ("JPEG", "PNG", "WEBP")
_PIL_FORMAT = {"jpg": "JPEG", "png": "PNG"}

WATERMARK_TEXT = "AI-generated"


def encode_image(img: Image.Image, format: str) -> bytes:
    """RGB bytes in `format` ("jpg" | "png") with no EXIF, ICC or text chunks."""
    if format not in FORMATS:
        raise ValueError(f"unknown output format {format!r}")
    # A fresh image carries no `info`, so nothing the source had (EXIF, ICC, XMP,
    # PNG text) can reach the encoder.
    clean = Image.new("RGB", img.size)
    clean.paste(img.convert("RGB"))
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
    """An RGB image from an engine's bytes; EngineError("bad_response") for anything else."""
    if not data:
        raise EngineError("bad_response", "the engine returned an empty image", engine=engine)
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; a warning is a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=_DECODABLE)
            if img.width * img.height > MAX_ENGINE_PIXELS:
                raise EngineError(
                    "bad_response",
                    f"the engine returned a {img.width}x{img.height} image, over the pixel cap",
                    engine=engine,
                )
            img.load()
            img = ImageOps.exif_transpose(img)
    except EngineError:
        raise
    except UnidentifiedImageError as exc:
        raise EngineError(
            "bad_response",
            "the engine returned something that is not a JPEG, PNG or WEBP image",
            engine=engine,
        ) from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise EngineError(
            "bad_response", f"refused a decompression bomb: {exc}", engine=engine
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise EngineError(
            "bad_response",
            f"the engine returned a truncated or corrupt image ({exc})",
            engine=engine,
        ) from exc
    return _flatten_to_rgb(img)


def _flatten_to_rgb(img: Image.Image) -> Image.Image:
    # Transparent pixels keep arbitrary colours underneath; put them on white, as a viewer would.
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return img.convert("RGB")


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
