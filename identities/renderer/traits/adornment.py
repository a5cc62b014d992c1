"""What sits on the face: facial hair and makeup (marks are read in `marks.py`)."""

from __future__ import annotations

import numpy as np

from identities.renderer import palette
from identities.renderer.traits.brief import BriefText
from identities.renderer.traits.model import (
    Color,
    Dice,
    FacialHair,
    Makeup,
    Person,
)
from identities.renderer.words import has, lookup

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
