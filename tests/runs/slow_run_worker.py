"""`manage.py worker` with every on-model render slowed down, so a test can kill a worker in
the middle of a run. Run as a script; the delay (seconds per output) comes from
CASTLESS_TEST_RENDER_SECONDS. The worker processes fork from this one, so they are slowed too."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from identities.services.runs import generation  # noqa: E402

DELAY = float(os.environ.get("CASTLESS_TEST_RENDER_SECONDS", "3"))
_engine = generation.onmodel_engine


class _Slow:
    def __init__(self, engine):
        self._engine = engine

    def render_on_model(self, request):
        time.sleep(DELAY)
        return self._engine.render_on_model(request)


generation.onmodel_engine = lambda name: _Slow(_engine(name))

if __name__ == "__main__":
    call_command("worker", *sys.argv[1:])
