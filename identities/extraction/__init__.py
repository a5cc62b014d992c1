"""Filling a brief from a reference photo (From Image) or a paragraph (From Text).

Embedded readers run offline on models shipped in PyPI packages (`photo.py`, `text/`); when
CASTLESS_EXTRACT_LLM_* is configured, an OpenAI-compatible model reads instead (`llm.py`) and
the embedded readers answer if it fails. Both return an `Extraction`: readings per brief field
with confidences, the fields left empty and why, notes, and for text the part not placed.
"""

from __future__ import annotations

from django.conf import settings
from PIL import Image

from identities.extraction.llm import LlmClient, LlmUnavailable
from identities.extraction.photo import read_photo
from identities.extraction.result import Extraction, ExtractionError, Reading
from identities.extraction.text import parse_paragraph

__all__ = [
    "Extraction",
    "ExtractionError",
    "LlmClient",
    "Reading",
    "llm_client",
    "read_paragraph",
    "read_reference",
]


def llm_client() -> LlmClient | None:
    """The configured chat-completions reader, or None (the embedded readers)."""
    if not (settings.CASTLESS_EXTRACT_LLM_BASE_URL and settings.CASTLESS_EXTRACT_LLM_MODEL):
        return None
    return LlmClient(
        base_url=settings.CASTLESS_EXTRACT_LLM_BASE_URL,
        model=settings.CASTLESS_EXTRACT_LLM_MODEL,
        api_key=settings.CASTLESS_EXTRACT_LLM_API_KEY,
        timeout=settings.CASTLESS_EXTRACT_LLM_TIMEOUT_SECONDS,
    )


def read_reference(image: Image.Image) -> Extraction:
    client = llm_client()
    if client is not None:
        try:
            return client.read_photo(image)
        except LlmUnavailable as error:
            result = read_photo(image)
            result.notes.append(f"Read with the embedded models: {error}.")
            return result
    return read_photo(image)


def read_paragraph(text: str) -> Extraction:
    client = llm_client()
    if client is not None:
        try:
            return client.read_text(text)
        except LlmUnavailable as error:
            result = parse_paragraph(text)
            result.notes.append(f"Read with the embedded parser: {error}.")
            return result
    return parse_paragraph(text)
