"""The painting order: wall, body, ears, face, features, facial hair, hair, jewellery."""

from __future__ import annotations

from PIL import Image

from identities.renderer.body import Torso, paint_backdrop, paint_body
from identities.renderer.canvas import Canvas
from identities.renderer.face.head import paint_ears, paint_head
from identities.renderer.geometry import Frame, Outline
from identities.renderer.traits import Traits
from identities.renderer.traits.model import Dice


def paint_portrait(traits: Traits, *, width: int, height: int, dice: Dice) -> Image.Image:
    canvas = Canvas(width, height)
    frame = Frame.for_canvas(width, height)
    outline = Outline(traits.shape)
    torso = Torso(traits, frame)
    paint_backdrop(canvas, frame, dice.rng("paint.wall"))
    paint_body(canvas, frame, traits, torso, outline, dice.rng("paint.body"))
    paint_ears(canvas, frame, traits, outline)
    paint_head(canvas, frame, traits, outline, dice.rng("paint.skin"))
    return canvas.image()
