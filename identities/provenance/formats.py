"""Which image formats carry credentials here, told from the bytes rather than a file name."""

from __future__ import annotations

JPEG = "image/jpeg"
PNG = "image/png"
SUPPORTED = (JPEG, PNG)
_ALIASES = {"image/jpg": JPEG, "image/pjpeg": JPEG, "image/x-png": PNG}
_MAGIC = ((b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))


def normalise_mime(mime: str) -> str:
    lowered = mime.strip().lower()
    return _ALIASES.get(lowered, lowered)


def sniff_mime(data: bytes) -> str | None:
    """The format the bytes really are (JPEG or PNG), or None for anything else."""
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    return None


def mime_for_format(fmt: str) -> str:
    """The MIME type of an engine's `format` ("jpg", "jpeg", "png") or of a MIME type itself."""
    lowered = fmt.strip().lower().removeprefix(".")
    if lowered in ("jpg", "jpeg"):
        return JPEG
    if lowered == "png":
        return PNG
    return normalise_mime(lowered)
