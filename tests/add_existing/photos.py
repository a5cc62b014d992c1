"""Photos of real-looking people for the add-existing tests, made from images that ship in
installed packages (nothing is downloaded or committed):

- scikit-image's ``astronaut.png`` (Eileen Collins, NASA, public domain): one adult woman;
- insightface's ``t1.jpg`` (a group of six adults) and ``Tom_Hanks_54745.png``;
- a child drawn by MobileStyleGAN (the random-face wheel's model files; used only in tests
  and skipped when the runtime is missing): raw sample 7100 + 23, hand-labelled "a teenager"
  in tests/identities/extraction_eval/photoreal_faces.json.

A "same person" pair is two framings of one photo: a tight, enlarged crop of the face (the
close-up) and the whole picture set on a larger canvas (the full-body shot).
"""

from __future__ import annotations

import io
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np
from PIL import Image

CHILD_SAMPLE = 7100 + 23


def _package_file(package: str, *parts: str) -> Path:
    spec = find_spec(package)
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def astronaut() -> Image.Image:
    return Image.open(_package_file("skimage", "data", "astronaut.png")).convert("RGB")


def group() -> Image.Image:
    return Image.open(_package_file("insightface", "data", "images", "t1.jpg")).convert("RGB")


def hanks() -> Image.Image:
    path = _package_file("insightface", "data", "images", "Tom_Hanks_54745.png")
    return Image.open(path).convert("RGB")


def close_up(image: Image.Image, box: tuple[int, int, int, int], size: int = 480) -> Image.Image:
    """The face region `box` (left, top, right, bottom) enlarged to a `size` px square."""
    return image.crop(box).resize((size, size), Image.Resampling.LANCZOS)


def full_body(image: Image.Image, scale: float = 1.0) -> Image.Image:
    """The whole picture, scaled, on a taller neutral canvas: a portrait-format shot."""
    picture = image.resize(
        (round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS
    )
    canvas = Image.new("RGB", (picture.width + 200, picture.height * 2), (214, 210, 204))
    canvas.paste(picture, (100, 40))
    return canvas


def astronaut_close_up() -> Image.Image:
    return close_up(astronaut(), (140, 30, 300, 190))


def astronaut_full_body() -> Image.Image:
    return full_body(astronaut())


def hanks_close_up() -> Image.Image:
    return close_up(hanks(), (0, 0, 112, 112))


def group_full_body() -> Image.Image:
    """Six people in one photo: more than one face."""
    return group()


def blank() -> Image.Image:
    return Image.new("RGB", (600, 800), (200, 200, 200))


@cache
def child() -> Image.Image:
    from identities.engines.stylegan.model import LAYERS, get_generator

    generator = get_generator()
    z = np.random.default_rng(CHILD_SAMPLE).standard_normal((1, 512), np.float32)
    style = generator.map(z)
    return Image.fromarray(generator.synthesize(np.repeat(style.reshape(1, 512), LAYERS, axis=0)))


def child_close_up() -> Image.Image:
    return close_up(child(), (192, 192, 832, 832))


def child_full_body() -> Image.Image:
    return full_body(child(), scale=0.4)


def jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()
