"""Exact output pixels for every (size, aspect ratio): one table, used by every engine.

Published sizes where they exist (Gemini: 1:1, 16:9, 9:16; Seedream: 4K 3:4); every other
ratio keeps the exact ratio at about the tier's pixel budget with both sides multiples of 16,
which reproduces Seedream's published 2K 3:4, 2K/4K 2:3 and 2K/4K 21:9 pixels.
"""

from identities.engines.base import ASPECT_RATIOS, SIZES

_BUDGET = {"1K": 1024 * 1024, "2K": 2048 * 2048, "4K": 4096 * 4096}
_PUBLISHED = {
    ("1K", "1:1"): (1024, 1024),
    ("2K", "1:1"): (2048, 2048),
    ("4K", "1:1"): (4096, 4096),
    ("1K", "16:9"): (1408, 768),
    ("2K", "16:9"): (2816, 1536),
    ("4K", "16:9"): (5632, 3072),
    ("1K", "9:16"): (768, 1408),
    ("2K", "9:16"): (1536, 2816),
    ("4K", "9:16"): (3072, 5632),
    ("4K", "3:4"): (3456, 4608),
    ("4K", "4:3"): (4608, 3456),
}


def _derived(size: str, ar: str) -> tuple[int, int]:
    w_ratio, h_ratio = (int(part) for part in ar.split(":"))
    # k is the side of one ratio unit; a multiple of 16 keeps both sides multiples of 16.
    k = int((_BUDGET[size] / (w_ratio * h_ratio)) ** 0.5) // 16 * 16
    return (w_ratio * k, h_ratio * k)


PIXELS: dict[tuple[str, str], tuple[int, int]] = {
    (size, ar): _PUBLISHED.get((size, ar)) or _derived(size, ar)
    for size in SIZES
    for ar in ASPECT_RATIOS
}


def pixel_size(size: str, ar: str) -> tuple[int, int]:
    """(width, height) in pixels; KeyError for an unknown size or ratio."""
    return PIXELS[(size, ar)]
