"""`mobile_stylegan`: absent unless switched on, deterministic, distinct people, steered by the brief.

The rendering tests draw four 1K drafts (about a second each after a 1–3 s model load) and skip
where the optional `openvino` runtime or the `random-face` model files are not installed.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from identities.engines import registry
from identities.engines.base import EngineError, RenderRequest
from identities.engines.stylegan.engine import MobileStyleGANEngine, crop_to_ratio
from identities.engines.stylegan.latent import as_layers, decode_latent, encode_latent
from identities.faces import get_face_analyzer
from tests.stylegan import needs_stylegan, require_stylegan

ROOT = Path(__file__).resolve().parents[2]
WOMAN = {"appearance": {"gender": "female", "age": "25"}, "hair": {"style": "braids"}}
MAN = {"appearance": {"gender": "male", "age": "65"}}


@pytest.fixture
def enabled(settings):
    settings.CASTLESS_ENABLE_MOBILE_STYLEGAN = True
    for key in ("CASTLESS_GEMINI_API_KEY", "CASTLESS_SEEDREAM_API_KEY"):
        setattr(settings, key, "")
    settings.CASTLESS_MODELCREATE_API_KEY = ""


def request(brief=WOMAN, **overrides) -> RenderRequest:
    values = {"prompt": "", "brief": brief, "expert": False, "size": "1K", "ar": "1:1"}
    values |= {"format": "png", "seed": 1234}
    return RenderRequest(**{**values, **overrides})


def test_without_the_setting_nothing_of_it_exists_or_loads():
    # A fresh interpreter: other tests in this process may have loaded OpenVINO already.
    script = """
import json, sys, django
django.setup()
from identities.engines import registry
auto = registry.resolve_engine("auto", size="1K", ar="1:1", input_assets=0)
try:
    registry.get_engine("mobile_stylegan")
    found = True
except KeyError:
    found = False
print(json.dumps({
    "names": list(registry.ENGINE_NAMES),
    "configured": [e.name for e in registry.configured_engines()],
    "auto": auto.name,
    "auto_sizes": sorted(registry.capabilities_for("auto").sizes),
    "found": found,
    "loaded": sorted(m for m in sys.modules if m.startswith(("openvino", "identities.engines.stylegan"))),
}))
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("CASTLESS_ENABLE_MOBILE_STYLEGAN", None)
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])

    assert "mobile_stylegan" not in seen["names"]
    assert "mobile_stylegan" not in seen["configured"]
    assert seen["auto"] == "local" and not seen["found"]
    assert seen["loaded"] == []


def test_the_setting_makes_it_exist_and_auto_prefer_it_over_local(enabled, monkeypatch):
    monkeypatch.setattr("identities.engines.stylegan.engine.runtime_installed", lambda: True)

    assert [e.name for e in registry.configured_engines()] == ["mobile_stylegan", "local", "orbita"]
    assert registry.resolve_engine("auto", size="1K", ar="4:5", input_assets=0).name == (
        "mobile_stylegan"
    )
    # What it cannot serve without inventing pixels goes to the painter.
    assert registry.resolve_engine("auto", size="2K", ar="1:1", input_assets=0).name == "local"
    assert registry.resolve_engine("auto", size="1K", ar="16:9", input_assets=0).name == "local"
    caps = registry.capabilities_for("mobile_stylegan")
    assert caps.sizes == {"1K"} and "21:9" not in caps.aspect_ratios
    assert caps.max_input_assets == 0 and not caps.external


def test_auto_falls_back_to_local_when_enabled_but_not_installed(enabled, monkeypatch):
    monkeypatch.setattr("identities.engines.stylegan.engine.runtime_installed", lambda: False)

    assert registry.resolve_engine("auto", size="1K", ar="1:1", input_assets=0).name == "local"


def test_it_refuses_what_it_cannot_draw(enabled):
    engine = MobileStyleGANEngine()

    for bad in ({"size": "4K"}, {"ar": "21:9"}, {"format": "webp"}):
        with pytest.raises(EngineError) as caught:
            engine.render(request(**bad))
        assert caught.value.kind == "invalid"


def test_a_latent_record_round_trips_and_stays_small():
    rng = np.random.default_rng(3)
    plain = rng.standard_normal(512).astype(np.float32)
    mixed = as_layers(plain)
    mixed[12:] = rng.standard_normal(512)

    for styles in (as_layers(plain), mixed):
        record = encode_latent(styles)
        assert np.array_equal(decode_latent(json.loads(json.dumps(record))), styles)
    assert len(json.dumps(encode_latent(plain))) < 3000


def test_ratios_are_crops_around_the_face():
    image = Image.new("RGB", (1024, 1024))

    crop, box = crop_to_ratio(image, 2 / 3, (600.0, 300.0, 900.0, 700.0))

    assert crop.size == (683, 1024) and box[2] == 1024  # pushed right, clamped to the picture
    crop, box = crop_to_ratio(image, 5 / 4, None)
    assert crop.size == (1024, 819) and box[1] == 102


@pytest.fixture(scope="module")
def drafts():
    require_stylegan()
    from django.conf import settings

    settings.CASTLESS_ENABLE_MOBILE_STYLEGAN = True
    try:
        engine = MobileStyleGANEngine()
        made = {
            "woman0": engine.render(request(WOMAN, variation=0)),
            "woman1": engine.render(request(WOMAN, variation=1)),
            "woman0_again": engine.render(request(WOMAN, variation=0)),
            "man": engine.render(request(MAN, variation=0, ar="4:5")),
        }
    finally:
        settings.CASTLESS_ENABLE_MOBILE_STYLEGAN = False
    return made


def _image(result) -> Image.Image:
    return Image.open(io.BytesIO(result.image)).convert("RGB")


@needs_stylegan
def test_same_seed_same_picture(drafts):
    assert drafts["woman0"].image == drafts["woman0_again"].image
    assert drafts["woman0"].details["latent"] == drafts["woman0_again"].details["latent"]


@needs_stylegan
def test_exactly_one_face_and_variations_are_different_people(drafts):
    analyzer = get_face_analyzer()
    embeddings = {}
    for key in ("woman0", "woman1", "man"):
        image = _image(drafts[key])
        faces = analyzer.detect(image)
        assert len(faces) == 1, key
        embeddings[key] = analyzer.embed(image, faces[0])

    keys = list(embeddings)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            assert analyzer.compare(embeddings[a], embeddings[b]) < 0.5, (a, b)


@needs_stylegan
def test_brief_steers_gender_and_age(drafts):
    read = {key: drafts[key].details["read"] for key in ("woman0", "woman1", "man")}

    assert read["woman0"]["gender"] == read["woman1"]["gender"] == "female"
    assert read["man"]["gender"] == "male"
    assert max(read["woman0"]["age"], read["woman1"]["age"]) < read["man"]["age"]
    assert read["man"]["age"] >= 45


@needs_stylegan
def test_drafts_record_size_licence_latent_and_what_was_not_drawn(drafts):
    man, woman = drafts["man"], drafts["woman0"]

    assert (man.width, man.height) == (896, 1120) and _image(man).size == (896, 1120)
    assert man.details["native_size"] == [1024, 1024] and man.details["upscaled"] == 1.094
    assert woman.details["upscaled"] is None and woman.engine == "mobile_stylegan"
    assert woman.details["non_commercial"] is True
    assert decode_latent(woman.details["latent"]).shape == (23, 512)
    assert woman.details["not_drawn"] == ["hair.style: braids"]
