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
    "lower_face": {"nose.length": 0.07, "mouth.y": 0.12, "shape.chin_y": 0.19, "shape.jaw_y": 0.08},
    # how the lower face divides between nose and upper lip
    "nose_length": {"nose.length": 0.065, "mouth.y": 0.015},
    "face_width": {"shape.cheek": 0.11, "shape.temple": 0.08, "shape.jaw": 0.07},
    "jaw": {"shape.jaw": 0.11, "shape.chin": 0.1},
    "cheekbones": {"shape.cheekbones": 0.35, "shape.fullness": -0.15},
    "eye_spacing": {"eyes.spacing": 0.07},
    "eye_size": {"eyes.size": 0.03},
    "eye_opening": {"eyes.upper": 0.07, "eyes.lower": 0.05},
    "eye_tilt": {"eyes.tilt": 0.07},
    "brow_height": {"brows.lift": 0.1},
    "brow_weight": {"brows.thickness": 0.035, "brows.density": 0.15},
    "brow_arch": {"brows.arch": 0.35, "brows.angle": 0.035},
    "nose_width": {"nose.width": 0.05},
    "mouth_width": {"mouth.width": 0.065},
    "lips": {"mouth.full": 0.3},
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
}


class Likeness:
    """One variation's position on every axis, each in -1..1."""

    def __init__(self, rng: np.random.Generator, femininity: float = 0.5):
        self.positions = {}
        for axis in AXES:
            position = float(np.sin(np.pi * (rng.random() - 0.5)))
            # The stated (or drawn) gender must still read: a woman's face keeps most of its
            # range on the feminine side of a dimorphic axis, a man's on the masculine side.
            masculine = MASCULINE.get(axis, 0.0)
            towards = np.sign(masculine) * position
            if towards > 0:
                position *= 1.0 - 0.7 * femininity
            elif towards < 0:
                position *= 1.0 - 0.7 * (1.0 - femininity)
            # ... and leans a little further that way than the average face does.
            position -= masculine * 0.5 * (2.0 * femininity - 1.0)
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
