"""Face structure: outline, eyes, brows, nose and lips.

Stated words set or shift a parameter; anything left open is drawn from the heritage profile
and the person, so a variation is a different face with the same stated features.
"""

from __future__ import annotations

import numpy as np

from identities.renderer import palette
from identities.renderer.traits.brief import BriefText
from identities.renderer.traits.gaze import read_gaze
from identities.renderer.traits.heritage import Heritage
from identities.renderer.traits.likeness import Likeness
from identities.renderer.traits.model import Brows, Color, Dice, Eyes, Mouth, Nose, Person, Shape
from identities.renderer.words import has, lookup, lookup_all

_BASE_SHAPE = {
    "cheek": 1.0,
    "temple": 0.93,
    "jaw": 0.8,
    "jaw_y": 1.08,
    "chin": 0.33,
    "chin_y": 1.45,
    "cheekbones": 0.5,
    "fullness": 0.3,
    "cleft": 0.0,
}
_SHAPES: dict[str, dict[str, float]] = {
    "oval": {"jaw": -0.02, "chin": -0.02, "chin_y": 0.03},
    "round": {
        "cheek": 0.05,
        "jaw": 0.1,
        "jaw_y": -0.04,
        "chin": 0.1,
        "chin_y": -0.1,
        "fullness": 0.4,
    },
    "square": {"jaw": 0.13, "jaw_y": 0.08, "chin": 0.13, "chin_y": -0.03, "fullness": -0.1},
    "rectangular": {"jaw": 0.12, "jaw_y": 0.1, "chin": 0.1, "chin_y": 0.14, "cheek": -0.04},
    "heart": {"temple": 0.06, "jaw": -0.08, "chin": -0.1, "chin_y": 0.02},
    "diamond": {"temple": -0.08, "cheek": 0.03, "jaw": -0.06, "chin": -0.07, "cheekbones": 0.3},
    "oblong": {"cheek": -0.06, "jaw": 0.03, "chin_y": 0.16, "jaw_y": 0.08},
    "long": {"cheek": -0.05, "chin_y": 0.15, "jaw_y": 0.07},
    "triangle": {"temple": -0.08, "jaw": 0.12, "chin": 0.08},
    "pear": {"temple": -0.08, "jaw": 0.12, "chin": 0.08},
    "high cheekbones": {"cheekbones": 0.45, "cheek": 0.02, "fullness": -0.1},
    "strong jawline": {"jaw": 0.1, "jaw_y": 0.06, "chin": 0.07, "fullness": -0.15},
    "strong jaw": {"jaw": 0.1, "jaw_y": 0.06, "chin": 0.07, "fullness": -0.15},
    "defined jawline": {"jaw": 0.07, "jaw_y": 0.05, "fullness": -0.2},
    "sharp jawline": {"jaw": 0.07, "jaw_y": 0.05, "chin": -0.02, "fullness": -0.25},
    "chiseled": {"jaw": 0.08, "jaw_y": 0.05, "cheekbones": 0.3, "fullness": -0.25},
    "angular": {"jaw": 0.07, "jaw_y": 0.06, "cheekbones": 0.25, "fullness": -0.25},
    "soft jawline": {"jaw": -0.04, "jaw_y": -0.05, "chin": 0.03, "fullness": 0.3},
    "soft": {"jaw": -0.02, "fullness": 0.25},
    "full cheeks": {"fullness": 0.45, "cheek": 0.03},
    "hollow cheeks": {"fullness": -0.35, "cheekbones": 0.25},
    "pointed chin": {"chin": -0.09},
    "cleft chin": {"cleft": 1.0},
    "wide": {"cheek": 0.05, "jaw": 0.05},
    "narrow": {"cheek": -0.05, "jaw": -0.04},
}

# (upper, lower, tilt, crease, hood, epicanthic, depth, size)
_EYE_SHAPES: dict[str, dict[str, float]] = {
    "almond": {"upper": -0.05, "lower": -0.05, "tilt": 0.05},
    "round": {"upper": 0.14, "lower": 0.12},
    "doe": {"upper": 0.12, "lower": 0.1, "size": 0.012},
    "hooded": {"hood": 0.85, "crease": -0.12},
    "monolid": {"crease": -1.0, "epicanthic": 0.9, "upper": -0.06},
    "deep set": {"depth": 0.9, "crease": 0.04},
    "upturned": {"tilt": 0.14},
    "cat": {"tilt": 0.16, "upper": -0.05},
    "fox": {"tilt": 0.18, "upper": -0.08},
    "downturned": {"tilt": -0.12},
    "wide set": {"spacing": 0.05},
    "close set": {"spacing": -0.04},
    "large": {"size": 0.016, "upper": 0.05},
    "big": {"size": 0.016, "upper": 0.05},
    "small": {"size": -0.014, "upper": -0.04},
    "narrow": {"upper": -0.1, "lower": -0.05},
}

_BROWS: dict[str, dict[str, float]] = {
    "natural": {"density": 0.05},
    "arched": {"arch": 0.35},
    "natural arched": {"arch": 0.3, "density": 0.05},
    "soft arched": {"arch": 0.15},
    "soft arch": {"arch": 0.15},
    "high arch": {"arch": 0.55, "lift": 0.04},
    "straight": {"arch": -0.45, "angle": -0.04},
    "flat": {"arch": -0.45},
    "thick": {"thickness": 0.045, "density": 0.25},
    "full": {"thickness": 0.035, "density": 0.3},
    "bushy": {"thickness": 0.06, "density": 0.35, "messy": 1.0},
    "bold": {"thickness": 0.03, "density": 0.3},
    "thin": {"thickness": -0.045, "density": -0.15},
    "fine": {"thickness": -0.035, "density": -0.15},
    "sparse": {"density": -0.35},
    "feathered": {"density": 0.1, "messy": 0.7, "thickness": 0.012},
    "defined": {"density": 0.25},
    "groomed": {"density": 0.15},
    "angled": {"arch": 0.3, "angle": -0.03},
}

_NOSES: dict[str, dict[str, float]] = {
    "straight": {"bump": -1.0, "upturn": -0.5},
    "small": {"width": -0.022, "length": -0.05, "tip": -0.2, "bridge": -0.1},
    "petite": {"width": -0.022, "length": -0.05, "tip": -0.2},
    "button": {"width": -0.012, "length": -0.07, "tip": 0.35, "upturn": 0.5, "bridge": -0.2},
    "upturned": {"upturn": 0.9, "length": -0.03},
    "snub": {"upturn": 0.8, "length": -0.07, "bridge": -0.25},
    "aquiline": {"bump": 0.8, "bridge": 0.35, "upturn": -0.6, "length": 0.04},
    "roman": {"bump": 0.7, "bridge": 0.3, "upturn": -0.4, "length": 0.04},
    "hooked": {"bump": 1.0, "bridge": 0.35, "upturn": -0.8, "length": 0.05},
    "broad": {"width": 0.05, "flare": 0.5, "bridge": -0.1},
    "wide": {"width": 0.045, "flare": 0.4},
    "narrow": {"width": -0.03, "flare": -0.4},
    "slim": {"width": -0.025, "flare": -0.3},
    "long": {"length": 0.07},
    "short": {"length": -0.05},
    "flat": {"bridge": -0.4, "width": 0.02},
    "high bridge": {"bridge": 0.4},
    "pointed": {"tip": -0.35},
    "rounded": {"tip": 0.35},
    "bulbous": {"tip": 0.6, "width": 0.02},
    "large": {"width": 0.03, "length": 0.05, "tip": 0.2},
}

_LIPS: dict[str, dict[str, float]] = {
    "thin": {"full": -0.4},
    "medium": {"full": 0.0},
    "full": {"full": 0.3},
    "plump": {"full": 0.45, "lower": 0.1},
    "pouty": {"full": 0.25, "lower": 0.15},
    "bee stung": {"full": 0.4, "upper": 0.1},
    "wide": {"width": 0.06},
    "small": {"width": -0.05, "full": -0.05},
    "narrow": {"width": -0.05},
    "defined cupid s bow": {"bow": 0.5},
    "cupid s bow": {"bow": 0.45},
    "heart shaped": {"bow": 0.45, "upper": 0.12, "width": -0.03},
    "bow shaped": {"bow": 0.4},
}


def _deltas(text: str, table: dict[str, dict[str, float]]) -> dict[str, float]:
    total: dict[str, float] = {}
    for change in lookup_all(text, table):
        for key, value in change.items():
            total[key] = total.get(key, 0.0) + value
    return total


def read_shape(text: BriefText, dice: Dice, person: Person, likeness: Likeness) -> Shape:
    rng = dice.rng("face_shape")
    words = text("face.face_shape")
    shape = dict(_BASE_SHAPE)
    stated = _deltas(words, _SHAPES)
    deltas = stated
    if not deltas:
        # Open: a random mix of the classic shapes, so variations change proportions.
        pick = sorted(_SHAPES)[int(rng.integers(len(_SHAPES)))]
        deltas = {k: v * rng.uniform(0.2, 0.7) for k, v in _SHAPES[pick].items()}
    for key, value in deltas.items():
        shape[key] += value
    for key in (*_BASE_SHAPE, "forehead", "crown"):
        shape[key] = shape.get(key, 0.0) + likeness.offset(f"shape.{key}", stated.get(key, 0.0))
    masc = 1.0 - person.femininity
    build, muscle = person.build, person.muscle
    shape["jaw"] += 0.08 * masc + 0.07 * max(build, 0.0) - 0.03 * max(-build, 0.0)
    shape["chin"] += 0.08 * masc
    shape["chin_y"] += 0.06 * masc
    shape["jaw_y"] += 0.04 * masc
    shape["cheek"] += 0.05 * build
    shape["fullness"] += 0.45 * build - 0.1 * muscle
    # Jowls and a softer jaw angle with age.
    aging = float(np.clip((person.age - 45.0) / 35.0, 0.0, 1.0))
    shape["jaw"] += 0.04 * aging
    shape["fullness"] += 0.15 * aging - 0.008 * (person.age - 30.0)
    for key in ("cheek", "temple", "jaw", "chin", "chin_y", "jaw_y"):
        shape[key] += float(rng.normal(0.0, 0.018))
    shape["cheekbones"] += float(rng.normal(0.0, 0.08))
    neck = 0.46 + 0.18 * masc + 0.09 * build + 0.08 * muscle + rng.normal(0.0, 0.015)
    shoulders = 2.15 + 0.45 * masc + 0.3 * build + 0.3 * muscle + rng.normal(0.0, 0.05)
    return Shape(
        cheek=shape["cheek"],
        temple=float(np.clip(shape["temple"], 0.85 * shape["cheek"], shape["cheek"])),
        jaw=float(np.clip(shape["jaw"], 0.6, 1.02)),
        jaw_y=shape["jaw_y"],
        chin=float(np.clip(shape["chin"], 0.16, 0.62)),
        chin_y=shape["chin_y"],
        cheekbones=float(np.clip(shape["cheekbones"], 0.0, 1.2)),
        fullness=float(np.clip(shape["fullness"], -0.5, 1.2)),
        cleft=shape["cleft"],
        neck=float(neck),
        shoulders=float(shoulders),
        slope=float(0.5 - 0.12 * masc + rng.normal(0.0, 0.04)),
        forehead=float(shape["forehead"]),
        crown=float(shape["crown"]),
    )


_EYES_CLOSE = 0.42  # the spacing narrow-face eyes close up to before they shrink


def read_eyes(
    text: BriefText,
    dice: Dice,
    person: Person,
    heritage: Heritage,
    likeness: Likeness,
    face: Shape | None = None,
) -> Eyes:
    rng = dice.rng("eyes")
    words = text("face.eyes")
    colors = lookup(words, palette.EYE_COLORS)
    if colors is None:
        colors = palette.EYE_COLORS[heritage.eyes[int(rng.integers(len(heritage.eyes)))]]
    outer, inner = (palette.jitter(c, rng, 0.05) for c in colors)
    epi = float(rng.uniform(*heritage.epicanthic))
    fem = person.femininity
    eye = {
        "upper": 0.43 + rng.normal(0.0, 0.035) - 0.1 * epi,
        "lower": 0.34 + rng.normal(0.0, 0.03),
        "tilt": 0.04 + rng.normal(0.0, 0.04) + 0.06 * epi,
        "crease": 0.3 + rng.normal(0.0, 0.05) - 0.26 * epi,
        "hood": float(rng.uniform(0.0, 0.35)) + 0.2 * epi,
        "epicanthic": epi,
        "depth": float(rng.uniform(0.2, 0.55)) - 0.2 * epi,
        "size": 0.205 + 0.008 * fem + rng.normal(0.0, 0.006) - 0.008 * epi,
        "spacing": 0.45 + rng.normal(0.0, 0.012),
        "upper_peak": -0.18 + rng.normal(0.0, 0.05),
        "lower_peak": 0.2 + rng.normal(0.0, 0.05),
    }
    stated = _deltas(words, _EYE_SHAPES)
    for key in eye:
        eye[key] += stated.get(key, 0.0) + likeness.offset(f"eyes.{key}", stated.get(key, 0.0))
    if has(words, "monolid"):
        eye["crease"] = 0.0
    size = float(np.clip(eye["size"], 0.17, 0.25))
    spacing = float(np.clip(eye["spacing"], 0.37, 0.53))
    if face is not None:
        # Outer corners within 4/5 of the face's half-width at the eye line: closer eyes first
        # (unless the brief set the spacing), smaller only then (tiny eyes read as no face).
        width = face.temple + 0.3 * (face.cheek - face.temple)
        room = 0.8 * width
        if "spacing" not in stated:
            spacing = min(spacing, max(_EYES_CLOSE, room - size))
        size = max(0.17, min(size, room - spacing))
    return Eyes(
        iris=tuple(palette.lin(outer).tolist()),
        iris_inner=tuple(palette.lin(inner).tolist()),
        size=size,
        spacing=spacing,
        tilt=float(np.clip(eye["tilt"], -0.2, 0.28)),
        upper=float(np.clip(eye["upper"], 0.3, 0.72)),
        lower=float(np.clip(eye["lower"], 0.2, 0.52)),
        crease=float(np.clip(eye["crease"], 0.0, 0.42)),
        hood=float(np.clip(eye["hood"], 0.0, 1.0)),
        epicanthic=float(np.clip(eye["epicanthic"], 0.0, 1.0)),
        depth=float(np.clip(eye["depth"], 0.0, 1.0)),
        lashes=float(np.clip(0.25 + 0.55 * fem + rng.normal(0.0, 0.08), 0.1, 1.0)),
        iris_size=float(np.clip(0.5 + rng.normal(0.0, 0.02), 0.44, 0.56)),
        gaze=read_gaze(words + text("appearance.expression"), rng),
        upper_peak=float(np.clip(eye["upper_peak"], -0.5, 0.2)),
        lower_peak=float(np.clip(eye["lower_peak"], -0.15, 0.5)),
    )


_BROW_LIFT = (0.2, 0.56)


def read_brows(
    text: BriefText,
    dice: Dice,
    person: Person,
    hair_natural: Color,
    likeness: Likeness,
    scar_side: float = 0.0,
) -> Brows:
    rng = dice.rng("eyebrows")
    words = text("face.eyebrows")
    masc = 1.0 - person.femininity
    brow = {
        "thickness": 0.1 + 0.035 * masc + rng.normal(0.0, 0.01),
        "arch": 0.45 * person.femininity + rng.normal(0.0, 0.12),
        "lift": 0.0,
        "density": 0.62 + 0.15 * masc + rng.normal(0.0, 0.08),
        "angle": rng.normal(0.0, 0.02),
        "messy": float(rng.uniform(0.0, 0.4)),
    }
    stated = _deltas(words, _BROWS)
    for key in brow:
        brow[key] += stated.get(key, 0.0) + likeness.offset(f"brows.{key}", stated.get(key, 0.0))
    color = hair_natural
    if has(words, "bleached", "blonde", "blond", "light"):
        color = tuple(palette.lin((0.9, 0.8, 0.68)))
    elif has(words, "dark", "black"):
        color = tuple(palette.lin(palette.HAIR_COLORS["soft black"]))
    # A slit shaved into a brow is a scar's gap without the scar.
    if not scar_side and has(text("face.marks"), "brow slit", "eyebrow slit"):
        scar_side = 1.0
    return Brows(
        color=tuple(float(c) for c in color),
        thickness=float(np.clip(brow["thickness"], 0.045, 0.2)),
        arch=float(np.clip(brow["arch"], -0.3, 1.2)),
        # Brows ride high or low, but not so far off the eyes that the face stops reading as one.
        lift=float(
            np.clip(
                0.34 + 0.05 * person.femininity + brow["lift"] + rng.normal(0.0, 0.015),
                *_BROW_LIFT,
            )
        ),
        density=float(np.clip(brow["density"], 0.15, 1.0)),
        angle=float(brow["angle"]),
        length=float(0.8 + rng.normal(0.0, 0.04) + 0.04 * brow["messy"]),
        gap=float(
            np.clip(0.16 + rng.normal(0.0, 0.015) + likeness.offset("brows.gap"), 0.08, 0.26)
        ),
        scar_gap=float(scar_side),
    )


def read_nose(
    text: BriefText, dice: Dice, person: Person, heritage: Heritage, likeness: Likeness
) -> Nose:
    rng = dice.rng("nose")
    masc = 1.0 - person.femininity
    nose = {
        "width": float(rng.uniform(*heritage.nose)) + 0.012 * masc + 0.01 * person.build,
        "length": 0.64 + 0.04 * masc + rng.normal(0.0, 0.025),
        "bridge": float(rng.uniform(*heritage.bridge)) + 0.1 * masc,
        "tip": float(rng.uniform(-0.2, 0.3)),
        "upturn": float(rng.uniform(-0.3, 0.4)),
        "bump": float(rng.uniform(0.0, 0.25)) + 0.15 * masc,
        "flare": float(rng.uniform(-0.2, 0.3)),
    }
    stated = _deltas(text("face.nose"), _NOSES)
    for key in nose:
        nose[key] += stated.get(key, 0.0) + likeness.offset(f"nose.{key}", stated.get(key, 0.0))
    return Nose(
        width=float(np.clip(nose["width"], 0.15, 0.36)),
        length=float(np.clip(nose["length"], 0.5, 0.84)),
        bridge=float(np.clip(nose["bridge"], 0.3, 1.6)),
        tip=float(np.clip(nose["tip"], -0.6, 1.0)),
        upturn=float(np.clip(nose["upturn"], -1.0, 1.0)),
        bump=float(np.clip(nose["bump"], 0.0, 1.0)),
        flare=float(np.clip(nose["flare"], -0.6, 1.0)),
    )


# The widest mouth, as a share of the face's half-width at the cheekbones.
_MOUTH_OF_FACE = 0.54


def read_mouth(
    text: BriefText,
    dice: Dice,
    person: Person,
    heritage: Heritage,
    skin: Color,
    depth: float,
    likeness: Likeness,
    face: Shape | None = None,
) -> Mouth:
    rng = dice.rng("lips")
    fem = person.femininity
    stated = _deltas(text("face.lips"), _LIPS)
    # Stated words describe the lips outright; only open fields take the heritage's range.
    base = 0.0 if stated else float(rng.uniform(*heritage.lips)) - 1.0
    lips = {
        "full": base + 0.12 * fem + rng.normal(0.0, 0.03),
        "width": rng.normal(0.0, 0.02),
        "bow": 0.5 + rng.normal(0.0, 0.1),
        "upper": 0.0,
        "lower": 0.0,
    }
    for key in lips:
        # A stated fullness ("thin", "full") holds for each lip, not only for the pair.
        held = stated.get(key, stated.get("full", 0.0) if key in ("upper", "lower") else 0.0)
        lips[key] += stated.get(key, 0.0) + likeness.offset(f"mouth.{key}", held)
    full = 1.0 + lips["full"]
    # Lips thin a little with age.
    full *= 1.0 - 0.25 * float(np.clip((person.age - 35.0) / 45.0, 0.0, 1.0))
    natural = palette.jitter(palette.natural_lip(skin, depth), rng, 0.03)
    width = float(np.clip(0.39 + lips["width"] + 0.02 * (1 - fem), 0.3, 0.5))
    if face is not None:
        # A wide mouth in a narrow face reaches past the eyes: it keeps within the face, but
        # never narrower than the brief's own words make it.
        width = min(width, max(_MOUTH_OF_FACE * face.cheek, 0.39 + stated.get("width", 0.0)))
    return Mouth(
        width=width,
        upper=float(np.clip(0.085 * full * (1 + lips["upper"]), 0.035, 0.16)),
        lower=float(np.clip(0.115 * full * (1 + lips["lower"]), 0.05, 0.2)),
        bow=float(np.clip(lips["bow"], 0.0, 1.2)),
        color=tuple(palette.lin(natural).tolist()),
        y=float(1.0 + 0.04 * (1 - fem) + rng.normal(0.0, 0.015) + likeness.offset("mouth.y")),
    )
