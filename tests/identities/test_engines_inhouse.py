"""The in-house engines `orbita` and `local`: what they accept, what they hand back."""

import io

import numpy as np
import pytest
from PIL import Image

from bench.lib.samples import random_brief
from identities.engines.base import ASPECT_RATIOS, SIZES, EngineError, Reference, RenderRequest
from identities.engines.inhouse import LocalEngine, OrbitaEngine
from identities.engines.sizes import pixel_size
from identities.faces import build_default_analyzer

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
BRIEF = {
    "appearance": {"gender": "female", "age": 29, "ethnicity": "Latina"},
    "face": {"eyes": "hazel", "marks": "freckles"},
    "hair": {"color": "chestnut", "length": "long", "style": "wavy"},
}


def request(**overrides) -> RenderRequest:
    values = {
        "prompt": "",
        "brief": BRIEF,
        "expert": False,
        "size": "1K",
        "ar": "1:1",
        "format": "jpg",
        "seed": 42,
    }
    return RenderRequest(**{**values, **overrides})


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_both_engines_are_always_configured_and_in_house():
    for engine, name in ((OrbitaEngine(), "orbita"), (LocalEngine(), "local")):
        assert engine.name == name
        assert engine.is_configured()
        assert engine.capabilities.external is False
        assert engine.capabilities.max_input_assets == 0
        assert engine.capabilities.label == name


def test_orbita_declares_the_seed_limits_and_local_declares_none():
    orbita, local = OrbitaEngine.capabilities, LocalEngine.capabilities
    assert orbita.sizes == {"1K"}
    assert orbita.aspect_ratios == set(ASPECT_RATIOS) - {"4:5", "5:4", "21:9"}
    assert local.sizes == set(SIZES)
    assert local.aspect_ratios == set(ASPECT_RATIOS)


@pytest.mark.parametrize(
    "overrides",
    [
        {"size": "2K"},
        {"size": "4K"},
        {"ar": "4:5"},
        {"ar": "5:4"},
        {"ar": "21:9"},
        {"references": (Reference(data=b"\x89PNG", mime_type="image/png"),)},
    ],
    ids=["2K", "4K", "4:5", "5:4", "21:9", "reference"],
)
def test_orbita_refuses_what_it_cannot_serve(overrides):
    with pytest.raises(EngineError) as refused:
        OrbitaEngine().render(request(**overrides))
    assert refused.value.kind == "invalid"
    assert refused.value.engine == "orbita"


def test_local_refuses_references_and_unknown_formats():
    with pytest.raises(EngineError, match="input_assets"):
        LocalEngine().render(request(references=(Reference(b"x", "image/png"),)))
    with pytest.raises(EngineError) as refused:
        LocalEngine().render(request(format="webp"))
    assert refused.value.kind == "invalid"


def test_the_same_request_gives_identical_bytes():
    assert LocalEngine().render(request()).image == LocalEngine().render(request()).image


def test_orbita_and_local_paint_the_same_portrait():
    assert OrbitaEngine().render(request()).image == LocalEngine().render(request()).image


def test_variations_of_one_request_differ():
    first = np.asarray(decode(LocalEngine().render(request(variation=0)).image), np.int16)
    second = np.asarray(decode(LocalEngine().render(request(variation=1)).image), np.int16)
    assert np.abs(first - second).mean() > 2.0


@pytest.mark.parametrize("ar", ASPECT_RATIOS)
def test_every_ratio_at_1k_gives_exact_pixels_in_the_asked_format(ar):
    fmt = "png" if ar in ("1:1", "9:16", "21:9") else "jpg"
    result = LocalEngine().render(request(ar=ar, format=fmt))
    assert result.image.startswith(JPEG_MAGIC if fmt == "jpg" else PNG_MAGIC)
    assert (result.width, result.height) == pixel_size("1K", ar)
    assert decode(result.image).size == pixel_size("1K", ar)
    assert (result.format, result.engine, result.seed) == (fmt, "local", 42)


@pytest.mark.parametrize(("size", "ar", "fmt"), [("2K", "21:9", "png"), ("4K", "4:5", "jpg")])
def test_2k_and_4k_give_exact_pixels(size, ar, fmt):
    result = LocalEngine().render(request(size=size, ar=ar, format=fmt))
    assert result.image.startswith(JPEG_MAGIC if fmt == "jpg" else PNG_MAGIC)
    assert decode(result.image).size == pixel_size(size, ar)


def test_the_watermark_is_painted_into_the_corner():
    plain = np.asarray(decode(LocalEngine().render(request()).image), np.int16)
    marked = np.asarray(decode(LocalEngine().render(request(watermark=True)).image), np.int16)
    changed = np.abs(plain - marked).max(axis=2) > 0
    height, width = changed.shape
    assert changed[int(height * 0.9) :, int(width * 0.7) :].sum() > 200
    assert not changed[: height // 2].any()


def test_details_record_what_was_drawn_and_what_was_not():
    brief = {**BRIEF, "appearance": {**BRIEF["appearance"], "height": "172 cm"}}
    details = LocalEngine().render(request(brief=brief)).details
    assert details["drawn"]["gender"] == "female"
    assert details["drawn"]["marks"] == ["freckles"]
    assert details["not_depicted"] == ["appearance.height"]


def test_an_expert_request_paints_from_the_prompt():
    def paint(prompt: str) -> np.ndarray:
        result = LocalEngine().render(request(expert=True, prompt=prompt, brief={}))
        return np.asarray(decode(result.image), np.int16)

    red = paint("a woman with long red hair and green eyes")
    black = paint("a woman with long black hair and green eyes")
    assert np.abs(red - black).mean() > 2.0


@pytest.fixture(scope="module")
def analyzer(tmp_path_factory):
    return build_default_analyzer(cache_dir=tmp_path_factory.mktemp("models"), threads=1)


def test_a_sample_of_portraits_each_show_exactly_one_face(analyzer):
    rng = np.random.default_rng(2024)
    for i, ar in enumerate(("1:1", "9:16", "16:9", "3:4", "21:9", "2:3")):
        result = LocalEngine().render(
            request(brief=random_brief(rng), ar=ar, seed=int(rng.integers(2**32)), variation=i)
        )
        faces = analyzer.detect(decode(result.image))
        assert len(faces) == 1
        assert faces[0].score >= analyzer.detection_threshold + 0.2
