"""A SQLite database named by DATABASE_URL waits for the worker's lock like the default one."""

import json
import subprocess
import sys

from tests.config.test_settings import ROOT, _env


def _options(**env) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_env(DJANGO_SETTINGS_MODULE="config.settings", **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sqlite_by_url_gets_the_embedded_defaults_lock_handling(tmp_path):
    embedded = _options()
    by_url = _options(DATABASE_URL=f"sqlite:///{tmp_path / 'castless.sqlite3'}")
    assert embedded == {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL",
    }
    assert by_url == embedded
