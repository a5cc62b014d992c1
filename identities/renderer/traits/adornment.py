"""What sits on the face: facial hair, makeup and distinguishing marks."""

from __future__ import annotations

import re

import numpy as np

from identities.renderer import palette
from identities.renderer.traits.brief import BriefText
from identities.renderer.traits.model import (
    Color,
    Dice,
    FacialHair,
    Makeup,
    Marks,
    Person,
    Tattoo,
)
from identities.renderer.words import fold, has, lookup

# (stubble, beard coverage, beard length, moustache, goatee)
_FACIAL_HAIR = {
    "clean shaven": (0.06, 0.0, 0.0, 0.0, 0.0),
    "clean": (0.06, 0.0, 0.0, 0.0, 0.0),
    "shaved": (0.06, 0.0, 0.0, 0.0, 0.0),
    "light stubble": (0.32, 0.0, 0.0, 0.0, 0.0),
    "stubble": (0.5, 0.0, 0.0, 0.0, 0.0),
    "designer stubble": (0.58, 0.0, 0.0, 0.0, 0.0),
    "five o clock shadow": (0.4, 0.0, 0.0, 0.0, 0.0),
    "heavy stubble": (0.8, 0.0, 0.0, 0.0, 0.0),
    "short beard": (0.6, 0.85, 0.06, 0.85, 0.0),
    "trimmed beard": (0.6, 0.85, 0.06, 0.85, 0.0),
    "beard": (0.6, 0.9, 0.14, 0.9, 0.0),
    "full beard": (0.6, 1.0, 0.22, 1.0, 0.0),
    "thick beard": (0.6, 1.0, 0.24, 1.0, 0.0),
    "long beard": (0.6, 1.0, 0.55, 1.0, 0.0),
    "goatee": (0.15, 0.0, 0.08, 0.8, 1.0),
    "van dyke": (0.15, 0.0, 0.1, 1.0, 0.9),
    "soul patch": (0.1, 0.0, 0.0, 0.0, 0.35),
    "moustache": (0.12, 0.0, 0.0, 1.0, 0.0),
    "mustache": (0.12, 0.0, 0.0, 1.0, 0.0),
    "handlebar": (0.12, 0.0, 0.0, 1.0, 0.0),
    "chinstrap": (0.1, 0.45, 0.03, 0.0, 0.0),
    "sideburns": (0.1, 0.2, 0.0, 0.0, 0.0),
}

# lip colour word, lip alpha, gloss, liner, wing, shadow word, shadow alpha, lid gloss, mascara,
# blush, contour, bare
_LOOKS: dict[str, dict[str, object]] = {
    "no makeup": {"bare": 1.0},
    "makeup free": {"bare": 1.0},
    "bare": {"bare": 1.0},
    "natural": {"lip": "rose", "lip_alpha": 0.18, "mascara": 0.45, "blush": 0.22},
    "minimal": {"lip": "nude", "lip_alpha": 0.15, "mascara": 0.35, "blush": 0.15},
    "natural minimal": {"lip": "rose", "lip_alpha": 0.15, "mascara": 0.4, "blush": 0.18},
    "dewy": {"blush": 0.3, "lip": "peach", "lip_alpha": 0.2, "gloss": 0.5},
    "matte": {"lip": "mauve", "lip_alpha": 0.35, "gloss": -0.4},
    "soft glam": {
        "lip": "rose",
        "lip_alpha": 0.5,
        "mascara": 0.85,
        "liner": 0.45,
        "wing": 0.25,
        "shadow": "neutral",
        "shadow_alpha": 0.4,
        "blush": 0.35,
        "contour": 0.35,
    },
    "glam": {
        "lip": "rose",
        "lip_alpha": 0.65,
        "mascara": 1.0,
        "liner": 0.7,
        "wing": 0.5,
        "shadow": "bronze",
        "shadow_alpha": 0.5,
        "blush": 0.4,
        "contour": 0.5,
    },
    "bold lip": {"lip": "bold", "lip_alpha": 0.9},
    "red lip": {"lip": "red", "lip_alpha": 0.92},
    "lipstick": {"lip": "red", "lip_alpha": 0.85},
    "smoky eye": {"shadow": "smoky", "shadow_alpha": 0.75, "liner": 0.6, "mascara": 0.9},
    "smokey eye": {"shadow": "smoky", "shadow_alpha": 0.75, "liner": 0.6, "mascara": 0.9},
    "winged eyeliner": {"liner": 0.9, "wing": 1.0, "mascara": 0.6},
    "winged liner": {"liner": 0.9, "wing": 1.0, "mascara": 0.6},
    "cat eye": {"liner": 0.9, "wing": 1.0, "mascara": 0.6},
    "eyeliner": {"liner": 0.8, "mascara": 0.5},
    "graphic liner": {"liner": 1.0, "wing": 1.3},
    "glossy lids": {"lid_gloss": 0.9, "shadow": "shimmer", "shadow_alpha": 0.3},
    "mascara": {"mascara": 1.0},
    "lashes": {"mascara": 1.0},
    "blush": {"blush": 0.6},
    "bronzer": {"contour": 0.5, "blush": 0.2},
    "contour": {"contour": 0.6},
    "gloss": {"gloss": 0.9},
    "glossy lips": {"gloss": 0.9, "lip": "nude", "lip_alpha": 0.3},
    "editorial": {"liner": 0.7, "wing": 0.8, "shadow": "smoky", "shadow_alpha": 0.35},
}

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
    "hoop earrings": "ear_hoops",
    "helix": "ear_multi",
    "multiple ear piercings": "ear_multi",
}
# (x, y, angle, length): x > 0 is the image's right side.
_SCARS = {
    "scar on chin": (0.14, 1.32, 0.5, 0.16),
    "chin scar": (0.14, 1.32, 0.5, 0.16),
    "scar on eyebrow": (0.5, -0.36, 1.35, 0.2),
    "scar on brow": (0.5, -0.36, 1.35, 0.2),
    "eyebrow scar": (0.5, -0.36, 1.35, 0.2),
    "scar on cheek": (0.6, 0.42, 0.9, 0.3),
    "cheek scar": (0.6, 0.42, 0.9, 0.3),
    "scar on lip": (0.1, 0.82, 1.45, 0.12),
    "scar on forehead": (-0.3, -0.75, 0.3, 0.26),
}
_MOLES = {
    "mole on cheek": (0.56, 0.46, 0.026),
    "mole on chin": (-0.16, 1.28, 0.022),
    "mole above lip": (0.3, 0.72, 0.02),
    "mole on neck": (0.3, 1.9, 0.025),
    "beauty mark": (0.34, 0.7, 0.022),
    "beauty spot": (0.34, 0.7, 0.022),
}


def read_facial_hair(
    text: BriefText, dice: Dice, person: Person, natural: Color, grey: float
) -> FacialHair:
    rng = dice.rng("facial_hair")
    stated = lookup(text("face.facial_hair"), _FACIAL_HAIR)
    if stated is None:
        stated = _open_facial_hair(rng, person)
    stubble, beard, length, moustache, goatee = (
        float(np.clip(v + rng.normal(0.0, 0.03) * (v > 0), 0.0, 1.5)) for v in stated
    )
    color = palette.mix(_srgb(natural), (0.72, 0.72, 0.72), min(1.0, grey * 1.15))
    return FacialHair(
        stubble=stubble,
        beard=beard,
        beard_length=length,
        moustache=moustache,
        goatee=goatee,
        color=tuple(palette.lin(palette.scale(color, 0.85)).tolist()),
    )


def _open_facial_hair(rng: np.random.Generator, person: Person) -> tuple[float, ...]:
    if person.femininity > 0.35:
        return (0.0, 0.0, 0.0, 0.0, 0.0)
    roll = rng.random()
    if roll < 0.35:
        return (float(rng.uniform(0.03, 0.12)), 0.0, 0.0, 0.0, 0.0)
    if roll < 0.72:
        return (float(rng.uniform(0.2, 0.6)), 0.0, 0.0, 0.0, 0.0)
    if roll < 0.88:
        return (0.6, 0.85, float(rng.uniform(0.03, 0.1)), 0.85, 0.0)
    return (0.6, 1.0, float(rng.uniform(0.12, 0.3)), 1.0, 0.0)


def _srgb(linear: Color) -> tuple[float, float, float]:
    r, g, b = (float(c) ** (1 / 2.2) for c in linear)
    return (r, g, b)


def read_makeup(text: BriefText, dice: Dice, person: Person) -> Makeup:
    rng = dice.rng("makeup")
    words = text("face.makeup")
    looks = [v for k, v in _LOOKS.items() if has(words, k)]
    look: dict[str, object] = {}
    if not looks and person.femininity > 0.6 and rng.random() < 0.65:
        look = {"lip": "rose", "lip_alpha": 0.12, "mascara": 0.4, "blush": 0.15}
    for part in looks:
        for key, value in part.items():
            if isinstance(value, str) or key not in look:
                look[key] = value
            else:
                look[key] = max(float(look[key]), float(value))  # type: ignore[arg-type]
    # A lipstick colour named in the makeup or lips field wins over the look's default.
    lip_word = lookup(words + text("face.lips"), {k: k for k in palette.LIPSTICKS})
    if lip_word is not None and has(words + text("face.lips"), "lip", "lips", "lipstick"):
        look["lip"], look["lip_alpha"] = lip_word, max(float(look.get("lip_alpha", 0)), 0.85)
    shadow_word = lookup(words, {k: k for k in palette.EYESHADOWS})
    if shadow_word is not None and has(words, "eye", "eyes", "eyeshadow", "lids", "shadow"):
        look["shadow"], look["shadow_alpha"] = (
            shadow_word,
            max(float(look.get("shadow_alpha", 0)), 0.5),
        )

    def amount(key: str) -> float:
        value = float(look.get(key, 0.0))  # type: ignore[arg-type]
        return float(np.clip(value + rng.normal(0.0, 0.03) * (value != 0), -1.0, 1.5))

    lip = look.get("lip")
    shadow = look.get("shadow")
    bare = float(look["bare"]) if "bare" in look else (0.2 if looks else rng.uniform(0.25, 0.6))
    return Makeup(
        lip_color=_named(lip, palette.LIPSTICKS),
        lip_alpha=amount("lip_alpha"),
        gloss=amount("gloss"),
        liner=amount("liner"),
        wing=amount("wing"),
        shadow_color=_named(shadow, palette.EYESHADOWS),
        shadow_alpha=amount("shadow_alpha"),
        lid_gloss=amount("lid_gloss"),
        mascara=amount("mascara"),
        blush=amount("blush"),
        blush_color=tuple(palette.lin((0.86, 0.42, 0.42)).tolist()),
        contour=amount("contour"),
        bare=float(np.clip(bare + rng.normal(0.0, 0.02), 0.0, 1.0)),
    )


def _named(word: object, table: dict[str, palette.RGB]) -> Color | None:
    if isinstance(word, str) and word in table:
        return tuple(palette.lin(table[word]).tolist())
    return None


def read_marks(text: BriefText, dice: Dice, skin_depth: float) -> Marks:
    rng = dice.rng("marks")
    words = text("face.marks")
    given = text.given("face.marks")
    freckles = 0.0
    if has(words, "heavy freckles", "lots of freckles", "many freckles", "dense freckles"):
        freckles = 0.95
    elif has(words, "light freckles", "faint freckles", "few freckles", "sun spots"):
        freckles = 0.35
    elif has(words, "freckles", "freckled", "freckle"):
        freckles = 0.65
    elif not given and skin_depth < 0.3 and rng.random() < 0.2:
        freckles = float(rng.uniform(0.1, 0.3))
    moles = [_jitter(rng, spot) for key, spot in _MOLES.items() if has(words, key)]
    if not moles and has(words, "mole", "moles"):
        moles = [_random_mole(rng) for _ in range(3 if has(words, "moles") else 1)]
    elif not given and rng.random() < 0.35:
        moles = [_random_mole(rng)]
    scars = [_jitter(rng, s) for key, s in _SCARS.items() if has(words, key)]
    if not scars and has(words, "scar", "scars"):
        scars = [_jitter(rng, list(_SCARS.values())[int(rng.integers(len(_SCARS)))])]
    birthmark = None
    if has(words, "birthmark", "birth mark", "port wine"):
        birthmark = (float(rng.uniform(-0.7, -0.4)), float(rng.uniform(0.3, 0.9)), 0.18)
    lines = 0.6 if has(words, "laugh lines", "crow s feet", "wrinkles", "fine lines") else 0.0
    return Marks(
        freckles=float(freckles * rng.uniform(0.9, 1.1)),
        moles=tuple(moles),
        tattoo=_tattoo(_clause(text.raw("face.marks"), "tattoo", "tat", "ink"), rng),
        piercings=frozenset(p for key, p in _PIERCINGS.items() if has(words, key)),
        scars=tuple(scars),
        birthmark=birthmark,
        lines=lines,
    )


def _jitter(rng: np.random.Generator, values: tuple[float, ...]) -> tuple[float, ...]:
    side = 1.0 if rng.random() < 0.5 else -1.0
    x, *rest = values
    return (side * x + float(rng.normal(0.0, 0.02)), *(v * rng.uniform(0.95, 1.05) for v in rest))


def _random_mole(rng: np.random.Generator) -> tuple[float, float, float]:
    spots = ((0.55, 0.45), (0.32, 0.72), (0.62, 0.05), (-0.2, 1.25), (0.75, -0.55), (0.45, 1.05))
    x, y = spots[int(rng.integers(len(spots)))]
    side = 1.0 if rng.random() < 0.5 else -1.0
    return (
        side * x + float(rng.normal(0.0, 0.03)),
        y + float(rng.normal(0.0, 0.03)),
        float(rng.uniform(0.014, 0.026)),
    )


def _clause(raw: object, *keys: str) -> str:
    """The part of a list ("mole on cheek, star tattoo on neck") that mentions `keys`, so a
    place named for one mark is not read as the place of another."""
    for part in re.split(r"[,;/]| and | with ", str(raw or ""), flags=re.IGNORECASE):
        if has(fold(part), *keys):
            return fold(part)
    return " "


def _tattoo(words: str, rng: np.random.Generator) -> Tattoo | None:
    if not has(words, "tattoo", "tattoos", "tat", "ink"):
        return None
    motif = lookup(words, _TATTOO_WORDS) or _TATTOO_MOTIFS[int(rng.integers(len(_TATTOO_MOTIFS)))]
    place = lookup(words, _TATTOO_PLACES) or ("neck", "temple", "collarbone")[int(rng.integers(3))]
    return Tattoo(motif=motif, place=place)
