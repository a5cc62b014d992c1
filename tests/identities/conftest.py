import pytest

from tests.identities.fakes.gemini import FakeGemini


@pytest.fixture
def gemini(settings):
    """A real Gemini-speaking server on 127.0.0.1, configured as the nano_banana_pro engine;
    the test fails if anything sent to it broke the documented protocol."""
    with FakeGemini() as fake:
        settings.CASTLESS_GEMINI_API_KEY = fake.API_KEY
        settings.CASTLESS_GEMINI_BASE_URL = fake.base_url
        settings.CASTLESS_GEMINI_MODEL = fake.MODEL
        settings.CASTLESS_ENGINE_MAX_RETRIES = 3
        settings.CASTLESS_ENGINE_TIMEOUT_SECONDS = 5.0
        yield fake
        assert fake.problems == []
