"""What things cost, in credits: the one place prices live.

Services charge from here, and the templates read the same figures through the `pricing`
context processor, so no price is typed twice (a price change is one edit here or one
environment variable).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from identities.engines.sizes import SIZES

# Per draft by size. External engines cost more because each draft is a paid vendor call; the
# in-house renderers run on our own workers.
INHOUSE_DRAFT_CREDITS = {"1K": 1, "2K": 2, "4K": 4}
EXTERNAL_DRAFT_CREDITS = {"1K": 2, "2K": 3, "4K": 5}
# Promotion takes an identity slot and runs preprocessing (crop, embedding, thumbnails).
PROMOTION_CREDITS = 50


# Image runs, seed 002's grid: credits per output by generation mode and resolution, plus a
# flat surcharge per output when a face is locked (a face_reference or an identity).
RUN_CREDITS = {
    "fast": {"1k": 1, "2k": 2, "4k": 3},
    "balanced": {"1k": 2, "2k": 3, "4k": 4},
    "quality": {"1k": 3, "2k": 4, "4k": 5},
}
RUN_FACE_CREDITS = 3


def run_mode(*, generation_mode: str, resolution: str) -> str:
    """The mode a run is billed (and rendered) at: "automatic" is seed 002's rule, fast at 1k
    and quality at 2k or 4k."""
    if generation_mode == "automatic":
        return "fast" if resolution == "1k" else "quality"
    return generation_mode


def run_price_per_image(*, generation_mode: str, resolution: str, face_locked: bool) -> int:
    mode = run_mode(generation_mode=generation_mode, resolution=resolution)
    return RUN_CREDITS[mode][resolution] + (RUN_FACE_CREDITS if face_locked else 0)


def draft_price(*, external: bool, size: str) -> int:
    """Credits for one draft of `size` on an engine of that kind."""
    table = EXTERNAL_DRAFT_CREDITS if external else INHOUSE_DRAFT_CREDITS
    return table[size]


def promotion_price() -> int:
    """Credits a promotion reserves (read when charging, so a changed price applies at once)."""
    return PROMOTION_CREDITS


def extraction_price(*, source: str) -> int:
    """Credits for reading a brief from a photo ("image") or a paragraph ("text"). Settings,
    because the text reader may be an external LLM an operator pays for."""
    if source == "image":
        return settings.CASTLESS_EXTRACT_IMAGE_CREDITS
    return settings.CASTLESS_EXTRACT_TEXT_CREDITS


@dataclass(frozen=True)
class PriceList:
    """Every price, as the templates show them."""

    promotion: int
    extract_image: int
    extract_text: int
    inhouse: dict[str, int]
    external: dict[str, int]

    @property
    def sizes(self) -> str:
        """ "1K / 2K / 4K": the sizes the two lines below price, in the same order."""
        return " / ".join(SIZES)

    @property
    def inhouse_line(self) -> str:
        """ "1 / 2 / 4": a draft on our engines, per size (templates cannot pass arguments)."""
        return _line(self.inhouse)

    @property
    def external_line(self) -> str:
        """ "2 / 3 / 5": a draft on an external engine, per size."""
        return _line(self.external)


def _line(table: dict[str, int]) -> str:
    return " / ".join(str(table[size]) for size in SIZES)


def price_list() -> PriceList:
    return PriceList(
        promotion=promotion_price(),
        extract_image=extraction_price(source="image"),
        extract_text=extraction_price(source="text"),
        inhouse=dict(INHOUSE_DRAFT_CREDITS),
        external=dict(EXTERNAL_DRAFT_CREDITS),
    )
