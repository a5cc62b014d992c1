import pytest

from tests.identities.fakes.gemini import FakeGemini
from tests.identities.fakes.modelcreate import FakeModelCreate
from tests.identities.fakes.seedream import FakeSeedream


@pytest.fixture
def no_external(settings):
    """No external engine configured: only the offline ones can serve."""
    for key in (
        "CASTLESS_GEMINI_API_KEY",
        "CASTLESS_SEEDREAM_API_KEY",
        "CASTLESS_MODELCREATE_API_KEY",
    ):
        setattr(settings, key, "")
    settings.CASTLESS_ENABLE_MOBILE_STYLEGAN = False


@pytest.fixture
def gemini(settings):
    """A real Gemini-speaking server on 127.0.0.1; fails the test on any protocol break."""
    with FakeGemini() as fake:
        settings.CASTLESS_GEMINI_API_KEY = fake.API_KEY
        settings.CASTLESS_GEMINI_BASE_URL = fake.base_url
        settings.CASTLESS_GEMINI_MODEL = fake.MODEL
        settings.CASTLESS_ENGINE_MAX_RETRIES = 1
        settings.CASTLESS_ENGINE_TIMEOUT_SECONDS = 5.0
        yield fake
        assert fake.problems == []


@pytest.fixture
def seedream(settings):
    with FakeSeedream() as fake:
        settings.CASTLESS_SEEDREAM_API_KEY = fake.API_KEY
        settings.CASTLESS_SEEDREAM_BASE_URL = fake.base_url
        settings.CASTLESS_SEEDREAM_MODEL = fake.MODEL
        settings.CASTLESS_ENGINE_MAX_RETRIES = 1
        settings.CASTLESS_ENGINE_TIMEOUT_SECONDS = 5.0
        yield fake
        assert fake.problems == []


@pytest.fixture
def modelcreate(settings):
    with FakeModelCreate() as fake:
        settings.CASTLESS_MODELCREATE_API_KEY = fake.API_KEY
        settings.CASTLESS_MODELCREATE_BASE_URL = fake.base_url
        settings.CASTLESS_MODELCREATE_POLL_SECONDS = 0.1
        settings.CASTLESS_MODELCREATE_DEADLINE_SECONDS = 10.0
        settings.CASTLESS_ENGINE_MAX_RETRIES = 1
        settings.CASTLESS_ENGINE_TIMEOUT_SECONDS = 5.0
        yield fake
        assert fake.problems == []
