"""Photos and engines for the content-credential and guard tests.

- an adult: scikit-image's astronaut photograph (a real adult, shipped in the package);
- a child: MobileStyleGAN raw sample 7104 (hand-labelled "a child" in
  tests/identities/extraction_eval/photoreal_faces.json), drawn from its seed;
- a Gemini-speaking server that, when told to, returns the first reference image it was sent,
  the way an engine that copies a face would.
"""

import base64
import io
import json

import c2pa
import numpy as np
import pytest
import skimage.data
from PIL import Image

from identities.services.uploads import asset_upload
from tests.identities.fakes.gemini import FakeGemini, image_reply
from tests.stylegan import require_stylegan

CHILD_SEED = 7104


def jpeg(image: Image.Image, quality: int = 92) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def manifest_store(data: bytes, mime: str = "image/jpeg") -> dict:
    """The manifest store as the c2pa library's own Reader reads it."""
    with c2pa.Reader(mime, io.BytesIO(data)) as reader:
        return json.loads(reader.json())


def active_manifest(data: bytes, mime: str = "image/jpeg") -> dict:
    store = manifest_store(data, mime)
    return store["manifests"][store["active_manifest"]]


def assertion(manifest: dict, label: str) -> dict:
    """An assertion's data by label; c2pa.actions may be written as c2pa.actions.v2."""
    return next(a["data"] for a in manifest["assertions"] if a["label"].startswith(label))


@pytest.fixture(scope="session")
def adult_photo() -> bytes:
    return jpeg(Image.fromarray(skimage.data.astronaut()))


@pytest.fixture(scope="session")
def child_photo() -> bytes:
    from identities.engines.stylegan.latent import as_layers
    from identities.engines.stylegan.model import get_generator

    require_stylegan()
    generator = get_generator()
    z = np.random.default_rng(CHILD_SEED).standard_normal((1, 512), dtype=np.float32)
    return jpeg(Image.fromarray(generator.synthesize(as_layers(generator.map(z)[0]))))


@pytest.fixture
def account(alice):
    return alice.membership.account


@pytest.fixture
def upload(account, alice):
    def uploading(data: bytes, name: str = "reference.jpg"):
        return asset_upload(account=account, user=alice, filename=name, data=data)

    return uploading


@pytest.fixture
def gemini(settings):
    """A real Gemini-speaking server on 127.0.0.1, as the nano_banana_pro engine."""
    with FakeGemini() as fake:
        settings.CASTLESS_GEMINI_API_KEY = fake.API_KEY
        settings.CASTLESS_GEMINI_BASE_URL = fake.base_url
        settings.CASTLESS_GEMINI_MODEL = fake.MODEL
        settings.CASTLESS_ENGINE_MAX_RETRIES = 1
        settings.CASTLESS_ENGINE_TIMEOUT_SECONDS = 10.0
        yield fake
        assert fake.problems == []


def echo_first_reference(request):
    """A reply carrying back the first reference image of the request: a copied face."""
    parts = request.json()["contents"][0]["parts"]
    inline = next(p.get("inline_data") or p.get("inlineData") for p in parts[1:])
    data = base64.b64decode(inline["data"])
    return image_reply(data, inline.get("mime_type") or inline.get("mimeType"))
