"""Distinguishing marks: freckles, moles and beauty marks, scars, a birthmark, a small tattoo,
piercings and the metal they are in.

Each mark is read from its own clause of the field ("a mole on her left cheek, gold hoop
earrings"), so a place or a side named for one mark is never read as another's.

Left and right are the subject's own, as a casting brief or a photographer describes a sitter:
the subject faces the camera, so their left cheek is on the image's right (x > 0 in face units)
and "a mole on her left cheek" is drawn right of the nose in the picture.
"""

from __future__ import annotations

import re

import numpy as np

from identities.renderer.traits.brief import BriefText
from identities.renderer.traits.model import Dice, Marks, Tattoo
from identities.renderer.words import fold, has, lookup

SUBJECT_LEFT = 1.0  # the image-side (sign of x) of the subject's left

_TATTOO_MOTIFS = ("star", "heart", "cross", "moon", "dots", "lines", "flower", "script")
_TATTOO_WORDS = {
    "star": "star",
    "heart": "heart",
    "cross": "cross",
    "moon": "moon",
    "crescent": "moon",
    "dots": "dots",
    "dot": "dots",
    "lines": "lines",
    "line": "lines",
    "flower": "flower",
    "rose": "flower",
    "script": "script",
    "lettering": "script",
    "word": "script",
    "text": "script",
}
_TATTOO_PLACES = {
    "neck": "neck",
    "throat": "neck",
    "temple": "temple",
    "face": "temple",
    "eye": "temple",
    "cheek": "cheek",
    "ear": "ear",
    "jaw": "jaw",
    "collarbone": "collarbone",
    "chest": "collarbone",
}
_PIERCINGS = {
    "nose stud": "nose_stud",
    "nose piercing": "nose_stud",
    "nostril": "nose_stud",
    "nose ring": "nose_ring",
    "nose hoop": "nose_ring",
    "septum": "septum",
    "eyebrow piercing": "brow",
    "brow piercing": "brow",
    "lip ring": "lip",
    "lip piercing": "lip",
    "labret": "lip",
    "earring": "ear_studs",
    "earrings": "ear_studs",
    "ear piercing": "ear_studs",
    "ear piercings": "ear_multi",
    "studs": "ear_studs",
    "stud earrings": "ear_studs",
    "hoops": "ear_hoops",
    "hoop": "ear_hoops",
    "hoop earrings": "ear_hoops",
    "helix": "ear_multi",
    "multiple ear piercings": "ear_multi",
}
_METALS = {
    "gold": "gold",
    "golden": "gold",
    "yellow gold": "gold",
    "brass": "gold",
    "rose gold": "rose gold",
    "silver": "silver",
    "sterling": "silver",
    "white gold": "silver",
    "platinum": "silver",
    "steel": "silver",
    "titanium": "silver",
    "chrome": "silver",
    "black": "black",
}
# Places on the subject's left half of the face (x > 0), face units; the order is the reading
# order, most specific first.
_PLACES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("jaw", "jawline", "jaw line"), "jaw"),
    (("chin",), "chin"),
    (("eyebrow", "brow"), "eyebrow"),
    (("lip", "lips", "mouth"), "lip"),
    (("cheekbone", "cheekbones"), "cheekbone"),
    (("cheek", "cheeks"), "cheek"),
    (("nose",), "nose"),
    (("eye", "eyes"), "eye"),
    (("temple",), "temple"),
    (("forehead",), "forehead"),
    (("neck", "throat"), "neck"),
)
# (x, y, radius) of a mole at each place
_MOLE_SPOTS = {
    "chin": (0.16, 1.3, 0.022),
    "eyebrow": (0.72, -0.25, 0.018),
    "lip": (0.3, 0.74, 0.021),
    "cheekbone": (0.66, 0.28, 0.022),
    "cheek": (0.56, 0.46, 0.026),
    "nose": (0.13, 0.42, 0.016),
    "eye": (0.66, 0.24, 0.016),
    "temple": (0.8, -0.32, 0.02),
    "forehead": (0.35, -0.8, 0.022),
    "neck": (0.3, 1.9, 0.025),
}
# (x, y, angle, length) of a scar at each place, angle in radians from the image's x axis
_SCAR_LINES = {
    "chin": (0.14, 1.32, 0.5, 0.16),
    "eyebrow": (0.58, -0.36, 1.35, 0.2),
    "lip": (0.1, 0.82, 1.45, 0.12),
    "cheekbone": (0.7, 0.3, 0.9, 0.26),
    "cheek": (0.6, 0.42, 0.9, 0.3),
    "nose": (0.06, 0.3, 1.1, 0.14),
    "eye": (0.72, 0.12, 1.4, 0.18),
    "temple": (0.82, -0.3, 1.2, 0.2),
    "forehead": (0.3, -0.75, 0.3, 0.26),
    "jaw": (0.66, 1.1, 0.7, 0.22),
}
_MOLE_WORDS = ("mole", "moles", "beauty mark", "beauty marks", "beauty spot", "beauty spots")
_MANY = ("moles", "beauty marks", "beauty spots", "marks", "spots", "several", "a few", "cluster")


def read_marks(text: BriefText, dice: Dice, skin_depth: float) -> Marks:
    rng = dice.rng("marks")
    words = text("face.marks")
    given = text.given("face.marks")
    clauses = _clauses(text.raw("face.marks"))
    moles: list[tuple[float, float, float]] = []
    jaw: list[tuple[float, float, float]] = []
    scars: list[tuple[float, float, float, float]] = []
    brow_scar = 0.0
    for clause in clauses:
        if has(clause, *_MOLE_WORDS):
            spots, on_jaw = _moles(clause, rng)
            moles += spots
            jaw += on_jaw
        if has(clause, "scar", "scars", "scarred"):
            place, side = _place(clause), _side(clause, rng)
            line = (
                _SCAR_LINES.get(place)
                or list(_SCAR_LINES.values())[int(rng.integers(len(_SCAR_LINES)))]
            )
            scars.append(_mirror(line, side, rng))
            if place == "eyebrow":
                brow_scar = side
    if not given and rng.random() < 0.35:
        moles = [_random_mole(rng)]
    return Marks(
        freckles=_freckles(words, given, skin_depth, rng),
        moles=tuple(moles),
        tattoo=_tattoo(_clause_with(clauses, "tattoo", "tattoos", "tat", "ink", "inked"), rng),
        piercings=frozenset(piercing for _, piercing in _found(words, _PIERCINGS)),
        scars=tuple(scars),
        birthmark=_birthmark(_clause_with(clauses, "birthmark", "birth mark", "port wine"), rng),
        lines=0.6 if has(words, "laugh lines", "crow s feet", "wrinkles", "fine lines") else 0.0,
        jaw_moles=tuple(jaw),
        metals=_metals(clauses, words, rng),
        piercing_side=_side(_clause_with(clauses, *(k for k in _PIERCINGS)), rng),
        brow_scar=brow_scar,
    )


def _found(text: str, table: dict[str, str]) -> list[tuple[str, str]]:
    """(phrase, value) for every phrase of `table` in `text`, longest first; a phrase inside a
    longer one found first is skipped ("nose hoop" is not also an ear's "hoop")."""
    found, rest = [], text
    for phrase in sorted(table, key=len, reverse=True):
        if has(rest, phrase):
            found.append((phrase, table[phrase]))
            rest = rest.replace(fold(phrase), " | ")
    return found


def _clauses(raw: object) -> list[str]:
    parts = re.split(r"[,;/]| and | with | plus ", str(raw or ""), flags=re.IGNORECASE)
    return [fold(part) for part in parts if part.strip()]


def _clause_with(clauses: list[str], *keys: str) -> str:
    """The first clause that mentions `keys`, so a place named for one mark is not read as the
    place of another ("mole on cheek, small star tattoo on neck")."""
    return next((clause for clause in clauses if has(clause, *keys)), " ")


def _side(clause: str, rng: np.random.Generator) -> float:
    if has(clause, "left"):
        return SUBJECT_LEFT
    if has(clause, "right"):
        return -SUBJECT_LEFT
    return 1.0 if rng.random() < 0.5 else -1.0


def _place(clause: str) -> str:
    return next((place for keys, place in _PLACES if has(clause, *keys)), "")


def _count(clause: str) -> int:
    if has(clause, "two", "pair", "couple"):
        return 2
    if has(clause, "three", *_MANY):
        return 3
    return 1


def _moles(
    clause: str, rng: np.random.Generator
) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Moles on the face, and moles along the jaw as (side, t, radius): t runs from the jaw's
    angle (0) to the chin (1) and the outline places them at paint time."""
    place, count = _place(clause), _count(clause)
    sides = (1.0, -1.0) if has(clause, "both") else (_side(clause, rng),)
    if place == "jaw":
        ts = np.linspace(0.15, 0.8, count) if count > 1 else np.array([rng.uniform(0.3, 0.6)])
        return [], [
            (side, float(t + rng.normal(0.0, 0.03)), float(rng.uniform(0.016, 0.024)))
            for side in sides
            for t in ts
        ]
    if not place:
        place = "lip" if has(clause, "beauty mark", "beauty spot") else ""
    spots = []
    for side in sides:
        for k in range(count):
            if not place:
                spots.append(_random_mole(rng, side))
                continue
            x, y, r = _MOLE_SPOTS[place]
            # Several marks at one place make a small cluster round it.
            spread = 0.0 if k == 0 else 0.07
            spots.append(
                (
                    side * x + float(rng.normal(0.0, 0.015 + spread)),
                    y + float(rng.normal(0.0, 0.015 + spread)),
                    r * float(rng.uniform(0.85, 1.1)),
                )
            )
    return spots, []


def _mirror(
    line: tuple[float, float, float, float], side: float, rng: np.random.Generator
) -> tuple[float, float, float, float]:
    x, y, angle, length = line
    # Mirrored onto the image's left, the scar's direction mirrors too.
    angle = angle if side > 0 else np.pi - angle
    return (
        side * x + float(rng.normal(0.0, 0.015)),
        y * float(rng.uniform(0.97, 1.03)),
        float(angle),
        length * float(rng.uniform(0.95, 1.05)),
    )


def _random_mole(rng: np.random.Generator, side: float = 0.0) -> tuple[float, float, float]:
    spots = ((0.55, 0.45), (0.32, 0.72), (0.62, 0.05), (-0.2, 1.25), (0.75, -0.55), (0.45, 1.05))
    x, y = spots[int(rng.integers(len(spots)))]
    side = side or (1.0 if rng.random() < 0.5 else -1.0)
    return (
        side * x + float(rng.normal(0.0, 0.03)),
        y + float(rng.normal(0.0, 0.03)),
        float(rng.uniform(0.014, 0.026)),
    )


def _freckles(words: str, given: bool, skin_depth: float, rng: np.random.Generator) -> float:
    amount = 0.0
    if has(words, "heavy freckles", "lots of freckles", "many freckles", "dense freckles"):
        amount = 0.95
    elif has(words, "light freckles", "faint freckles", "few freckles", "sun spots"):
        amount = 0.35
    elif has(words, "freckles", "freckled", "freckle"):
        amount = 0.65
    elif not given and skin_depth < 0.3 and rng.random() < 0.2:
        amount = float(rng.uniform(0.1, 0.3))
    return float(amount * rng.uniform(0.9, 1.1))


def _birthmark(clause: str, rng: np.random.Generator) -> tuple[float, float, float] | None:
    if not has(clause, "birthmark", "birth mark", "port wine"):
        return None
    side = _side(clause, rng)
    x, y = {"forehead": (0.4, -0.7), "neck": (0.35, 1.85), "chin": (0.2, 1.25)}.get(
        _place(clause), (float(rng.uniform(0.4, 0.7)), float(rng.uniform(0.3, 0.9)))
    )
    return (side * x, y, 0.18)


def _tattoo(clause: str, rng: np.random.Generator) -> Tattoo | None:
    if not has(clause, "tattoo", "tattoos", "tat", "ink", "inked"):
        return None
    motif = lookup(clause, _TATTOO_WORDS) or _TATTOO_MOTIFS[int(rng.integers(len(_TATTOO_MOTIFS)))]
    place = lookup(clause, _TATTOO_PLACES) or ("neck", "temple", "collarbone")[int(rng.integers(3))]
    return Tattoo(motif=motif, place=place, side=_side(clause, rng))


def _metals(
    clauses: list[str], words: str, rng: np.random.Generator
) -> tuple[tuple[str, str], ...]:
    """The metal of every piercing: the one its own clause names, else the one the field names
    anywhere, else a seeded pick (hoops default to gold, the usual hoop)."""
    # "black" is a metal only beside its piercing: "black star tattoo" says nothing of a stud.
    anywhere = lookup(words, {k: v for k, v in _METALS.items() if v != "black"})
    picked = "gold" if rng.random() < 0.4 else "silver"
    metals: dict[str, str] = {}
    for phrase, piercing in _found(words, _PIERCINGS):
        metal = lookup(_clause_with(clauses, phrase), _METALS) or anywhere
        if metal is None:
            metal = "gold" if piercing == "ear_hoops" else picked
        metals.setdefault(piercing, metal)
    return tuple(sorted(metals.items()))
