"""Reading the brief's free text: keyword and phrase matching, negation, ages.

Every brief value is free text typed by a person or picked from a chip, so matching is by
whole words after folding case, hyphens and punctuation ("Jet-black" == "jet black"), and a
phrase preceded by "no"/"without"/"not" counts as absent ("no makeup" is not "makeup").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

T = TypeVar("T")

_NON_WORD = re.compile(r"[^a-z0-9+]+")
_NEGATORS = ("no", "without", "not", "never", "zero")
_FILLERS = ("a", "an", "any", "the", "visible", "much", "heavy", "obvious")
_NUMBER = re.compile(r"\d{1,3}")

# Spelled-out decades, so "late twenties" and "in her forties" read as ages.
_DECADES = {
    "teens": 17,
    "teen": 17,
    "teenage": 17,
    "twenties": 25,
    "twenty": 25,
    "thirties": 35,
    "thirty": 35,
    "forties": 45,
    "forty": 45,
    "fifties": 55,
    "fifty": 55,
    "sixties": 65,
    "sixty": 65,
    "seventies": 75,
    "seventy": 75,
    "eighties": 84,
    "eighty": 84,
}
_AGE_WORDS = {
    "young adult": 22,
    "young": 24,
    "youthful": 24,
    "adult": 32,
    "middle aged": 48,
    "mature": 55,
    "older": 62,
    "senior": 68,
    "elderly": 75,
    "old": 70,
}


def fold(value: object) -> str:
    """Lower-case words separated by single spaces, padded so phrases match whole words."""
    if value is None:
        return " "
    text = _NON_WORD.sub(" ", str(value).lower()).strip()
    return f" {text} "


def has(text: str, *phrases: str) -> bool:
    """Whether any phrase occurs in folded `text` as whole words and is not negated."""
    return any(_find(text, phrase) for phrase in phrases)


def _find(text: str, phrase: str) -> bool:
    needle = fold(phrase)
    start = text.find(needle)
    while start >= 0:
        if not _negated(text[:start].split()[-2:]):
            return True
        start = text.find(needle, start + 1)
    return False


def _negated(before: list[str]) -> bool:
    # "no makeup", "without any beard"; but "no makeup, jet black" keeps "jet black".
    if before and before[-1] in _NEGATORS:
        return True
    return len(before) == 2 and before[0] in _NEGATORS and before[1] in _FILLERS


def lookup(text: str, table: Mapping[str, T]) -> T | None:
    """The value of the longest phrase of `table` found in `text` (so "dark brown" beats
    "brown"), or None."""
    for phrase in sorted(table, key=len, reverse=True):
        if has(text, phrase):
            return table[phrase]
    return None


def lookup_all(text: str, table: Mapping[str, T]) -> list[T]:
    """Values of every phrase found, longest first; a phrase inside a longer match is skipped."""
    found: list[T] = []
    consumed = text
    for phrase in sorted(table, key=len, reverse=True):
        if has(consumed, phrase):
            found.append(table[phrase])
            consumed = consumed.replace(fold(phrase), " | ")
    return found


def parse_age(value: object) -> float | None:
    """Years from 28, "28", "25-30", "mid 30s", "late twenties", "in her forties", "senior"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if 1 <= value <= 110 else None
    text = fold(value)
    numbers = [int(n) for n in _NUMBER.findall(text) if 10 <= int(n) <= 110]
    if len(numbers) >= 2:
        return (numbers[0] + numbers[1]) / 2
    if numbers:
        decade = f" {numbers[0]}s " in text or f" {numbers[0]} s " in text
        # "30s" is a decade: its middle, moved by "early"/"late"; "28" is an age.
        return numbers[0] + 4.5 + _decade_shift(text) if decade else float(numbers[0])
    base = lookup(text, _DECADES)
    if base is not None:
        return base + _decade_shift(text)
    words = lookup(text, _AGE_WORDS)
    return None if words is None else float(words)


def _decade_shift(text: str) -> float:
    if has(text, "early"):
        return -3.0
    if has(text, "late"):
        return 3.0
    return 0.0


def words_of(values: Iterable[object]) -> str:
    """All values folded into one searchable text."""
    return " ".join(fold(value) for value in values if value not in (None, ""))
