"""What a draft can be asked for: sizes, aspect ratios, file formats, the defaults a brief
gets when it names none, and the exact output pixels of every (size, aspect ratio).

The one place these live: validation, the API schema, the wizard, the plans' size cap and every
engine read them from here, so adding a ratio is one edit (plus its published pixels, if any).

Pixels: published sizes where they exist (Gemini: 1:1, 16:9, 9:16; Seedream: 4K 3:4); every
other ratio keeps the exact ratio at about the size's pixel budget with both sides multiples of
16, which reproduces Seedream's published 2K 3:4, 2K/4K 2:3 and 2K/4K 21:9 pixels.
"""

# Smallest first: a plan's largest size allows every size before it.
SIZES = ("1K", "2K", "4K")
ASPECT_RATIOS = ("1:1", "2:3", "3:4", "4:5", "5:4", "3:2", "4:3", "9:16", "16:9", "21:9")
FORMATS = ("jpg", "png")

# What an instruction gets when its options name none (the wizard lowers the size to the
# plan's largest when the plan stops below it).
DEFAULT_SIZE = "2K"
DEFAULT_AR = "3:4"
DEFAULT_FORMAT = "jpg"

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
