"""Distinguishing marks with their place: "freckles along the nose", "a mole on her left
cheek", "septum ring", "small tattoo behind the ear"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_KINDS = (
    (r"(?:light|faint|a few|few|scattered|a smattering of|a dusting of|a sprinkle of|a sprinkling of"
     r"|soft|subtle|a light dusting of|sparse) freckles", "light freckles"),
    (r"(?:covered|dotted) (?:in|with) freckles|freckles|freckled|freckling|frecks", "freckles"),
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
    # A scar's look is part of what to draw ("a thin scar", "a faint scar"), so it is kept.
    (r"(?:(?:small|tiny|thin|faint|fine|long|short|deep|jagged|old|pale|white|visible|slight)"
     r"\s+)?scars?", "{0}"),
)  # fmt: skip
_PLACES = (
    r"(?:(?:left|right|upper|lower|top|bottom|inner|outer)\s+)?"
    r"(?:nose|cheeks?|cheekbones?|jaw(?:line)?|chin|lips?|upper lip|eyebrows?|brows?|forehead|"
    r"temples?|neck|collarbones?|wrists?|ears?|face|shoulders?|hands?|eyes?|mouth|nape|arms?)"
)
# "the bridge of his nose", "the corner of her mouth": a part of a place.
_PART = r"(?:(?:bridge|tip|side|corner|edge|base|top|back|middle) of (?:her|his|their|the)\s+)?"
_PLACE = re.compile(
    rf"^\s*(?:\w+\s+){{0,2}}?(on|along|across|over|under|near|above|below|behind|at|by|around|"
    rf"beside|through|down)\s+(?:her|his|their|the|a|one)?\s*"
    rf"({_PART}{_PLACES}(?:\s+and\s+{_PLACES})?)\b",
    re.I,
)
# "a mole on her cheek and another on her neck": the same mark again, somewhere else.
_ANOTHER = re.compile(r"(?<![\w-])(?:and\s+)?another(?:\s+one)?(?![\w-])", re.I)
_POSSESSIVE = re.compile(r"\b(?:her|his|their)\b")
_PATTERNS = tuple((re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", re.I), v) for p, v in _KINDS)


@dataclass(frozen=True)
class Mark:
    value: str
    start: int
    end: int
    kind: str = ""  # the value without its place: "scar", "mole"


def find_marks(text: str, blocked: list[tuple[int, int]]) -> list[Mark]:
    found: list[Mark] = []
    taken = list(blocked)
    for pattern, template in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            kind = " ".join(template.format(match.group(0).lower()).split())
            placed, end = _placed(kind, text, match.end())
            taken.append((match.start(), end))
            found.append(Mark(placed, match.start(), end, kind))
    found.extend(_repeated(text, found, taken))
    return sorted(found, key=lambda mark: mark.start)


def _placed(kind: str, text: str, end: int) -> tuple[str, int]:
    place = _PLACE.match(text[end:])
    if not place:
        return kind, end
    where = _POSSESSIVE.sub("the", " ".join(place.group(2).lower().split()))
    return f"{kind} {place.group(1).lower()} the {where}", end + place.end()


def _repeated(text: str, found: list[Mark], taken: list[tuple[int, int]]) -> list[Mark]:
    """ "another on her chin" after a mark: that mark's kind at the new place."""
    repeats = []
    for match in _ANOTHER.finditer(text):
        before = sorted((m for m in found if m.end <= match.start()), key=lambda m: m.end)
        if not before or any(match.start() < e and s < match.end() for s, e in taken):
            continue
        placed, end = _placed(before[-1].kind, text, match.end())
        if end == match.end():
            continue  # "another" with no place is not a mark
        taken.append((match.start(), end))
        repeats.append(Mark(placed, match.start(), end, before[-1].kind))
    return repeats
