"""Hair: colour, length and style words to a drawable hair description."""

from __future__ import annotations

import re

import numpy as np

from identities.renderer import palette
from identities.renderer.traits.brief import BriefText
from identities.renderer.traits.heritage import Heritage
from identities.renderer.traits.model import Dice, Hair, Person
from identities.renderer.words import has, lookup, lookup_all

# (length, cover, volume): length is where the longest side hair ends (y, face units);
# cover 0 is bald, a small cover is a shaved or buzzed scalp.
_LENGTHS = {
    "bald": (-1.0, 0.0, 0.0),
    "shaved": (-1.0, 0.14, 0.0),
    "shaved head": (-1.0, 0.14, 0.0),
    "buzz cut": (-0.9, 0.32, 0.015),
    "buzz": (-0.9, 0.32, 0.015),
    "buzzed": (-0.9, 0.32, 0.015),
    "crew cut": (-0.6, 0.5, 0.04),
    "cropped": (-0.5, 1.0, 0.06),
    "very short": (-0.5, 1.0, 0.07),
    "short": (-0.2, 1.0, 0.14),
    "ear length": (0.55, 1.0, 0.16),
    "chin length": (1.35, 1.0, 0.18),
    "jaw length": (1.2, 1.0, 0.18),
    "medium": (2.0, 1.0, 0.2),
    "mid length": (2.0, 1.0, 0.2),
    "collarbone": (2.1, 1.0, 0.2),
    "lob": (1.9, 1.0, 0.2),
    "shoulder length": (2.45, 1.0, 0.2),
    "long": (3.4, 1.0, 0.22),
    "very long": (4.6, 1.0, 0.22),
    "waist length": (5.5, 1.0, 0.22),
    "hip length": (6.0, 1.0, 0.22),
}
_CURLS = {
    "straight": 0.0,
    "sleek": 0.0,
    "wavy": 0.32,
    "waves": 0.32,
    "beach waves": 0.36,
    "curly": 0.62,
    "curls": 0.62,
    "ringlets": 0.66,
    "coily": 0.86,
    "coils": 0.86,
    "kinky": 0.9,
    "afro": 0.9,
    "4c": 0.95,
    "tight curls": 0.8,
}


def read_hair(text: BriefText, dice: Dice, person: Person, heritage: Heritage) -> Hair:
    rng = dice.rng("hair")
    style = text("hair.style")
    length, cover, volume = _length(text, rng, person, style)
    color, tip, streaks, grey, natural = _colors(text, dice.rng("hair.color"), person, heritage)
    curl = lookup(style, _CURLS)
    curl = float(rng.uniform(*heritage.curl)) if curl is None else curl + rng.normal(0.0, 0.03)
    kind = "strands"
    if has(style, "locs", "dreadlocks", "dreads", "faux locs", "twists", "sisterlocks"):
        kind = "locs"
    elif has(style, "cornrows", "cornrow"):
        kind = "cornrows"
    elif has(style, "braids", "box braids", "braided", "plaits", "knotless braids"):
        kind = "braids"
    if has(style, "afro", "fro"):
        volume = max(volume, 0.75 + rng.uniform(0.0, 0.2))
        length = min(max(length, 0.6), 1.6) if not text.given("hair.length") else length
    if has(style, "voluminous", "big", "bouncy", "blowout", "volume"):
        volume += 0.12
    sleek = 1.0 if has(style, "sleek", "slicked", "slick", "gelled", "wet look", "smooth") else 0.0
    messy = 0.8 if has(style, "messy", "tousled", "textured", "shaggy", "shag", "undone") else 0.0
    if has(style, "wolf cut", "mullet"):
        messy = 0.9
    updo = _updo(style)
    part = _part(style, rng)
    fringe = _fringe(style, rng, person, length)
    if sleek or updo or has(style, "slicked back", "combed back", "swept back"):
        fringe = "" if not has(style, "bangs", "fringe") else fringe
    if has(style, "slicked back", "slick back", "combed back", "swept back", "pompadour"):
        part = 9.0
    swept = 0.0
    if has(style, "quiff", "pompadour", "faux hawk", "fauxhawk", "mohawk", "spiky"):
        swept = 0.8
    sides = ""
    if has(style, "undercut", "shaved sides", "mohawk"):
        sides = "undercut"
    elif has(style, "fade", "skin fade", "taper", "tapered"):
        sides = "fade"
    if has(style, "pixie", "pixie cut"):
        length = min(length, 0.15) if not text.given("hair.length") else length
        fringe = fringe or "side"
    if updo and length < 1.8 and not text.given("hair.length"):
        length = 3.0
    if kind != "strands" and length < 1.0 and not text.given("hair.length"):
        length = 3.0 if kind != "cornrows" else 0.0
    blunt = 1.0 if has(style, "bob", "blunt") else (0.0 if has(style, "layered") else 0.3)
    return Hair(
        color=tuple(palette.lin(color).tolist()),
        tip_color=tuple(palette.lin(tip).tolist()),
        natural=tuple(palette.lin(palette.scale(natural, 0.85)).tolist()),
        streaks=streaks,
        grey=grey,
        length=float(length + rng.normal(0.0, 0.05) * (cover > 0.9)),
        cover=cover,
        volume=float(np.clip(volume + rng.normal(0.0, 0.02) - 0.12 * sleek, 0.0, 1.1)),
        curl=float(np.clip(curl, 0.0, 1.0)),
        part=part,
        fringe=fringe,
        updo=updo,
        sides=sides,
        kind=kind,
        messy=float(np.clip(messy + rng.uniform(0.0, 0.25), 0.0, 1.0)),
        sleek=sleek,
        blunt=blunt,
        swept=swept,
    )


# Cuts of the sides only: "shaved sides" is an undercut, not a shaved head.
_SIDE_CUTS = re.compile(r" (?:shaved|buzzed) (?:sides?|undercut|back) | side shave ")


def _length(
    text: BriefText, rng: np.random.Generator, person: Person, style: str
) -> tuple[float, float, float]:
    stated = lookup(text("hair.length"), _LENGTHS)
    if stated is None:
        # A style can name a length too ("buzz cut", "pixie"), once its side cuts are set aside.
        stated = lookup(_SIDE_CUTS.sub(" ", style), _LENGTHS)
    if stated is None and has(style, "bob"):
        stated = _LENGTHS["chin length"]
    if stated is None:
        # Any hair field in the brief asks for hair that shows it: a colour, a length the
        # painter does not know or a style never comes out as a buzz cut or a shaved head.
        asked = any(text.given(path) for path in ("hair.color", "hair.length", "hair.style"))
        stated = _open_length(rng, person, styled=asked)
    length, cover, volume = stated
    if cover < 0.9:
        return length, cover * rng.uniform(0.9, 1.1), volume
    return length, cover, volume + float(rng.uniform(0.0, 0.08))


def _open_length(
    rng: np.random.Generator, person: Person, styled: bool
) -> tuple[float, float, float]:
    if person.femininity > 0.65:
        options = ("short", "chin length", "shoulder length", "long", "long", "very long")
    elif person.femininity > 0.35:
        options = ("short", "ear length", "chin length", "shoulder length", "cropped")
    elif styled:
        options = ("short", "short", "ear length", "chin length", "shoulder length", "long")
    else:
        options = ("buzz cut", "cropped", "short", "short", "short", "ear length", "long")
        if person.age > 45 and rng.random() < 0.15:
            return _LENGTHS["shaved"]
    return _LENGTHS[options[int(rng.integers(len(options)))]]


def _colors(
    text: BriefText, rng: np.random.Generator, person: Person, heritage: Heritage
) -> tuple[palette.RGB, palette.RGB, float, float, palette.RGB]:
    words = text("hair.color")
    named = lookup(words, palette.HAIR_COLORS)
    grey = 0.0
    pick = heritage.hair[int(rng.integers(len(heritage.hair)))]
    # Brows and beards grow in the natural colour: the stated one unless dyed or white.
    natural = palette.HAIR_COLORS[pick]
    if named is None:
        base = palette.jitter(palette.HAIR_COLORS[pick], rng, 0.06)
        natural = base
        # Nobody asked for a colour: let age grey it, as it would.
        grey = float(np.clip((person.age - 38.0) / 32.0, 0.0, 1.0)) * rng.uniform(0.6, 1.0)
    else:
        base = palette.jitter(named, rng, 0.04)
        if _is_natural(words):
            natural = base
        if has(words, "light") and not has(words, "light blonde", "light brown"):
            base = palette.mix(base, (0.95, 0.88, 0.7), 0.3)
        if has(words, "dark") and not has(words, "dark brown", "dark blonde"):
            base = palette.scale(base, 0.65)
    if has(words, "salt and pepper", "greying", "graying", "grey streaks", "silver streaks"):
        grey = max(grey, 0.45)
    tip = base
    if has(words + text("hair.style"), "ombre", "ombré", "dip dyed", "tips"):
        colors = lookup_all(words, palette.HAIR_COLORS)
        second = colors[1] if len(colors) > 1 else palette.mix(base, (0.93, 0.84, 0.62), 0.6)
        tip = second
    if has(words, "dark roots", "roots", "rooted"):
        tip, base = base, palette.scale(base, 0.45)
    streaks = 0.0
    if has(words + text("hair.style"), "balayage", "highlights", "highlighted", "babylights"):
        streaks = 0.55
    return base, tip, streaks, float(grey), natural


_WHITE = ("white", "silver", "grey", "gray")


def _is_natural(words: str) -> bool:
    for phrase in sorted(palette.HAIR_COLORS, key=len, reverse=True):
        if has(words, phrase):
            return phrase in palette.NATURAL_HAIR and phrase not in _WHITE
    return False


def _updo(style: str) -> str:
    if has(style, "top knot", "high bun", "man bun", "topknot"):
        return "top knot"
    if has(style, "low bun", "chignon", "nape bun"):
        return "low bun"
    if has(style, "bun", "messy bun", "updo"):
        return "bun"
    if has(style, "ponytail", "pony tail", "high ponytail", "low ponytail"):
        return "ponytail"
    return ""


def _part(style: str, rng: np.random.Generator) -> float:
    side = 1.0 if rng.random() < 0.5 else -1.0
    if has(style, "middle part", "center part", "centre part", "middle parting"):
        return float(rng.normal(0.0, 0.02))
    if has(style, "deep side part"):
        return side * 0.95
    if has(style, "side part", "side parting", "side swept", "side-swept"):
        return side * float(rng.uniform(0.6, 0.8))
    return float(rng.uniform(-0.7, 0.7))


def _fringe(style: str, rng: np.random.Generator, person: Person, length: float) -> str:
    if has(style, "curtain bangs", "curtain fringe"):
        return "curtain"
    if has(style, "side bangs", "side swept bangs", "side fringe"):
        return "side"
    if has(style, "wispy bangs", "wispy fringe"):
        return "wispy"
    if has(style, "bangs", "fringe", "blunt bangs"):
        return "full"
    if not style.strip() and length > 0.5 and rng.random() < 0.15:
        return ("full", "curtain", "side")[int(rng.integers(3))]
    return ""
