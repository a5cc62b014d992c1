"""Who the person is beyond the brief: the proportions that tell two faces apart.

A brief names features ("almond eyes", "a button nose"); it rarely says how far apart the eyes
sit, how long the lower face is or how high the brows ride, and those are what make two faces
two people, to a viewer and to a face recogniser (which aligns a face on its eyes, nose tip and
mouth corners and compares what lies round them: move those and it sees someone else). Each
variation draws its own position on every axis below, from its own random stream, and the
feature readers add the axis's offsets to what the brief and the heritage profile give.

Positions gather towards both ends of each axis (an arcsine law, the sine of a uniform angle):
two draws then usually differ by much of the range, where uniform or bell-shaped draws would
leave most variations near the same average face. The amplitudes are what a portrait painter
would still call a normal face at either end (eyes a little close or wide-set, a long or short
lower face), not caricature.
"""

from __future__ import annotations

import math

import numpy as np

# axis → {parameter: offset at either end of the axis, in face units (or that field's unit)}
AXES: dict[str, dict[str, float]] = {
    # the lower face's length: nose, mouth and chin move down together
    "lower_face": {"nose.length": 0.11, "mouth.y": 0.19, "shape.chin_y": 0.3, "shape.jaw_y": 0.12},
    # how the lower face divides between nose and upper lip
    "nose_length": {"nose.length": 0.13, "mouth.y": 0.03},
    "face_width": {"shape.cheek": 0.19, "shape.temple": 0.14, "shape.jaw": 0.12},
    "jaw": {"shape.jaw": 0.14, "shape.chin": 0.12},
    # the forehead's width against the cheekbones, and the chin's length
    "temples": {"shape.temple": 0.08},
    "chin": {"shape.chin_y": 0.1, "shape.chin": 0.05},
    "cheekbones": {"shape.cheekbones": 0.5, "shape.fullness": -0.22},
    "eye_spacing": {"eyes.spacing": 0.07},
    "eye_size": {"eyes.size": 0.03},
    "eye_opening": {"eyes.upper": 0.07, "eyes.lower": 0.05},
    "eye_tilt": {"eyes.tilt": 0.07},
    # where the lids arch highest: towards the nose or towards the temple
    "eye_shape": {"eyes.upper_peak": 0.25, "eyes.lower_peak": 0.2},
    "brow_height": {"brows.lift": 0.15},
    "brow_weight": {"brows.thickness": 0.05, "brows.density": 0.22},
    "brow_arch": {"brows.arch": 0.45, "brows.angle": 0.045},
    # brows that climb or fall from their inner ends, and how far apart those ends sit
    "brow_slant": {"brows.angle": 0.07},
    "brow_gap": {"brows.gap": 0.05},
    "nose_width": {"nose.width": 0.09},
    "mouth_width": {"mouth.width": 0.1},
    "lips": {"mouth.full": 0.4},
    # a fuller upper or a fuller lower lip
    "lip_balance": {"mouth.upper": 0.25, "mouth.lower": -0.2},
    "nose_bridge": {"nose.bridge": 0.35, "nose.bump": 0.3},
    "nose_tip": {"nose.tip": 0.4, "nose.upturn": 0.4},
    "eye_depth": {"eyes.depth": 0.3, "eyes.crease": 0.1, "eyes.hood": 0.25},
    # the hairline's height over the brows: a high or low forehead
    "forehead": {"shape.forehead": 0.14},
    # the skull's height over the eyes: a tall or a low head
    "skull": {"shape.crown": 0.15},
}


# The direction of each sexually dimorphic axis that reads as masculine (lower, heavier brows,
# smaller eyes, a wider nose and jaw, a longer lower face, thinner lips), and how far a face
# leans that way or the other with its gender.
MASCULINE: dict[str, float] = {
    "lower_face": 1.0,
    "face_width": 1.0,
    # (a weaker lean: a woman's jaw narrowed by the full amount comes to a point)
    "jaw": 0.4,
    "eye_size": -1.0,
    "brow_height": -1.0,
    "brow_weight": 1.0,
    "nose_width": 1.0,
    "lips": -1.0,
    # a longer chin, a higher bridge and deeper-set eyes read as masculine too
    "chin": 0.6,
    "nose_bridge": 0.6,
    "eye_depth": 0.6,
}

# The direction of the axes that read as older (thinner lips, a longer lower face, lower brows,
# hollower cheeks; not smaller eyes, which would leave too little iris to read its colour): a face leans that way with its age, so a stated age still reads
# to a viewer (and to an age estimator) whatever proportions the person draws.
OLDER: dict[str, float] = {
    "lips": -1.0,
    "lower_face": 0.6,
    "brow_height": -0.6,
    "cheekbones": 0.5,
}


# How much of a dimorphic axis's range on the other gender's side a face keeps (times its
# certainty of gender), and how far it leans its own way beyond the average face.
OTHER_SIDE = 0.7
LEAN = 0.6


class Likeness:
    """One variation's position on every axis, each in -1..1."""

    def __init__(self, rng: np.random.Generator, femininity: float = 0.5, age: float = 30.0):
        self.positions = {}
        # -0.4 at 18, 0 at 30, 1 from 60 on
        older = float(np.clip((age - 30.0) / 30.0, -0.4, 1.0))
        for axis in AXES:
            position = float(np.sin(np.pi * (rng.random() - 0.5)))
            # The stated (or drawn) gender must still read: a woman's face keeps most of its
            # range on the feminine side of a dimorphic axis, a man's on the masculine side.
            masculine = MASCULINE.get(axis, 0.0)
            towards = np.sign(masculine) * position
            if towards > 0:
                position *= 1.0 - OTHER_SIDE * femininity
            elif towards < 0:
                position *= 1.0 - OTHER_SIDE * (1.0 - femininity)
            # ... and leans a little further that way than the average face does.
            position -= masculine * LEAN * (2.0 * femininity - 1.0)
            position += OLDER.get(axis, 0.0) * 0.8 * older
            self.positions[axis] = float(np.clip(position, -1.0, 1.0))

    def offset(self, param: str, stated: float = 0.0) -> float:
        """The offset this person adds to `param`.

        `stated` is what the brief's words moved the parameter by: a stated feature keeps its
        direction (a "wide-set" pair of eyes never comes out close-set), so the person's own
        offset can only push further the same way, and by half as much.
        """
        total = sum(
            self.positions[axis] * amounts[param]
            for axis, amounts in AXES.items()
            if param in amounts
        )
        if stated:
            return math.copysign(0.5 * abs(total), stated)
        return total
