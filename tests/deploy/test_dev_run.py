"""`make run`'s last step (deploy/dev-run.sh): Ctrl-C stops the web server and the worker fast.

Started the way a terminal starts it (its own process group, SIGINT not ignored), against a
throwaway SQLite database, then interrupted as Ctrl-C does: every process it started must be
gone within five seconds.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _started_by(marker: str) -> set[int]:
    """Pids of processes whose environment carries `marker` (the test's database path)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker.encode() in environ:
            found.add(int(entry.name))
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split()[2]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


@pytest.fixture
def dev_env(tmp_path):
    database = tmp_path / "dev.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "CASTLESS_MEDIA_ROOT": str(tmp_path / "media"),
        "CASTLESS_Q_SYNC": "false",
        "PYTHON": sys.executable,
        "STOP_GRACE": "3",
    }
    env.pop("CASTLESS_REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return env, str(database)


def _dev_run(env: dict) -> subprocess.Popen:
    """dev-run.sh serving a page. runserver binds the port itself, so another process may take
    a free port first: then the script exits (the web server could not bind) and it starts
    again on another port."""
    deadline = time.monotonic() + 90
    while True:
        port = _free_port()
        run = subprocess.Popen(
            ["bash", "deploy/dev-run.sh", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        while run.poll() is None:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
                return run
            except OSError:
                if time.monotonic() > deadline:
                    os.killpg(run.pid, signal.SIGKILL)
                    pytest.fail("the web server never answered")
                time.sleep(0.3)
        assert time.monotonic() < deadline, "the web server never started"


def test_ctrl_c_stops_the_web_server_and_the_worker_within_five_seconds(dev_env):
    env, marker = dev_env
    run = _dev_run(env)
    try:
        deadline = time.monotonic() + 60
        # The worker is up once its cluster has spawned processes of its own.
        while len(_started_by(marker)) < 4 and time.monotonic() < deadline:
            time.sleep(0.3)
        started = _started_by(marker)
        assert len(started) >= 4, "expected the shell, the web server and the worker cluster"

        interrupted = time.monotonic()
        os.killpg(run.pid, signal.SIGINT)
        while _alive(started) and time.monotonic() - interrupted < 10:
            time.sleep(0.1)
        took = time.monotonic() - interrupted
        assert not _alive(started), f"still running after {took:.1f} s: {_alive(started)}"
        assert took < 5, f"took {took:.1f} s to stop"
    finally:
        for pid in _alive(_started_by(marker)):
            os.kill(pid, signal.SIGKILL)
