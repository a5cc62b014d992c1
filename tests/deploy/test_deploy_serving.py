"""The deploy configuration starts and serves: gunicorn (from castless-web.service and
deploy/gunicorn.conf.py) answers a page, uvicorn (from castless-events.service) streams an event.

The servers run as real processes on 127.0.0.1 against a migrated temporary SQLite file, started
by bench/lib/servers.py (shared with bench/serving.py) on sockets bound before they start.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator

import pytest
import requests

from bench.lib.servers import (
    deploy_servers,
    events_command,
    listening_socket,
    manage,
    web_command,
)

SETUP = """
from accounts.defaults import plans_ensure
from accounts.services import account_provision, api_token_create
plans_ensure()
user, _, _ = account_provision(email="{email}", password="deploy-test-password-1",
    plan_code="pro", credits=10, account_name="Deploy check")
_, secret = api_token_create(account=user.membership.account, user=user, name="deploy")
print("TOKEN", secret, user.membership.account.pk)
"""
EMIT = """
from accounts.models import Account
from identities.notifications.emit import notification_emit
row = notification_emit(account=Account.objects.get(pk={account_id}), name="completed",
    data={{"job_id": "job_deploy", "status": "completed"}})
print("ID", row.pk)
"""


def _manage(env: dict, *args: str) -> str:
    try:
        return manage(env, *args, timeout=90)
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture
def deploy_env(tmp_path) -> dict:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "deploy-serving-test-" + uuid.uuid4().hex,
        "DJANGO_HTTPS": "false",
        "CASTLESS_DATA_DIR": str(tmp_path),
        "CASTLESS_SSE_POLL_SECONDS": "0.1",
        "CASTLESS_GUNICORN_WORKERS": "2",
    }
    # Always a throwaway database: the suite's DATABASE_URL names a database the test run
    # itself never creates (pytest-django works in its own test_ copy).
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'castless.sqlite3'}"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


@pytest.fixture
def servers(deploy_env, tmp_path) -> Iterator[tuple[str, str]]:
    _manage(deploy_env, "migrate", "--noinput", "-v", "0")
    # Each server gets a socket bound here and handed over by descriptor (no free-port race).
    with deploy_servers(deploy_env, log_dir=tmp_path, events_workers=1) as running:
        yield running.web.url, running.events.url


def test_gunicorn_serves_the_login_page_and_uvicorn_streams_an_emitted_event(deploy_env, servers):
    web_url, events_url = servers
    page = requests.get(web_url + "/accounts/login/", timeout=10)
    assert page.status_code == 200
    assert "gunicorn" in page.headers.get("Server", "")
    assert 'name="password"' in page.text

    setup = _manage(deploy_env, "shell", "-c", SETUP.format(email=f"{uuid.uuid4().hex}@x.test"))
    token, account_id = setup.split("TOKEN", 1)[1].split()[:2]
    lines: list[str] = []
    connected = threading.Event()

    def follow() -> None:
        with requests.get(
            events_url + "/api/v2/notifications/events",
            headers={"Authorization": f"Bearer {token}"},
            stream=True,
            timeout=30,
        ) as response:
            assert response.headers["Content-Type"] == "text/event-stream"
            for line in response.iter_lines(decode_unicode=True):
                lines.append(line)
                if line == ": connected":
                    connected.set()
                if line.startswith("data: "):
                    return

    reader = threading.Thread(target=follow, daemon=True)
    reader.start()
    assert connected.wait(30), lines
    emitted = _manage(deploy_env, "shell", "-c", EMIT.format(account_id=account_id))
    notification_id = emitted.split("ID", 1)[1].split()[0]
    reader.join(30)
    assert f"id: {notification_id}" in lines
    assert any('"name":"completed"' in line.replace(" ", "") for line in lines)


def test_the_servers_are_handed_a_bound_socket_instead_of_a_port_to_bind():
    """The socket is bound and listening before either server starts, so no other process can
    take its port in between (the race a free-port pick had)."""
    with listening_socket() as sock:
        fd = str(sock.fileno())
        web, events = web_command(sock), events_command(sock, workers=1)
    assert web[web.index("--bind") + 1] == f"fd://{fd}"
    assert events[events.index("--fd") + 1] == fd
    assert "--port" not in events and "--host" not in events
    assert events[events.index("--workers") + 1] == "1"
    assert web[0].endswith("/gunicorn") and events[0].endswith("/uvicorn")
