"""Brief → concrete trait parameters, seeded per (seed, variation, trait)."""

from __future__ import annotations

from identities.renderer import palette
from identities.renderer.traits.adornment import read_facial_hair, read_makeup
from identities.renderer.traits.brief import BriefText
from identities.renderer.traits.features import (
    read_brows,
    read_eyes,
    read_mouth,
    read_nose,
    read_shape,
)
from identities.renderer.traits.hair import read_hair
from identities.renderer.traits.likeness import Likeness
from identities.renderer.traits.marks import read_marks
from identities.renderer.traits.model import Dice, Traits
from identities.renderer.traits.person import read_expression, read_person, read_skin

__all__ = ["NOT_DEPICTED", "Traits", "build_traits"]

# Fields a head-and-shoulders portrait cannot show; read, kept as metadata, never drawn.
NOT_DEPICTED = ("appearance.height", "appearance.size")


def build_traits(brief: dict | None, *, seed: int, variation: int = 0) -> Traits:
    text = BriefText(brief)
    dice = Dice(seed, variation)
    person, heritage = read_person(text, dice)
    skin = read_skin(text, dice, heritage, person)
    hair = read_hair(text, dice, person, heritage)
    marks = read_marks(text, dice, skin.depth)
    likeness = Likeness(dice.rng("likeness"), person.femininity, person.age)
    lip_skin = palette.skin_tone(skin.depth)
    shape = read_shape(text, dice, person, likeness)
    traits = Traits(
        person=person,
        skin=skin,
        shape=shape,
        eyes=read_eyes(text, dice, person, heritage, likeness, face=shape),
        brows=read_brows(text, dice, person, hair.natural, likeness, marks.brow_scar),
        nose=read_nose(text, dice, person, heritage, likeness),
        mouth=read_mouth(text, dice, person, heritage, lip_skin, skin.depth, likeness, face=shape),
        expression=read_expression(text, dice),
        facial_hair=read_facial_hair(text, dice, person, hair.natural, hair.grey),
        makeup=read_makeup(text, dice, person),
        marks=marks,
        hair=hair,
        not_depicted=tuple(path for path in NOT_DEPICTED if text.given(path)),
    )
    return traits
