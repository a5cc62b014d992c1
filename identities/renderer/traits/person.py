"""Appearance: gender, age, heritage, skin, build and expression."""

from __future__ import annotations

import numpy as np

from identities.renderer import palette
from identities.renderer.traits.brief import BriefText
from identities.renderer.traits.heritage import Heritage, heritage_for
from identities.renderer.traits.model import Dice, Expression, Person, Skin
from identities.renderer.words import has, lookup, lookup_all, parse_age

_GENDERS = {
    "female": 0.95,
    "woman": 0.95,
    "feminine": 0.85,
    "girl": 0.95,
    "lady": 0.95,
    "male": 0.05,
    "man": 0.05,
    "masculine": 0.15,
    "boy": 0.05,
    "gentleman": 0.05,
    "non binary": 0.5,
    "nonbinary": 0.5,
    "enby": 0.5,
    "androgynous": 0.5,
    "agender": 0.5,
    "genderfluid": 0.5,
    "gender neutral": 0.5,
    "trans woman": 0.85,
    "trans man": 0.15,
}
_FEMININE_HINTS = ("she", "her", "woman", "female", "latina", "filipina", "girl")
_MASCULINE_HINTS = ("he", "his", "him", "man", "male", "latino", "boy")
_BEARD_WORDS = ("beard", "stubble", "moustache", "mustache", "goatee", "sideburns", "five o clock")

# (build, muscle): build is -1 very slim .. 1 heavy.
_BUILDS = {
    "petite": (-0.45, 0.1),
    "slim": (-0.55, 0.15),
    "slender": (-0.55, 0.1),
    "thin": (-0.7, 0.05),
    "skinny": (-0.75, 0.05),
    "lean": (-0.4, 0.45),
    "athletic": (-0.1, 0.65),
    "toned": (-0.2, 0.55),
    "fit": (-0.2, 0.5),
    "sporty": (-0.1, 0.55),
    "average": (0.05, 0.25),
    "medium": (0.05, 0.25),
    "regular": (0.05, 0.25),
    "curvy": (0.4, 0.15),
    "soft": (0.35, 0.1),
    "muscular": (0.25, 0.95),
    "strong": (0.2, 0.8),
    "broad": (0.35, 0.6),
    "stocky": (0.55, 0.5),
    "heavy": (0.75, 0.2),
    "chubby": (0.7, 0.1),
    "full figured": (0.7, 0.1),
    "plus size": (0.85, 0.1),
    "plus": (0.8, 0.1),
    "large": (0.7, 0.3),
}

# (smile, teeth, brow_raise, frown, squint, smirk)
_EXPRESSIONS = {
    "neutral": (0.04, 0.0, 0.0, 0.0, 0.0, 0.0),
    "calm": (0.08, 0.0, 0.0, 0.0, 0.05, 0.0),
    "confident": (0.16, 0.0, 0.0, 0.12, 0.12, 0.2),
    "relaxed": (0.22, 0.0, 0.05, 0.0, 0.08, 0.0),
    "serene": (0.14, 0.0, 0.12, 0.0, 0.16, 0.0),
    "warm": (0.55, 0.25, 0.08, 0.0, 0.2, 0.0),
    "friendly": (0.72, 0.6, 0.12, 0.0, 0.25, 0.0),
    "approachable": (0.55, 0.3, 0.1, 0.0, 0.15, 0.0),
    "kind": (0.45, 0.1, 0.1, 0.0, 0.15, 0.0),
    "serious": (0.0, 0.0, 0.0, 0.4, 0.05, 0.0),
    "stern": (-0.1, 0.0, 0.0, 0.6, 0.1, 0.0),
    "focused": (0.02, 0.0, 0.0, 0.28, 0.22, 0.0),
    "intense": (0.0, 0.0, 0.0, 0.45, 0.3, 0.0),
    "fierce": (0.0, 0.12, 0.0, 0.55, 0.3, 0.0),
    "playful": (0.6, 0.4, 0.25, 0.0, 0.15, 0.55),
    "cheeky": (0.5, 0.2, 0.2, 0.0, 0.15, 0.7),
    "soft smile": (0.42, 0.0, 0.05, 0.0, 0.12, 0.0),
    "smiling": (0.72, 0.5, 0.1, 0.0, 0.25, 0.0),
    "smile": (0.65, 0.35, 0.1, 0.0, 0.2, 0.0),
    "happy": (0.85, 0.75, 0.15, 0.0, 0.3, 0.0),
    "joyful": (0.92, 0.85, 0.2, 0.0, 0.35, 0.0),
    "cheerful": (0.85, 0.75, 0.15, 0.0, 0.3, 0.0),
    "laughing": (1.0, 1.0, 0.2, 0.0, 0.45, 0.0),
    "beaming": (0.95, 0.85, 0.15, 0.0, 0.35, 0.0),
    "radiant": (0.85, 0.7, 0.15, 0.0, 0.3, 0.0),
    "editorial": (-0.05, 0.14, 0.0, 0.15, 0.08, 0.0),
    "sultry": (0.0, 0.14, 0.0, 0.0, 0.3, 0.0),
    "mysterious": (0.08, 0.0, 0.0, 0.1, 0.25, 0.25),
    "pensive": (-0.05, 0.0, 0.15, 0.12, 0.05, 0.0),
    "thoughtful": (0.0, 0.0, 0.12, 0.15, 0.05, 0.0),
    "surprised": (0.0, 0.4, 0.85, 0.0, 0.0, 0.0),
    "curious": (0.15, 0.0, 0.45, 0.0, 0.0, 0.15),
    "sad": (-0.25, 0.0, 0.4, 0.1, 0.0, 0.0),
    "melancholic": (-0.2, 0.0, 0.35, 0.1, 0.05, 0.0),
    "moody": (-0.1, 0.0, 0.0, 0.3, 0.15, 0.0),
    "brooding": (-0.1, 0.0, 0.0, 0.4, 0.2, 0.0),
}

# (smile, teeth, smirk); None keeps what the expression said.
_SMILES = {
    "no smile": (0.0, 0.0, 0.0),
    "not smiling": (0.0, 0.0, 0.0),
    "closed lip smile": (0.5, 0.0, 0.0),
    "closed mouth smile": (0.5, 0.0, 0.0),
    "closed lip": (0.45, 0.0, 0.0),
    "soft smile": (0.4, 0.0, 0.0),
    "gentle smile": (0.4, 0.0, 0.0),
    "slight smile": (0.26, 0.0, 0.0),
    "subtle smile": (0.24, 0.0, 0.0),
    "hint of a smile": (0.2, 0.0, 0.0),
    "wide smile": (0.9, 0.7, 0.0),
    "broad smile": (0.9, 0.7, 0.0),
    "big smile": (0.92, 0.75, 0.0),
    "toothy smile": (0.85, 0.95, 0.0),
    "toothy": (0.85, 0.95, 0.0),
    "grin": (0.9, 0.9, 0.0),
    "open smile": (0.8, 0.8, 0.0),
    "gap toothed smile": (0.82, 0.85, 0.0),
    "gap toothed": (0.82, 0.85, 0.0),
    "smirk": (0.35, 0.0, 0.85),
    "half smile": (0.32, 0.0, 0.7),
    "lopsided smile": (0.45, 0.2, 0.7),
    "smile": (0.6, 0.35, 0.0),
    "smiling": (0.65, 0.4, 0.0),
    "laughing": (1.0, 1.0, 0.0),
}


def read_person(text: BriefText, dice: Dice) -> tuple[Person, Heritage]:
    skin_hint = _skin_depth_words(text("appearance.skin"))
    heritage = heritage_for(text("appearance.ethnicity"), dice.rng("heritage"), skin_hint)
    build, muscle = _build(text, dice)
    person = Person(
        femininity=_femininity(text, dice),
        age=_age(text, dice),
        heritage=heritage.name,
        build=build,
        muscle=muscle,
    )
    return person, heritage


def _femininity(text: BriefText, dice: Dice) -> float:
    rng = dice.rng("gender")
    stated = lookup(text("appearance.gender"), _GENDERS)
    if stated is None:
        stated = _gender_hint(text, rng)
    return float(np.clip(stated + rng.normal(0.0, 0.035), 0.0, 1.0))


def _gender_hint(text: BriefText, rng: np.random.Generator) -> float:
    facial_hair = text("face.facial_hair")
    if has(facial_hair, *_BEARD_WORDS) or has(facial_hair, "clean shaven", "shaven"):
        return 0.06
    everything = text.everything
    feminine = has(everything, *_FEMININE_HINTS)
    masculine = has(everything, *_MASCULINE_HINTS)
    if feminine != masculine:
        return 0.94 if feminine else 0.06
    return 0.94 if rng.random() < 0.5 else 0.06


def _age(text: BriefText, dice: Dice) -> float:
    rng = dice.rng("age")
    stated = parse_age(text.raw("appearance.age"))
    if stated is None:
        return float(rng.uniform(20.0, 38.0))
    # Castless identities are adults: a stated age under 18 is drawn as 18.
    return float(np.clip(stated + rng.normal(0.0, 0.8), 18.0, 95.0))


def _build(text: BriefText, dice: Dice) -> tuple[float, float]:
    rng = dice.rng("build")
    found = lookup_all(text("appearance.build"), _BUILDS)
    if not found:
        return float(np.clip(rng.normal(-0.05, 0.25), -0.6, 0.6)), float(rng.uniform(0.0, 0.4))
    build = float(np.mean([b for b, _ in found])) + rng.normal(0.0, 0.04)
    muscle = float(np.mean([m for _, m in found])) + rng.normal(0.0, 0.04)
    return float(np.clip(build, -1.0, 1.0)), float(np.clip(muscle, 0.0, 1.0))


def _skin_depth_words(skin: str) -> float | None:
    found = lookup_all(skin, palette.SKIN_WORDS)
    return float(np.mean(found)) if found else None


def read_skin(text: BriefText, dice: Dice, heritage: Heritage, person: Person) -> Skin:
    rng = dice.rng("skin")
    skin = text("appearance.skin")
    depth = _skin_depth_words(skin)
    depth = float(rng.uniform(*heritage.skin)) if depth is None else depth + rng.normal(0.0, 0.015)
    # Every undertone named counts ("warm olive"); none named, the heritage's usual one.
    undertones = tuple(lookup_all(skin, {name: name for name in palette.UNDERTONES}))
    tone = palette.skin_tone(depth, undertones or (heritage.undertone,))
    makeup = text("face.makeup")
    shine = 0.35 + rng.normal(0.0, 0.05)
    if has(skin + makeup, "dewy", "glowing", "glow", "luminous", "radiant", "glossy skin"):
        shine = 0.75
    elif has(skin + makeup, "matte"):
        shine = 0.1
    redness = float(np.clip(0.45 - depth * 0.35 + rng.normal(0.0, 0.08), 0.05, 0.8))
    if has(skin, "rosy", "flushed", "ruddy"):
        redness = 0.85
    vitiligo = 0.0
    if has(text("face.marks") + skin, "vitiligo"):
        vitiligo = float(rng.uniform(0.6, 1.0))
    return Skin(
        albedo=tuple(palette.lin(tone).tolist()),
        depth=float(np.clip(depth, 0.0, 1.0)),
        shine=float(np.clip(shine, 0.05, 1.0)),
        redness=redness,
        vitiligo=vitiligo,
    )


def read_expression(text: BriefText, dice: Dice) -> Expression:
    rng = dice.rng("expression")
    found = lookup_all(text("appearance.expression"), _EXPRESSIONS)
    if found:
        values = np.mean(np.array(found), axis=0) + rng.normal(0.0, 0.025, 6)
    else:
        values = np.array(
            [
                rng.uniform(0.0, 0.55),
                0.0,
                rng.uniform(0.0, 0.15),
                rng.uniform(0.0, 0.15),
                rng.uniform(0.0, 0.2),
                rng.uniform(-0.2, 0.2),
            ]
        )
        if values[0] > 0.42 and rng.random() < 0.4:
            values[1] = rng.uniform(0.3, 0.7)
    smile, teeth, raise_, frown, squint, smirk = (float(v) for v in values)
    smile_text = text("face.smile")
    stated = lookup(smile_text, _SMILES)
    if stated is not None:
        smile = stated[0] + rng.normal(0.0, 0.02)
        teeth = stated[1] + (rng.normal(0.0, 0.03) if stated[1] else 0.0)
        smirk = stated[2] * (1 if rng.random() < 0.5 else -1)
    dimples = has(smile_text + text("face.marks") + text("face.face_shape"), "dimples", "dimple")
    if dimples:
        # Dimples only show in a smile; a brief asking for them gets one.
        smile = max(smile, 0.55 + rng.uniform(0.0, 0.1))
    gap = has(smile_text + text("face.marks"), "gap toothed", "gap teeth", "tooth gap", "gap")
    if gap:
        teeth = max(teeth, 0.75)
        smile = max(smile, 0.7)
    return Expression(
        smile=float(np.clip(smile, -0.3, 1.0)),
        teeth=float(np.clip(teeth, 0.0, 1.0)),
        smirk=float(np.clip(smirk, -1.0, 1.0)),
        brow_raise=float(np.clip(raise_, 0.0, 1.0)),
        frown=float(np.clip(frown, 0.0, 1.0)),
        squint=float(np.clip(squint, 0.0, 1.0)),
        gap_teeth=gap,
        dimples=dimples,
    )
