"""Ages, heights and clothing sizes as briefs write them: "31-year-old", "in her forties",
"mid-twenties", "5'9\"", "1.78 m", "size 38/8", "US 6"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_DECADE_WORDS = {
    "twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
    "seventies": 70, "eighties": 80, "nineties": 90,
}  # fmt: skip
_SPELLED = re.compile(
    rf"\b(?:({'|'.join(_TENS)})(?:[\s-]+({'|'.join(list(_UNITS)[:9])}))?|({'|'.join(_UNITS)}))\b",
    re.IGNORECASE,
)


# A number written out in words: "twenty-six", "seven".
SPELLED = _SPELLED


def spelled_value(match: re.Match[str]) -> str:
    """The digits of a `SPELLED` match: "twenty-six" → "26"."""
    if match.group(3):
        return str(_UNITS[match.group(3).lower()])
    unit = _UNITS[match.group(2).lower()] if match.group(2) else 0
    return str(_TENS[match.group(1).lower()] + unit)


def spell_out_numbers(text: str) -> str:
    """ "twenty-six" → "26"."""
    return _SPELLED.sub(spelled_value, text)


@dataclass(frozen=True)
class Found:
    field: str  # "appearance.age" | "appearance.height" | "appearance.size"
    value: str
    start: int
    end: int


_DECADE = rf"(?:(\d)0'?s|({'|'.join(_DECADE_WORDS)}))"
_AGE_PATTERNS = (
    # "late twenties", "mid-30s", "early 60s"
    (re.compile(rf"\b(early|mid|late)[\s-]*{_DECADE}", re.I), "part"),
    (
        re.compile(
            r"\b(\d{2})\s*(?:-|–|to)\s*(\d{2})(?=\s*(?:years|yrs|y/?o)?\b)(?!\s*(?:cm|kg|in|m)\b)",
            re.I,
        ),
        "range",
    ),
    (re.compile(r"\b(\d{2})[\s-]*(?:years?|yrs?)[\s-]*old\b", re.I), "exact"),
    (re.compile(r"\b(\d{2})\s*(?:yo|y/o|y\.o\.)(?!\w)", re.I), "exact"),
    (re.compile(r"\b(?:aged?|age of)\s*:?\s*(\d{2})\b", re.I), "exact"),
    (
        re.compile(
            r"\b(?:is|she's|he's|they're|around|about|roughly|approximately|approx\.?)\s+(\d{2})\b(?!\s*(?:cm|kg|%|m\b|'|\"))",
            re.I,
        ),
        "exact",
    ),
    (re.compile(r"\b(\d{2})\s*\+(?!\w)", re.I), "plus"),
    (re.compile(rf"\b(?:in\s+(?:her|his|their|the)\s+){_DECADE}", re.I), "decade"),
    (
        re.compile(
            r"\b(\d)0[\s-]*something\b|\b(twenty|thirty|forty|fifty|sixty)[\s-]*something\b", re.I
        ),
        "something",
    ),
    (re.compile(rf"(?<![\w-]){_DECADE}(?![\w-])", re.I), "decade"),
)


def find_age(text: str) -> Found | None:
    for pattern, kind in _AGE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        value = _age_value(match, kind)
        if value is not None:
            return Found("appearance.age", value, match.start(), match.end())
    return None


def _age_value(match: re.Match[str], kind: str) -> str | None:
    groups = match.groups()
    if kind == "part":
        return f"{match.group(1).lower()} {_decade(groups[1], groups[2])}s"
    if kind == "decade":
        return f"{_decade(groups[0], groups[1])}s"
    if kind == "something":
        tens = int(groups[0]) * 10 if groups[0] else _TENS[groups[1].lower()]
        return f"{tens}s"
    if kind == "range":
        low, high = int(groups[0]), int(groups[1])
        if not (16 <= low < high <= 99 and high - low <= 15):
            return None
        return f"{low}–{high}"
    if kind == "plus":
        return f"{groups[0]}+" if int(groups[0]) >= 40 else None
    return groups[0]


def _decade(digit: str | None, word: str | None) -> int:
    return int(digit) * 10 if digit else _DECADE_WORDS[word.lower()]


def bare_age(clause: str) -> str | None:
    """A clause that is only a number ("Female, 35, Middle Eastern") is an age."""
    match = re.fullmatch(r"\s*(\d{2})\s*", clause)
    return match.group(1) if match else None


_FEET = re.compile(
    r"\b(\d)\s*(?:'|′|ft\.?|foot|feet)\s*(?:(\d{1,2})\s*(?:\"|''|″|in\.?|inches)?)?(?![\d'])",
    re.I,
)
_CM = re.compile(r"\b(1\d{2}|2[01]\d)\s*(?:cm|centimet(?:er|re)s?)\b", re.I)
_METRES = re.compile(r"\b([12])[.,](\d{2})\s*(?:m|metres?|meters?)\b", re.I)


def find_height(text: str) -> Found | None:
    for pattern in (_CM, _METRES, _FEET):
        match = pattern.search(text)
        if match is None:
            continue
        if pattern is _CM:
            cm = int(match.group(1))
        elif pattern is _METRES:
            cm = int(match.group(1)) * 100 + int(match.group(2))
        else:
            feet, inches = int(match.group(1)), int(match.group(2) or 0)
            if not 4 <= feet <= 7 or inches > 11:
                continue
            cm = round((feet * 12 + inches) * 2.54)
        if 140 <= cm <= 215:
            return Found("appearance.height", f"{cm} cm", match.start(), match.end())
    return None


_LETTERS = {"xxs": "XXS", "xs": "XS", "s": "S", "m": "M", "l": "L", "xl": "XL", "xxl": "XXL",
            "2xl": "XXL", "3xl": "3XL", "xxxl": "3XL", "small": "S", "medium": "M", "large": "L"}  # fmt: skip
_SIZE_LETTER = re.compile(
    r"\bsize\s*:?\s*(xxs|xs|s|m|l|xl|xxl|2xl|3xl|xxxl|small|medium|large)\b", re.I
)
_LONE_LETTER = re.compile(r"(?<![\w-])(xxs|xs|xl|xxl|2xl|3xl|xxxl)(?![\w-])", re.I)
_SIZE_NUMBER = re.compile(
    r"\b(?:size|sz)\s*:?\s*(?:(eu|us|uk|fr|it)\s*)?(\d{1,2})(?:\s*/\s*(\d{1,2}))?\b|\b(eu|us|uk)\s*(\d{1,2})\b",
    re.I,
)
# Womenswear and menswear letter sizes by EU number (the chips' hints).
_WOMEN_EU = (
    (31, "XXS"),
    (34, "XS"),
    (38, "S"),
    (42, "M"),
    (46, "L"),
    (50, "XL"),
    (54, "XXL"),
    (99, "3XL"),
)
_WOMEN_US = (
    (0, "XXS"),
    (2, "XS"),
    (6, "S"),
    (10, "M"),
    (14, "L"),
    (18, "XL"),
    (22, "XXL"),
    (99, "3XL"),
)
_MEN_EU = ((44, "XS"), (46, "S"), (50, "M"), (52, "L"), (54, "XL"), (56, "XXL"), (99, "3XL"))
_MEN_US = ((34, "XS"), (36, "S"), (40, "M"), (42, "L"), (44, "XL"), (46, "XXL"), (99, "3XL"))


def find_size(text: str, *, male: bool) -> Found | None:
    match = _SIZE_LETTER.search(text) or _LONE_LETTER.search(text)
    if match:
        return Found(
            "appearance.size", _LETTERS[match.group(1).lower()], match.start(), match.end()
        )
    match = _SIZE_NUMBER.search(text)
    if match is None:
        return None
    system = (match.group(1) or match.group(4) or "").lower()
    number = int(match.group(2) or match.group(5))
    letter = _letter(number, system, male=male)
    if letter is None:
        return None
    return Found("appearance.size", letter, match.start(), match.end())


def _letter(number: int, system: str, *, male: bool) -> str | None:
    if system == "uk" and not male:
        number, system = number - 4, "us"
    if system in ("fr", "it"):
        number, system = number - (2 if system == "fr" else 4), "eu"
    if not system:
        # Womenswear EU sizes start at 30; smaller numbers are US (or a menswear chest).
        system = "eu" if number >= 30 and not male or number >= 44 else "us"
    table = {
        ("eu", False): _WOMEN_EU,
        ("us", False): _WOMEN_US,
        ("eu", True): _MEN_EU,
        ("us", True): _MEN_US,
    }.get((system, male))
    if table is None:
        return None
    return next((name for limit, name in table if number <= limit), None)
