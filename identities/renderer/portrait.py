"""The painting order: wall, body, ears, face, features, facial hair, the person's own feature
shapes, hair, jewellery."""

from __future__ import annotations

import numpy as np
from PIL import Image

from identities.renderer.body import Torso, paint_backdrop, paint_body
from identities.renderer.canvas import Canvas
from identities.renderer.face.beard import paint_facial_hair
from identities.renderer.face.brows import paint_brows
from identities.renderer.face.eyes import paint_eyes
from identities.renderer.face.head import paint_ears, paint_head
from identities.renderer.face.jewellery import paint_jewellery
from identities.renderer.face.lines import paint_lines
from identities.renderer.face.marks import paint_marks
from identities.renderer.face.morph import reshape_features
from identities.renderer.face.mouth import paint_mouth, paint_nose
from identities.renderer.geometry import Frame, Outline
from identities.renderer.hair import HairShape, paint_hair
from identities.renderer.hair.updo import paint_updo_behind, paint_updo_front
from identities.renderer.traits import Traits
from identities.renderer.traits.model import Dice


def paint_portrait(
    traits: Traits,
    *,
    width: int,
    height: int,
    dice: Dice,
    wall: np.ndarray | None = None,
    top: np.ndarray | None = None,
) -> Image.Image:
    """`wall` and `top` (linear RGB) dress the picture in other colours than the studio's."""
    canvas = Canvas(width, height)
    frame = Frame.for_canvas(width, height)
    outline = Outline(traits.shape, soften=0.03 + 0.1 * traits.person.femininity)
    torso = Torso(traits, frame)
    hair = HairShape(traits, outline, traits.shape.neck, dice.rng("paint.hairline"))
    paint_backdrop(canvas, frame, dice.rng("paint.wall"), colour=wall)
    paint_updo_behind(canvas, frame, traits, hair, dice.rng("paint.updo"))
    paint_body(canvas, frame, traits, torso, outline, dice.rng("paint.body"), top=top)
    light = paint_head(canvas, frame, traits, outline, dice.rng("paint.skin"))
    if not hair.ears_show:
        paint_ears(canvas, frame, traits, outline)
    paint_marks(canvas, frame, traits, outline, light, dice.rng("paint.marks"))
    paint_lines(canvas, frame, traits)
    paint_nose(canvas, frame, traits, light)
    paint_mouth(canvas, frame, traits, light, dice.rng("paint.mouth"))
    paint_eyes(canvas, frame, traits, light, dice.rng("paint.eyes"))
    paint_brows(canvas, frame, traits, light, dice.rng("paint.brows"))
    paint_facial_hair(canvas, frame, traits, outline, light, dice.rng("paint.beard"))
    reshape_features(canvas, frame, traits, outline, dice.rng("likeness.shapes"))
    paint_hair(canvas, frame, traits, hair, dice.rng("paint.hair"))
    paint_updo_front(canvas, frame, traits, hair, dice.rng("paint.updo"))
    if hair.ears_show:
        paint_ears(canvas, frame, traits, outline)
    paint_jewellery(canvas, frame, traits, outline, dice.rng("paint.jewellery"))
    return canvas.image()
