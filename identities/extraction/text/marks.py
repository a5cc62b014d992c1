"""Distinguishing marks with their place: "freckles along the nose", "a mole on her left
cheek", "septum ring", "small tattoo behind the ear"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_KINDS = (
    (r"(?:light|faint|a few|few|scattered|a smattering of|a dusting of|a sprinkle of|a sprinkling of"
     r"|soft|subtle|a light dusting of|sparse) freckles", "light freckles"),
    (r"freckles|freckled|freckling|frecks", "freckles"),
    (r"(?:small |tiny )?beauty marks", "beauty marks"),
    (r"(?:small |tiny )?beauty mark|beauty spot", "beauty mark"),
    (r"(?:small |tiny )?mole", "mole"),
    (r"birthmark", "birthmark"),
    (r"moles", "moles"),
    (r"vitiligo", "vitiligo"),
    (r"(?:small|tiny|little|delicate|fine[- ]line|minimal) tattoo", "small tattoo"),
    (r"tattoos?|ink", "{0}"),
    (r"septum (?:ring|piercing|stud|hoop|pierce)|septum", "septum ring"),
    (r"nose (?:ring|piercing|stud|hoop)|nose-ring|pierced nose|"
     r"(?:ring|hoop|stud) in (?:her|his|their|the) nose", "nose piercing"),
    (r"eyebrow (?:ring|piercing|bar)|brow piercing|pierced (?:eye)?brow", "eyebrow piercing"),
    (r"lip (?:ring|piercing)|labret", "lip piercing"),
    (r"scars?", "{0}"),
)  # fmt: skip
_PLACES = (
    r"(?:(?:left|right|upper|lower|top|bottom|inner|outer)\s+)?"
    r"(?:nose|cheeks?|cheekbones?|jaw(?:line)?|chin|lips?|upper lip|eyebrows?|brows?|forehead|"
    r"temples?|neck|collarbones?|wrists?|ears?|face|shoulders?|hands?|eyes?|mouth|nape|arms?)"
)
_PLACE = re.compile(
    rf"^\s*(?:\w+\s+){{0,2}}?(on|along|across|over|under|near|above|below|behind|at|by|around|"
    rf"beside|through|down)\s+(?:her|his|their|the|a|one)?\s*({_PLACES}(?:\s+and\s+{_PLACES})?)\b",
    re.I,
)
_PATTERNS = tuple((re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", re.I), v) for p, v in _KINDS)


@dataclass(frozen=True)
class Mark:
    value: str
    start: int
    end: int


def find_marks(text: str, blocked: list[tuple[int, int]]) -> list[Mark]:
    found: list[Mark] = []
    taken = list(blocked)
    for pattern, template in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            kind = template.format(match.group(0).lower())
            end = match.end()
            place = _PLACE.match(text[end:])
            if place:
                kind = f"{kind} {place.group(1).lower()} the {' '.join(place.group(2).lower().split())}"
                end += place.end()
            taken.append((match.start(), end))
            found.append(Mark(kind, match.start(), end))
    return sorted(found, key=lambda mark: mark.start)
