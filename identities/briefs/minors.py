"""We never generate minors: spot a brief that asks for someone under 18.

Two strengths. The age field is read strictly: every number in it must be 18–99 and no word may
point at a child. Other fields and the expert prompt are read for explicit signals only (an age
under 18 stated as "16-year-old", "aged 15", "sixteen years old", or words such as "teenager"),
so ordinary text like "size 16" or "a minor scar" stays allowed.
"""

from __future__ import annotations

import re

from identities.ages import MAX_AGE, MIN_AGE

_NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SPELLED_TENS = re.compile(
    rf"\b({'|'.join(_TENS)})(?:[\s-]+(one|two|three|four|five|six|seven|eight|nine)\b)?",
    re.IGNORECASE,
)
_NUMBER = rf"(\d{{1,3}}|{'|'.join(_NUMBER_WORDS)})"

_CHILD_WORDS = re.compile(
    r"\b("
    r"teens?|teenaged?|teenagers?|pre-?teens?|tweens?|adolescents?|adolescence|"
    r"child|children|childlike|kids?|underage|under-age|schoolgirls?|schoolboys?|"
    r"toddlers?|infants?|juveniles?|little (?:girl|boy)s?"
    r")\b",
    re.IGNORECASE,
)

# An age stated in running text: "16-year-old", "16 years old", "16 yo", "aged 16", "age 16".
_STATED_AGE = re.compile(
    rf"\b{_NUMBER}[\s-]*(?:years?|yrs?)[\s-]*old\b"
    rf"|\b{_NUMBER}\s*y/?o\b"
    rf"|\bage[d]?[\s:]+{_NUMBER}\b",
    re.IGNORECASE,
)


def _digits_for_tens(text: str) -> str:
    """Tens as digits ("twenty-one" → "21"), so that "one" is not read as an age of one."""

    def replace(match: re.Match[str]) -> str:
        unit = _NUMBER_WORDS[match.group(2).lower()] if match.group(2) else 0
        return str(_TENS[match.group(1).lower()] + unit)

    return _SPELLED_TENS.sub(replace, text)


def _as_number(token: str) -> int:
    return int(token) if token.isdigit() else _NUMBER_WORDS[token.lower()]


def mentions_minor(text: str) -> bool:
    """Whether running text asks for someone under 18."""
    if _CHILD_WORDS.search(text):
        return True
    text = _digits_for_tens(text)
    for match in _STATED_AGE.finditer(text):
        token = next(group for group in match.groups() if group)
        if _as_number(token) < MIN_AGE:
            return True
    return False


def age_problem(text: str) -> str | None:
    """Why the age field's text cannot be used, or None."""
    text = _digits_for_tens(text)
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    words = [_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS]
    if any(n < MIN_AGE for n in (*numbers, *words)) or _CHILD_WORDS.search(text):
        return f"Must be {MIN_AGE} or over: we never generate minors"
    if any(n > MAX_AGE for n in numbers):
        return f"Must be between {MIN_AGE} and {MAX_AGE}"
    return None
