"""The text From Text's patterns read: quotes unified, spelled numbers as digits, spaces folded,
with a map back to the raw characters so unplaced text is quoted as the user wrote it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from identities.extraction.text.numbers import SPELLED, spelled_value

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "″": '"', "′": "'"})
_SPACES = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class _Normalised:
    """The text the patterns read, and for each of its characters the raw characters it came
    from, so what is returned unplaced is quoted as the user wrote it ("two", not "2")."""

    text: str
    starts: list[int]
    ends: list[int]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


def normalize(raw: str) -> _Normalised:
    text = raw.translate(_QUOTES)
    starts, ends = list(range(len(text))), list(range(1, len(text) + 1))
    text, starts, ends = _substitute(SPELLED, spelled_value, text, starts, ends)
    text, starts, ends = _substitute(_SPACES, lambda _: " ", text, starts, ends)
    lead = len(text) - len(text.lstrip())
    trail = len(text.rstrip())
    return _Normalised(text[lead:trail], starts[lead:trail], ends[lead:trail])


def _substitute(pattern: re.Pattern, replace, text: str, starts: list[int], ends: list[int]):
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(text[last : match.start()])
        new_starts += starts[last : match.start()]
        new_ends += ends[last : match.start()]
        value = replace(match)
        out.append(value)
        new_starts += [starts[match.start()]] * len(value)
        new_ends += [ends[match.end() - 1]] * len(value)
        last = match.end()
    out.append(text[last:])
    return "".join(out), new_starts + starts[last:], new_ends + ends[last:]
