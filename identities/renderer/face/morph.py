"""The shapes of a person's own features: a smooth, mirror-symmetric displacement of the face.

Proportions (`traits/likeness.py`) say where the eyes, nose and mouth sit; they leave every
feature the drawing's own outline, so two people with different proportions still share one
pair of lids, one brow line, one nose base. A face recogniser reads those outlines: the lid's
curve, where a brow thickens or bends, the wings of the nose, the chin's curve. Each person
therefore carries a coarse grid of small displacements (one every `STEP` face units, each a
few hundredths of a unit), mirrored across the face's midline and smoothly interpolated, and
the painted features are moved by it before the hair is laid over them, the way a portrait
painter's hand gives each sitter their own lines.

The silhouette, the hairline and the neck stay where the outline put them: the displacement
fades out towards the face's edge, so hair and ears still meet it. Round the mouth it is
damped, because a lip line bent at the grid's scale reads as a grimace, not as a mouth.
"""

from __future__ import annotations

import cv2
import numpy as np

from identities.renderer.canvas import Canvas, smoothstep
from identities.renderer.face.eyes import eye_frames
from identities.renderer.geometry import Frame, Outline
from identities.renderer.traits.model import Traits

# Grid spacing and the displacement's standard deviation, in face units (a 1K portrait has
# about 130 pixels to the unit): a lid corner or a brow's peak moves by a few pixels, which
# gives it other lines without bending the face out of shape.
STEP = 0.3
AMPLITUDE = 0.038
# How much of the displacement is left on the mouth.
MOUTH = 0.3
# The iris and the opening round it stay where the painter put them: the displacement fades
# out over each eye (eye half-widths across, IRIS_V of them up and down), so an iris keeps
# its round shape and its colour (a warped, resampled iris reads as another colour) while
# the corners, lids' outer ends and the brows above still take the person's own lines.
IRIS_V, IRIS_Q = 0.8, 1.0
# Resolution of the displacement field before it is scaled up to the picture's pixels.
FIELD_PX_PER_UNIT = 30.0
# Grid extent over the face, in face units: x in -HALF..HALF, y in TOP..BOTTOM.
HALF, TOP, BOTTOM = 1.5, -1.5, 2.1


class FeatureShapes:
    """One person's displacement grid (face units), drawn from its own random stream."""

    def __init__(self, rng: np.random.Generator):
        columns = round(HALF / STEP) + 1
        rows = round((BOTTOM - TOP) / STEP) + 1
        dx = rng.normal(0.0, AMPLITUDE, (rows, columns)).astype(np.float32)
        dy = rng.normal(0.0, AMPLITUDE, (rows, columns)).astype(np.float32)
        # On the midline nothing moves sideways; the image-left half mirrors the right.
        dx[:, 0] = 0.0
        self.dx = np.concatenate([-dx[:, :0:-1], dx], axis=1)
        self.dy = np.concatenate([dy[:, :0:-1], dy], axis=1)

    def at(self, ux: np.ndarray, uy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The displacement (face units) at face-unit points, interpolated bicubically."""
        gx = ((ux + HALF) / STEP).astype(np.float32)
        gy = ((uy - TOP) / STEP).astype(np.float32)
        mode = cv2.BORDER_REPLICATE
        return (
            cv2.remap(self.dx, gx, gy, cv2.INTER_CUBIC, borderMode=mode),
            cv2.remap(self.dy, gx, gy, cv2.INTER_CUBIC, borderMode=mode),
        )


def _irises(traits: Traits, ux: np.ndarray, uy: np.ndarray) -> np.ndarray:
    """1 over each eye's iris and the opening round it, fading out towards the corners."""
    held = np.zeros(np.broadcast_shapes(ux.shape, uy.shape), np.float32)
    for eye in eye_frames(traits):
        s, v = eye.local(ux, uy)
        q = s * s + (v / IRIS_V) ** 2
        held = np.maximum(held, np.exp(-((q / IRIS_Q) ** 3)))
    return held


def reshape_features(
    canvas: Canvas, frame: Frame, traits: Traits, outline: Outline, rng: np.random.Generator
) -> None:
    """Move the painted face by the person's displacement, inside the face's outline."""
    reach = traits.shape.cheek + 0.05
    box = frame.box(canvas, -reach, outline.crown, reach, outline.bottom + 0.05)
    if box.empty:
        return
    shapes = FeatureShapes(rng)
    # The displacement is smooth: computed on a grid of FIELD_PX_PER_UNIT and scaled up. Its
    # cells are finer than the fade at the silhouette (0.04 units), so nothing on or outside
    # the outline moves.
    xs, ys = frame.units(box, min(1.0, FIELD_PX_PER_UNIT / frame.u))
    ux, uy = np.broadcast_arrays(xs, ys)
    dx, dy = shapes.at(ux, uy)
    inside = smoothstep(0.04, 0.25, outline.signed(ux, uy))
    lips = traits.mouth
    mouth = np.exp(-((ux / (lips.width + 0.15)) ** 2) - ((uy - lips.y) / 0.2) ** 2)
    gain = inside * (1.0 - (1.0 - MOUTH) * mouth) * (1.0 - _irises(traits, ux, uy)) * frame.u
    size = (box.width, box.height)
    shift_x = cv2.resize((dx * gain).astype(np.float32), size, interpolation=cv2.INTER_LINEAR)
    shift_y = cv2.resize((dy * gain).astype(np.float32), size, interpolation=cv2.INTER_LINEAR)
    columns = np.arange(box.x0, box.x1, dtype=np.float32)[None, :]
    rows = np.arange(box.y0, box.y1, dtype=np.float32)[:, None]
    rgb = canvas.rgb
    rgb[box.slices] = cv2.remap(
        rgb, columns + shift_x, rows + shift_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
