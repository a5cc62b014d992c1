"""What an on-model prompt asks for, in terms the offline engines can act on.

"$model smiling in a red dress against a white backdrop, warm light" → framing (None: not
said), smile +1, outfit red dress, backdrop white, lighting warm. Phrases the reader recognises
but no offline engine can draw (a beach, holding a bag, the product itself) are collected too,
so an engine reports them as not drawn instead of ignoring them. Words it does not recognise
are left alone: the prompt is free text, and only what is named here is claimed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FRAMINGS = ("head_and_shoulders", "half_body", "full_body")
_FRAMING_PATTERNS = (
    ("full_body", r"full[- ]?body|full[- ]length|head[- ]to[- ]toe|whole body|runway|catwalk"),
    ("full_body", r"\b(?:standing|walking|striding|strolling)\b"),
    ("half_body", r"half[- ]?body|waist[- ]up|upper[- ]body|three[- ]quarter[- ](?:length|shot)"),
    ("half_body", r"\b(?:medium|mid)[- ]shot\b|\bfrom the waist\b"),
    ("head_and_shoulders", r"head[- ](?:and|&)[- ]shoulders|close[- ]?up|head ?shot|\bportrait\b"),
    ("head_and_shoulders", r"\bbust\b|\bface only\b"),
)

# Linear-ish sRGB (0–1) for the colour words outfits and backdrops are named with.
COLOURS: dict[str, tuple[float, float, float]] = {
    "white": (0.93, 0.93, 0.91),
    "ivory": (0.93, 0.91, 0.84),
    "cream": (0.92, 0.88, 0.78),
    "beige": (0.83, 0.76, 0.64),
    "camel": (0.74, 0.58, 0.4),
    "tan": (0.72, 0.56, 0.4),
    "brown": (0.42, 0.28, 0.18),
    "grey": (0.55, 0.55, 0.55),
    "gray": (0.55, 0.55, 0.55),
    "charcoal": (0.22, 0.22, 0.24),
    "black": (0.07, 0.07, 0.08),
    "navy": (0.1, 0.14, 0.32),
    "blue": (0.18, 0.36, 0.72),
    "sky blue": (0.5, 0.72, 0.9),
    "teal": (0.1, 0.48, 0.5),
    "green": (0.2, 0.5, 0.28),
    "olive": (0.42, 0.42, 0.2),
    "sage": (0.6, 0.68, 0.55),
    "emerald": (0.05, 0.5, 0.33),
    "yellow": (0.93, 0.8, 0.2),
    "mustard": (0.8, 0.62, 0.15),
    "orange": (0.92, 0.48, 0.15),
    "red": (0.75, 0.1, 0.12),
    "burgundy": (0.45, 0.08, 0.15),
    "pink": (0.93, 0.6, 0.7),
    "blush": (0.92, 0.74, 0.74),
    "purple": (0.45, 0.22, 0.58),
    "lilac": (0.74, 0.64, 0.84),
    "lavender": (0.72, 0.66, 0.88),
}
_GARMENTS = (
    "dress|gown|top|t-shirt|tee|shirt|blouse|jacket|coat|trench|sweater|jumper|knit|"
    "turtleneck|hoodie|suit|blazer|cardigan|vest|tank top|camisole|outfit|clothes|bodysuit"
)
_COLOUR_WORDS = "|".join(sorted((re.escape(c) for c in COLOURS), key=len, reverse=True))
_OUTFIT = re.compile(rf"\b({_COLOUR_WORDS})\s+(?:[a-z-]+\s+){{0,2}}?({_GARMENTS})\b", re.IGNORECASE)
_BACKDROP = re.compile(
    rf"\b({_COLOUR_WORDS}|light|pale|bright|dark)\s+(?:[a-z-]+\s+)?"
    r"(backdrop|background|wall|studio|seamless|sweep)\b",
    re.IGNORECASE,
)
_SMILE = re.compile(r"\b(smil\w*|laugh\w*|grin\w*|beaming|cheerful|joyful|happy)\b", re.I)
_NO_SMILE = re.compile(
    r"\b(serious|neutral expression|stern|unsmiling|no smile|straight face|pensive|moody|"
    r"fierce|intense)\b",
    re.I,
)
_YAW = re.compile(
    r"\b(?:looking|turned|turning|facing|glancing|gazing)\s+(?:slightly\s+)?(?:to(?:wards)?\s+)?"
    r"(?:the\s+|her\s+|his\s+|their\s+)?(left|right)\b",
    re.I,
)
_TURN = re.compile(
    r"three[- ]quarter (?:view|angle|profile)|\bover (?:the|her|his|their) shoulder", re.I
)
_LIGHT = (
    ("warm", re.compile(r"\b(warm|golden[- ]hour|sunset|sunlit|candle\w*)\b(?:\s+\w+)?", re.I)),
    ("cool", re.compile(r"\b(cool|cold|blue[- ]hour|moonlit)\s+(?:light|lighting|tones?)\b", re.I)),
    (
        "dim",
        re.compile(r"\b(dramatic|low[- ]key|moody|dim|chiaroscuro)\s+(?:light|lighting)\b", re.I),
    ),
    (
        "bright",
        re.compile(r"\b(bright|high[- ]key|airy|soft|daylight)\s+(?:light|lighting)\b", re.I),
    ),
)
_OLDER = re.compile(
    r"\b(older|aged up|mature|elderly|greying|in (?:her|his|their) (?:50|60)s)\b", re.I
)
_YOUNGER = re.compile(r"\b(younger|youthful|aged down)\b", re.I)
# Recognised, never drawn by an offline engine (a head-and-shoulders studio picture).
_UNDRAWABLE = (
    (
        "setting",
        r"\b(?:on|at|in) (?:a |the )?(beach|street|city|park|garden|caf[eé]|forest|"
        r"desert|office|rooftop|kitchen|bar|restaurant|field|mountains?|snow|pool|car)\b",
    ),
    (
        "pose",
        r"\b(holding|carrying|sitting|seated|lying|leaning|dancing|running|jumping|"
        r"arms crossed|hands? on (?:her|his|their) hips?|hands? in pockets)\b",
    ),
    (
        "accessory",
        r"\b(sunglasses|hat|cap|beanie|scarf|handbag|bag|umbrella|glasses|"
        r"necklace|watch|gloves|headphones)\b",
    ),
)
_PRODUCT = re.compile(r"\$product\b")


@dataclass(frozen=True)
class PromptAsks:
    framing: str | None = None
    smile: int = 0  # +1 smile, -1 serious, 0 not said
    yaw: str | None = None  # "left" | "right" | "turned"
    lighting: str | None = None  # "warm" | "cool" | "dim" | "bright"
    backdrop: str | None = None  # a colour word or light/pale/bright/dark
    outfit: tuple[str, str] | None = None  # (colour, garment)
    age: int = 0  # +1 older, -1 younger
    products: int = 0  # $product mentions
    undrawable: tuple[str, ...] = field(default_factory=tuple)  # "setting: beach"


def framing_from_prompt(prompt: str) -> str | None:
    """The framing a prompt names ("full body" → "full_body", "portrait" → head_and_shoulders),
    or None when it names none. Wider framings win: "full-length portrait" is full body."""
    text = prompt or ""
    for framing, pattern in _FRAMING_PATTERNS:
        if re.search(pattern, text, re.IGNORECASE):
            return framing
    return None


def read_prompt(prompt: str) -> PromptAsks:
    text = prompt or ""
    smile = 1 if _SMILE.search(text) else (-1 if _NO_SMILE.search(text) else 0)
    yaw_match = _YAW.search(text)
    yaw = yaw_match.group(1).lower() if yaw_match else ("turned" if _TURN.search(text) else None)
    lighting = next((name for name, pattern in _LIGHT if pattern.search(text)), None)
    backdrop = _BACKDROP.search(text)
    outfit = _OUTFIT.search(text)
    age = 1 if _OLDER.search(text) else (-1 if _YOUNGER.search(text) else 0)
    undrawable = []
    for kind, pattern in _UNDRAWABLE:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            item = f"{kind}: {match.group(1).lower()}"
            if item not in undrawable:
                undrawable.append(item)
    return PromptAsks(
        framing=framing_from_prompt(text),
        smile=smile,
        yaw=yaw,
        lighting=lighting,
        backdrop=backdrop.group(1).lower() if backdrop else None,
        outfit=(outfit.group(1).lower(), outfit.group(2).lower()) if outfit else None,
        age=age,
        products=len(_PRODUCT.findall(text)),
        undrawable=tuple(undrawable),
    )


def lighting_grade(lighting: str | None) -> tuple[tuple[float, float, float], float]:
    """Per-channel gain and exposure for a lighting ask (a global grade of the picture)."""
    return {
        "warm": ((1.06, 1.0, 0.88), 1.0),
        "cool": ((0.92, 0.98, 1.08), 1.0),
        "dim": ((1.0, 1.0, 1.0), 0.8),
        "bright": ((1.0, 1.0, 1.0), 1.1),
    }.get(lighting or "", ((1.0, 1.0, 1.0), 1.0))
