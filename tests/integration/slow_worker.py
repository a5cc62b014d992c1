"""`manage.py worker` with every render slowed down, so a test can kill a worker mid-render.

Run as a script: `python tests/integration/slow_worker.py`. The render delay (seconds) comes
from CASTLESS_TEST_RENDER_SECONDS. The worker processes are forked from this one, so the
patched engine lookup is theirs too.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from identities.services.jobs import generation  # noqa: E402

DELAY = float(os.environ.get("CASTLESS_TEST_RENDER_SECONDS", "3"))
_engine = generation.get_engine


class _Slow:
    def __init__(self, engine):
        self._engine = engine

    def render(self, request):
        time.sleep(DELAY)
        return self._engine.render(request)


generation.get_engine = lambda name: _Slow(_engine(name))

if __name__ == "__main__":
    call_command("worker", *sys.argv[1:])
