"""Decoding untrusted images: uploads, references, engine outputs.

Every image bytes from outside pass through `load_image`, which

- opens only JPEG, PNG and WEBP (Pillow would otherwise try every plugin it has, including
  formats with a history of decoder bugs);
- checks the pixel count from the header before decoding anything, and turns Pillow's
  decompression-bomb warning into an error rather than a log line;
- applies the EXIF orientation, so what we analyse is what the user saw;
- returns plain 8-bit RGB: CMYK, greyscale, palette, 16-bit and alpha images are normalised here
  (alpha composited on white), animated files give their first frame.

`reencode` writes a fresh file with no metadata (EXIF, GPS, ICC, text chunks).
"""

from __future__ import annotations

import io
import logging
import warnings

import numpy as np
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
# The limits on a user's image, wherever it arrives (API upload, wizard, photo extraction): the
# file is checked before it is read, the pixel count before a pixel is decoded. 50 megapixels
# covers every phone and most cameras; 20 MB covers such a photo as a high-quality JPEG.
MAX_UPLOAD_MEGABYTES = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MEGABYTES * 1024 * 1024
MAX_UPLOAD_PIXELS = 50_000_000
_ENCODE_OPTIONS = {
    "JPEG": {"quality": 92, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90, "method": 4},
}
_FORMAT_ALIASES = {"JPG": "JPEG"}
_SIXTEEN_BIT_MODES = ("I;16", "I;16L", "I;16B", "I;16N", "I")
_SRGB = ImageCms.createProfile("sRGB")


class ImageError(ValueError):
    """An upload we refuse; the message is safe to show to the user."""


def load_image(data: bytes, *, max_pixels: int = MAX_UPLOAD_PIXELS) -> Image.Image:
    """Decode ``data`` into an 8-bit RGB image with its EXIF orientation applied."""
    if not data:
        raise ImageError("The file is empty.")
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; we refuse outright.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open(data, max_pixels=max_pixels)
        try:
            image.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise _too_large(image.size, max_pixels) from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageError("The image file is damaged or incomplete.") from exc
    return to_rgb(_apply_orientation(image))


def _open(data: bytes, *, max_pixels: int) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ImageError(
            f"The image is too large (at most {max_pixels / 1e6:g} megapixels)."
        ) from exc
    except UnidentifiedImageError as exc:
        raise ImageError("The file is not a JPEG, PNG or WEBP image.") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError("The image file is damaged or incomplete.") from exc
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImageError("The image file is damaged or incomplete.")
    # Image.open has read the header only; refuse before a single pixel is decoded.
    if width * height > max_pixels:
        raise _too_large(image.size, max_pixels)
    return image


def _too_large(size: tuple[int, int], max_pixels: int) -> ImageError:
    width, height = size
    return ImageError(
        f"The image is too large: {width}×{height} pixels "
        f"(at most {max_pixels / 1e6:g} megapixels)."
    )


def _apply_orientation(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, KeyError, TypeError) as exc:
        # Broken EXIF is common in the wild and does not make the pixels unusable.
        logger.info("Ignoring unreadable EXIF orientation: %s", exc)
        return image


def to_rgb(image: Image.Image) -> Image.Image:
    """Plain 8-bit RGB of any Pillow mode: colour-managed to sRGB, alpha composited on white."""
    profile = image.info.get("icc_profile")
    if image.mode == "RGB" and not profile:
        return image
    if image.mode in _SIXTEEN_BIT_MODES:
        # Pillow's own I;16 -> RGB conversion clips at 255 instead of scaling.
        levels = np.asarray(image, dtype=np.float64) / 257.0
        image = Image.fromarray(np.clip(levels.round(), 0, 255).astype(np.uint8), mode="L")
    if _has_alpha(image):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba).convert("RGB")
    rgb = _to_srgb(image, profile)
    # The pixels are sRGB now; a profile left in info would be applied a second time.
    rgb.info.pop("icc_profile", None)
    return rgb


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        image.mode in ("P", "L", "RGB") and "transparency" in image.info
    )


def _to_srgb(image: Image.Image, profile: bytes | None) -> Image.Image:
    if profile and image.mode in ("RGB", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as exc:
            logger.info("Ignoring unusable ICC profile: %s", exc)
    return image.convert("RGB")


def to_bgr_array(img: Image.Image) -> np.ndarray:
    """An HxWx3 uint8 BGR array (OpenCV's layout) of ``img``."""
    rgb = np.asarray(to_rgb(img), dtype=np.uint8)
    return np.ascontiguousarray(rgb[:, :, ::-1])


def reencode(img: Image.Image, format: str) -> bytes:
    """``img`` as a new JPEG, PNG or WEBP file carrying pixels only, no metadata."""
    name = _FORMAT_ALIASES.get(format.upper(), format.upper())
    if name not in _ENCODE_OPTIONS:
        raise ValueError(f"Unsupported output format {format!r}; use JPEG, PNG or WEBP.")
    keeps_alpha = name != "JPEG" and img.mode in ("RGBA", "LA")
    pixels = img if keeps_alpha else to_rgb(img)
    # A fresh image from the raw pixels: Pillow carries ICC profiles and other info over
    # from img.info on save and convert, so copying the object is not enough.
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    buffer = io.BytesIO()
    clean.save(buffer, format=name, **_ENCODE_OPTIONS[name])
    return buffer.getvalue()
