"""Persona fixtures shared by every test: alice (owner), bob (member of Alice's workspace),
charlie (owner of another workspace), and clients logged in as each."""

import copy
import itertools
import json
import os

import pytest
from django.db import connection
from django.test import Client

from accounts.defaults import plans_ensure
from accounts.models import Membership
from accounts.services import account_provision, api_token_create

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Personas hash real passwords (~0.5 s each with PBKDF2); a fast hasher keeps the suite
    quick. Login still goes through the real check, just with a cheaper algorithm."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Every test stores media in its own temporary folder, never in var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }


@pytest.fixture(scope="session")
def _c2pa_dev_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("c2pa")


@pytest.fixture(autouse=True)
def c2pa_dev_chain(settings, _c2pa_dev_dir):
    """Content credentials sign with a development chain made once per session in a temporary
    folder, never in var/."""
    settings.CASTLESS_C2PA_DEV_DIR = _c2pa_dev_dir


# Drafts created in tests get seeds from here (see repeatable_draft_seeds); paintings of these
# seeds are memoised for the session. Engines and renderers called with any other seed (every
# determinism and fidelity test) always paint afresh.
TEST_SEED_BASE = 0x7E570000
TEST_SEED_SPAN = 10_000


@pytest.fixture(autouse=True)
def repeatable_draft_seeds(monkeypatch):
    """Draft seeds come from a counter that restarts in every test, not a random source: a
    test's drafts still get distinct seeds, the same test paints the same people every run,
    and the library, job and page tests (a job of the same brief each) share their paintings
    through painted_once below instead of painting each draft again."""
    from identities.services.jobs import acceptance

    seeds = itertools.count(TEST_SEED_BASE)
    monkeypatch.setattr(acceptance, "draft_seed", lambda: next(seeds))


@pytest.fixture(autouse=True, scope="session")
def painted_once():
    """The painter is deterministic (same brief, seed, variation and size, same pixels), so a
    draft with a test seed is painted once per session; each caller gets its own copy."""
    import identities.renderer as renderer

    paint = renderer.render_portrait
    painted: dict[tuple, renderer.Portrait] = {}

    def render_portrait(brief, *, seed, variation=0, width, height):
        if not TEST_SEED_BASE <= seed < TEST_SEED_BASE + TEST_SEED_SPAN:
            return paint(brief, seed=seed, variation=variation, width=width, height=height)
        key = (json.dumps(brief, sort_keys=True, default=str), seed, variation, width, height)
        if key not in painted:
            painted[key] = paint(brief, seed=seed, variation=variation, width=width, height=height)
        done = painted[key]
        return renderer.Portrait(
            image=done.image.copy(), traits=done.traits, details=copy.deepcopy(done.details)
        )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(renderer, "render_portrait", render_portrait)
        yield


@pytest.fixture
def reference_data(db):
    """Rows the migrations seed; transactional tests flush them, so put them back."""
    from identities.models import FeatureFlag

    plans_ensure()
    FeatureFlag.objects.get_or_create(name=FeatureFlag.IDENTITY_CREATION)


@pytest.fixture
def alice(reference_data):
    user, _, _ = account_provision(
        email="alice@brand.test",
        password=PASSWORD,
        plan_code="pro",
        credits=500,
        account_name="Alice Studio",
    )
    return user


@pytest.fixture
def bob(alice):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username="bob@brand.test", email="bob@brand.test", password=PASSWORD
    )
    Membership.objects.create(user=user, account=alice.membership.account, role=Membership.MEMBER)
    return user


@pytest.fixture
def charlie(reference_data):
    user, _, _ = account_provision(
        email="charlie@other.test",
        password=PASSWORD,
        plan_code="free",
        credits=100,
        account_name="Charlie Co",
    )
    return user


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice):
    return _client_for(alice)


@pytest.fixture
def bob_client(bob):
    return _client_for(bob)


@pytest.fixture
def charlie_client(charlie):
    return _client_for(charlie)


@pytest.fixture
def alice_token(alice) -> str:
    _, secret = api_token_create(account=alice.membership.account, user=alice, name="Alice CI")
    return secret


@pytest.fixture
def charlie_token(charlie) -> str:
    _, secret = api_token_create(account=charlie.membership.account, user=charlie, name="Charlie")
    return secret


@pytest.fixture
def alice_api(alice_token) -> Client:
    """A test client that sends Alice's bearer token on every request."""
    return Client(headers={"Authorization": f"Bearer {alice_token}"})


@pytest.fixture
def charlie_api(charlie_token) -> Client:
    return Client(headers={"Authorization": f"Bearer {charlie_token}"})


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def require_postgres(why: str = "row-level concurrency is proven on PostgreSQL") -> None:
    """Skip on a developer's SQLite run; fail in CI, which must run these on PostgreSQL."""
    if on_postgres():
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI runs on PostgreSQL, but DATABASE_URL is not PostgreSQL ({why})")
    pytest.skip(f"{why}; set DATABASE_URL to a PostgreSQL database to run it")


def require_redis(url: str) -> None:
    """Skip when no Redis answers at `url` on a developer's machine; fail in CI, which runs one."""
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail(f"CI runs Redis, but there is none at {url}")
        pytest.skip(f"no Redis at {url}")


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: Playwright's sync API leaves an event loop running in the main
    thread, and the tests that drive async code (event streams) must run before that."""
    items.sort(key=lambda item: "/tests/browser/" in str(item.path))
