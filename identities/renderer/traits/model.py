"""Concrete, drawable parameters: what the brief's words become before anything is drawn.

Lengths are in face units (1 = half the face's width at the cheekbones, y grows downwards
from the eye line), colours are linear RGB, amounts are 0..1 unless said otherwise.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

Color = tuple[float, float, float]


class Dice:
    """One independent random stream per trait, keyed by (seed, variation, trait name).

    Independent streams keep a brief's other traits where they were when one field changes,
    and make each variation a different face that still honours every stated field.
    """

    def __init__(self, seed: int, variation: int):
        self.seed = int(seed) & 0xFFFFFFFF
        self.variation = int(variation) & 0xFFFF

    def rng(self, name: str) -> np.random.Generator:
        key = zlib.crc32(name.encode("utf-8"))
        return np.random.default_rng(np.random.SeedSequence([self.seed, self.variation, key]))


@dataclass(frozen=True)
class Person:
    femininity: float  # 0 masculine .. 1 feminine
    age: float  # years
    heritage: str  # the ethnicity profile used for undefined features
    build: float  # -1 very slim .. 1 heavy
    muscle: float


@dataclass(frozen=True)
class Skin:
    albedo: Color
    depth: float  # position on the porcelain (0) .. ebony (1) scale
    shine: float  # specular strength (dewy high, matte low)
    redness: float  # cheeks, nose and ears
    vitiligo: float


@dataclass(frozen=True)
class Shape:
    """The head outline and the body under it."""

    cheek: float  # half-width at the cheekbones
    temple: float
    jaw: float  # half-width at the jaw angle
    jaw_y: float
    chin: float  # half-width of the chin
    chin_y: float  # where the chin's curve begins
    cheekbones: float  # prominence
    fullness: float  # soft tissue over the cheeks and under the chin
    cleft: float
    neck: float  # half-width
    shoulders: float  # half-width
    slope: float  # shoulder drop
    forehead: float = 0.0  # the hairline's rise above the usual height (a high forehead)
    crown: float = 0.0  # the skull's height above the usual crown (a taller head)


@dataclass(frozen=True)
class Eyes:
    iris: Color
    iris_inner: Color
    size: float  # eye half-width
    spacing: float  # x of each eye centre
    tilt: float  # radians, positive = outer corners up
    upper: float  # opening above the centre line, in eye half-widths
    lower: float
    crease: float  # height of the lid crease above the lashes (0 = monolid)
    hood: float  # how much the brow skin folds over the lid
    epicanthic: float
    depth: float  # socket depth
    lashes: float
    iris_size: float  # in eye half-widths
    gaze: float  # irises' shift towards the image's right (eye half-widths), both eyes
    # where each lid is highest along the eye (-1 inner corner .. 1 outer): the eye's outline
    upper_peak: float = -0.18
    lower_peak: float = 0.2


@dataclass(frozen=True)
class Brows:
    color: Color
    thickness: float
    arch: float
    lift: float  # height above the eye line
    density: float
    angle: float  # inner end lower (+) or higher (-)
    length: float
    gap: float  # half the distance between the brows' inner ends
    scar_gap: float  # side (+1 image right, -1 image left) of a scar's gap, 0 for none


@dataclass(frozen=True)
class Nose:
    width: float  # half-width of the alae
    length: float  # y of the tip
    bridge: float  # projection
    tip: float  # tip roundness / size
    upturn: float
    bump: float
    flare: float


@dataclass(frozen=True)
class Mouth:
    width: float  # half-width
    upper: float  # upper lip height
    lower: float
    bow: float  # cupid's bow depth
    color: Color
    y: float  # mouth line


@dataclass(frozen=True)
class Expression:
    smile: float  # 0..1
    teeth: float  # 0..1 how far the lips part over the teeth
    smirk: float  # -1..1, one corner higher
    brow_raise: float
    frown: float
    squint: float
    gap_teeth: bool
    dimples: bool


@dataclass(frozen=True)
class FacialHair:
    stubble: float  # density of the shaved shadow or stubble
    beard: float  # coverage of jaw and cheeks 0..1
    beard_length: float  # units below the jaw
    moustache: float
    goatee: float
    color: Color


@dataclass(frozen=True)
class Makeup:
    lip_color: Color | None
    lip_alpha: float
    gloss: float
    liner: float
    wing: float
    shadow_color: Color | None
    shadow_alpha: float
    lid_gloss: float
    mascara: float
    blush: float
    blush_color: Color
    contour: float
    bare: float  # 1 = bare skin (texture, redness, under-eye shadows all show)


@dataclass(frozen=True)
class Tattoo:
    motif: str  # star, heart, cross, moon, dots, lines, flower, script
    place: str  # temple, cheek, neck, jaw, ear
    side: float = 1.0  # +1 the image's right (the subject's left), -1 the image's left


@dataclass(frozen=True)
class Marks:
    freckles: float
    moles: tuple[tuple[float, float, float], ...]  # (x, y, radius) in face units
    tattoo: Tattoo | None
    piercings: frozenset[str]
    scars: tuple[tuple[float, float, float, float], ...]  # (x, y, angle, length)
    birthmark: tuple[float, float, float] | None
    lines: float  # extra laugh lines / crow's feet beyond what the age gives
    # (side, t, radius) moles on the jaw: t from the jaw's angle (0) to the chin (1); the
    # outline places them when painting, so they sit on the jaw whatever its shape
    jaw_moles: tuple[tuple[float, float, float], ...] = ()
    metals: tuple[tuple[str, str], ...] = ()  # (piercing, "gold" / "silver" / ...)
    piercing_side: float = 1.0  # where one-sided piercings go (nose stud, brow, lip ring)
    brow_scar: float = 0.0  # side of a scar through an eyebrow (the brow's gap), 0 for none


@dataclass(frozen=True)
class Hair:
    color: Color
    tip_color: Color  # ends (ombre), equal to color otherwise
    natural: Color  # the colour brows and beard grow in
    streaks: float  # balayage / highlights
    grey: float
    length: float  # y where the longest hair ends; 0 with no hair
    cover: float  # 0 bald, 0.1 shaved, 0.25 buzz, 1 full
    volume: float
    curl: float  # 0 straight .. 1 coily
    part: float  # -1 (image left) .. 1, 0 middle; None-like 9 means combed back
    fringe: str  # "", "full", "curtain", "side", "wispy"
    updo: str  # "", "bun", "low bun", "top knot", "ponytail"
    sides: str  # "", "undercut", "fade"
    kind: str  # "strands", "locs", "braids", "cornrows"
    messy: float
    sleek: float
    blunt: float  # blunt ends (bob) vs tapered
    swept: float  # volume at the front top (quiff, pompadour)


@dataclass(frozen=True)
class Traits:
    person: Person
    skin: Skin
    shape: Shape
    eyes: Eyes
    brows: Brows
    nose: Nose
    mouth: Mouth
    expression: Expression
    facial_hair: FacialHair
    makeup: Makeup
    marks: Marks
    hair: Hair
    # brief paths that were read but have no picture (height, clothing size)
    not_depicted: tuple[str, ...] = ()
    summary: dict = field(default_factory=dict)
