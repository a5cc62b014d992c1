"""The deploy configuration starts and serves: gunicorn (from castless-web.service and
deploy/gunicorn.conf.py) answers a page, uvicorn (from castless-events.service) streams an event.

The servers run as real processes on 127.0.0.1 against a migrated temporary SQLite file.
"""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _exec_start(unit: str) -> list[str]:
    """The unit's ExecStart as arguments, pointed at this checkout and virtualenv."""
    text = (ROOT / "deploy/systemd" / unit).read_text().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    command = line.removeprefix("ExecStart=").replace("/srv/castless/.venv/bin/", f"{BIN}/")
    return shlex.split(command.replace("/srv/castless/", f"{ROOT}/"))


def _with_option(args: list[str], option: str, value: str) -> list[str]:
    index = args.index(option)
    return [*args[: index + 1], value, *args[index + 2 :]]


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            requests.get(url, timeout=30)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    pytest.fail(f"{url} did not answer in time")


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
    web_port, events_port = _free_port(), _free_port()
    web = _with_option(_exec_start("castless-web.service"), "--bind", f"127.0.0.1:{web_port}")
    events = _with_option(_exec_start("castless-events.service"), "--port", str(events_port))
    events = _with_option(events, "--workers", "1")
    logs = [tmp_path / "gunicorn.log", tmp_path / "uvicorn.log"]
    handles = [log.open("wb") for log in logs]
    processes = [
        subprocess.Popen(args, cwd=ROOT, env=deploy_env, stdout=subprocess.DEVNULL, stderr=handle)
        for args, handle in zip((web, events), handles, strict=True)
    ]
    try:
        # The first request imports the URL configuration and views: slow on a loaded machine.
        deadline = time.monotonic() + 60
        web_url, events_url = f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{events_port}"
        _wait_until_up(web_url + "/accounts/login/", processes[0], logs[0], deadline)
        _wait_until_up(events_url + "/api/v2/notifications/events", processes[1], logs[1], deadline)
        yield web_url, events_url
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        for handle in handles:
            handle.close()


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
