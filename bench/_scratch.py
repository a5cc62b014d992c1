"""A throwaway Django installation for benchmarks: its own SQLite file and media in a temp
folder, migrated, with a demo workspace. Import this before anything touches Django."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(tempfile.mkdtemp(prefix="castless-bench-"))

sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["CASTLESS_DATA_DIR"] = str(DATA_DIR)
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("CASTLESS_Q_SYNC", "false")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
# Benchmarks measure throughput, not the per-minute limits.
os.environ["CASTLESS_CREATE_PER_MINUTE"] = "1000000"
os.environ["CASTLESS_PROMOTE_PER_MINUTE"] = "1000000"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def prepare(plan: str = "enterprise", credits: int = 1_000_000):
    """Migrate the scratch database and return (user, account, bearer token)."""
    from accounts.services import account_provision, api_token_create

    call_command("migrate", verbosity=0)
    user, account, _ = account_provision(
        email="bench@castless.test", password="bench-password-1", plan_code=plan, credits=credits
    )
    _, token = api_token_create(account=account, user=user, name="bench")
    return user, account, token


def environment() -> dict:
    """The environment a worker subprocess needs to share this scratch installation."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    return env
