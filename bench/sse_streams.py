"""Do open server-sent event streams slow other requests down?

Run: `.venv/bin/python bench/sse_streams.py` (or `make bench`). Starts config.asgi under uvicorn
(one worker, as each production worker runs) on 127.0.0.1 with a throwaway SQLite database,
migrated first; measures the median latency of GET /api/v2/me with no stream open, opens
STREAMS notification streams, measures again, then emits one notification and reports how long
the streams took to deliver it. Every wait is bounded.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
STREAMS = 50
ROUNDS = 60
EMAIL = "bench@castless.test"
EMIT = (
    "import time; from accounts.models import Account;"
    "from identities.notifications.emit import notification_emit;"
    "account = Account.objects.get();"
    "notification_emit(account=account, name='completed',"
    " data={'id_task': 'job_bench', 'job_id': 'job_bench', 'status': 'completed'});"
    "print(time.time())"
)


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {args[0]} failed:\n{result.stderr}")
    return result.stdout.strip()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, headers: dict) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            # The first request imports the whole app (engines, face models): give it time.
            if requests.get(url, headers=headers, timeout=30).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.2)
    raise SystemExit("uvicorn did not answer within 60 s")


def median_ms(session: requests.Session, url: str) -> float:
    for _ in range(5):
        session.get(url, timeout=10).raise_for_status()
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        session.get(url, timeout=10).raise_for_status()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


class Stream(threading.Thread):
    """One SSE client: records when the stream opened and when the first event arrived."""

    def __init__(self, url: str, headers: dict) -> None:
        super().__init__(daemon=True)
        self.url, self.headers = url, headers
        self.opened = threading.Event()
        self.received_at: float | None = None

    def run(self) -> None:
        try:
            with requests.get(self.url, headers=self.headers, stream=True, timeout=60) as response:
                for line in response.iter_lines(decode_unicode=True):
                    self.opened.set()
                    if line.startswith("data: "):
                        self.received_at = time.time()
                        return
        except requests.RequestException:
            return


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="castless-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CASTLESS_"))}
    env.update(
        DATABASE_URL="",
        CASTLESS_DATA_DIR=str(data_dir),
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_HTTPS="false",
        CASTLESS_LOG_LEVEL="WARNING",
    )
    server = None
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "create_account", EMAIL, "--password", "bench-password-123", "--plan", "pro")
        token = manage(env, "create_api_token", EMAIL).splitlines()[-1]
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application"]
            + ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
            + ["--no-access-log"],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}/api/v2"
        headers = {"Authorization": f"Bearer {token}"}
        wait_until_up(base + "/me", headers)
        session = requests.Session()
        session.headers.update(headers)

        idle = median_ms(session, base + "/me")
        streams = [Stream(base + "/notifications/events", headers) for _ in range(STREAMS)]
        for stream in streams:
            stream.start()
        for stream in streams:
            if not stream.opened.wait(30):
                raise SystemExit("a stream did not open within 30 s")
        busy = median_ms(session, base + "/me")

        emitted_at = float(manage(env, "shell", "-c", EMIT).splitlines()[-1])
        for stream in streams:
            stream.join(30)
        delays = [s.received_at - emitted_at for s in streams if s.received_at is not None]

        cpus = os.cpu_count()
        print(f"uvicorn, 1 worker, SQLite; median of {ROUNDS} GET /api/v2/me; {cpus} CPUs")
        print(f"0 streams open: {idle:.2f} ms")
        print(f"{STREAMS} streams open: {busy:.2f} ms (ratio {busy / idle:.2f})")
        if len(delays) != STREAMS:
            raise SystemExit(f"only {len(delays)} of {STREAMS} streams received the event")
        median, slowest = statistics.median(delays) * 1000, max(delays) * 1000
        print(
            f"one event reached all {STREAMS} streams: median {median:.0f} ms, "
            f"slowest {slowest:.0f} ms (poll interval 1 s)"
        )
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
