import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_float, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k3y-" + "x9Qw7eRt5yUi3oPa1sDf" * 3,
    "DJANGO_ALLOWED_HOSTS": "castless.example.com",
}


def _env(**overrides) -> dict:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CASTLESS_", "AWS_"))
    }
    env.pop("DATABASE_URL", None)
    env.update(overrides)
    return env


def _settings_in_subprocess(**env) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({'db': settings.DATABASES['default']['ENGINE'],"
        " 'db_name': str(settings.DATABASES['default']['NAME']),"
        " 'broker': 'redis' if 'redis' in settings.Q_CLUSTER else 'orm',"
        " 'storage': settings.STORAGES['default']['BACKEND'], 'debug': settings.DEBUG,"
        " 'ssl': settings.SECURE_SSL_REDIRECT}))"
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


def test_readers_parse_and_default(monkeypatch):
    monkeypatch.setenv("X_BOOL", "Yes")
    monkeypatch.setenv("X_INT", " 42 ")
    monkeypatch.setenv("X_FLOAT", "0.5")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_bool("X_BOOL", False) is True
    assert env_int("X_INT", 0) == 42
    assert env_float("X_FLOAT", 1.0) == 0.5
    assert env_list("X_LIST", []) == ["a", "b", "c"]
    assert env_int("X_MISSING", 7) == 7


@pytest.mark.parametrize(
    ("reader", "value", "message"),
    [
        (lambda: env_bool("X", False), "maybe", "X must be true or false"),
        (lambda: env_int("X", 0), "ten", "X must be a whole number"),
        (lambda: env_int("X", 0, minimum=1), "0", "X must be at least 1"),
        (lambda: env_float("X", 0.0), "fast", "X must be a number"),
        (lambda: env_choice("X", "a", {"a", "b"}), "c", "X must be one of a, b"),
    ],
)
def test_readers_fail_loudly_naming_the_variable(monkeypatch, reader, value, message):
    monkeypatch.setenv("X", value)
    with pytest.raises(ImproperlyConfigured, match=message):
        reader()


def test_embedded_defaults_need_no_services():
    settings = _settings_in_subprocess()
    assert settings["db"] == "django.db.backends.sqlite3"
    assert settings["broker"] == "orm"
    assert settings["storage"] == "django.core.files.storage.FileSystemStorage"
    assert settings["debug"] is True


def test_environment_switches_to_postgres_redis_and_s3():
    settings = _settings_in_subprocess(
        DATABASE_URL="postgres://castless:pw@db.internal:5432/castless",
        CASTLESS_REDIS_URL="redis://cache.internal:6379/0",
        AWS_STORAGE_BUCKET_NAME="castless-media",
    )
    assert settings["db"] == "django.db.backends.postgresql"
    assert settings["db_name"] == "castless"
    assert settings["broker"] == "redis"
    assert settings["storage"] == "storages.backends.s3.S3Storage"


def test_production_without_a_secret_key_refuses_to_start():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(DJANGO_DEBUG="false"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_typo_in_a_setting_fails_at_start_up():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(CASTLESS_Q_WORKERS="two"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "CASTLESS_Q_WORKERS must be a whole number" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_env(**PRODUCTION),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert _settings_in_subprocess(**PRODUCTION)["ssl"] is True


def test_every_variable_the_settings_read_is_in_env_example():
    source = (ROOT / "config" / "settings.py").read_text()
    import re

    read = set(re.findall(r'env_(?:str|bool|int|float|list|choice)\(\s*"([A-Z0-9_]+)"', source))
    documented = {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line
    }
    assert read - documented == set()
