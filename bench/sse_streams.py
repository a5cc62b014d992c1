"""What idle server-sent event streams cost the server, polling versus waking on a commit.

Run: `.venv/bin/python bench/sse_streams.py [--streams 200] [--windows 5] [--window-seconds 6]`
(or `make bench`). Starts config.asgi under uvicorn (one worker, as each production worker runs)
on 127.0.0.1 against a throwaway migrated SQLite file, or against DATABASE_URL (and
CASTLESS_REDIS_URL) when set, the production setup (a PostgreSQL database named there is created
when missing). Then, once per wake-up mode (CASTLESS_SSE_WAKEUP):

- `poll`: the process's one poller queries every CASTLESS_SSE_POLL_SECONDS (1 s);
- `auto`: it waits for PostgreSQL LISTEN/NOTIFY (or Redis pub/sub) and polls every
  CASTLESS_SSE_SAFETY_POLL_SECONDS (15 s); on SQLite without Redis this polls like `poll`,

it measures the uvicorn process's CPU with no stream open, opens STREAMS streams, lets them
idle and measures it again (cores, the median of WINDOWS windows each time) and, on PostgreSQL,
the database sessions and transactions per second the bench database saw meanwhile; the median
GET /api/v2/me with no stream and with the streams open; and how long one event, committed by
another process, took to reach every stream. Last, the idle CPU of `auto` as a ratio of
`poll`'s. Every wait is bounded.
"""

from __future__ import annotations

import argparse
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
sys.path.insert(0, str(ROOT))

from bench.lib.servers import postgres_ensure  # noqa: E402

ROUNDS = 60
EMAIL = "bench@castless.test"
EMIT = (
    "import time; from accounts.models import Membership;"
    "from identities.notifications.emit import notification_emit;"
    "account = Membership.objects.get(user__email='" + EMAIL + "').account;"
    "notification_emit(account=account, name='completed',"
    " data={'id_task': 'job_bench', 'job_id': 'job_bench', 'status': 'completed'});"
    "print(time.time())"
)
LAST_ID = (
    "from identities.models import Notification;"
    "print(Notification.objects.order_by('-pk').values_list('pk', flat=True).first() or 0)"
)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, headers: dict, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("uvicorn exited")
        try:
            # The first request imports the whole app (engines, face models): give it time.
            if requests.get(url, headers=headers, timeout=30).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.2)
    raise SystemExit("uvicorn did not answer within 120 s")


def median_ms(session: requests.Session, url: str) -> float:
    for _ in range(5):
        session.get(url, timeout=10).raise_for_status()
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        session.get(url, timeout=10).raise_for_status()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class Database:
    """The bench database's session and transaction counters (PostgreSQL only)."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True) if url.startswith("postgres") else None

    def counters(self) -> tuple[int, int] | None:
        if self.conn is None:
            return None
        # Backends report their counts at most once a second: give the last ones time to land.
        time.sleep(1.1)
        row = self.conn.execute(
            "SELECT sessions, xact_commit + xact_rollback FROM pg_stat_database"
            " WHERE datname = current_database()"
        ).fetchone()
        return row[0], row[1]

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


class Stream(threading.Thread):
    """One SSE client: records its status, when it opened and when the first event arrived."""

    def __init__(self, url: str, headers: dict) -> None:
        super().__init__(daemon=True)
        self.url, self.headers = url, headers
        self.opened = threading.Event()
        self.status: int | None = None
        self.received_at: float | None = None

    def run(self) -> None:
        try:
            with requests.get(self.url, headers=self.headers, stream=True, timeout=120) as response:
                self.status = response.status_code
                for line in response.iter_lines(decode_unicode=True):
                    self.opened.set()
                    if line.startswith("data: "):
                        self.received_at = time.time()
                        return
        except requests.RequestException:
            return
        finally:
            self.opened.set()


def idle_cores(pid: int, args) -> float:
    """The median CPU (cores) of the process over WINDOWS windows of WINDOW_SECONDS."""
    windows = []
    for _ in range(args.windows):
        cpu, at = cpu_seconds(pid), time.monotonic()
        time.sleep(args.window_seconds)
        windows.append((cpu_seconds(pid) - cpu) / (time.monotonic() - at))
    return statistics.median(windows)


def run_mode(mode: str, env: dict, token: str, args) -> dict:
    env = {**env, "CASTLESS_SSE_WAKEUP": mode}
    # The streams start after every event stored so far, so the first one they see is ours.
    last_id = manage(env, "shell", "-c", LAST_ID).splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application"]
        + ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
        + ["--no-access-log"],
        cwd=ROOT,
        env=env,
    )
    database = Database(env["DATABASE_URL"])
    try:
        base = f"http://127.0.0.1:{port}/api/v2"
        headers = {"Authorization": f"Bearer {token}"}
        wait_until_up(base + "/me", headers, server)
        session = requests.Session()
        session.headers.update(headers)
        idle_ms = median_ms(session, base + "/me")
        no_streams = idle_cores(server.pid, args)

        follow = {**headers, "Last-Event-ID": last_id}
        streams = [Stream(base + "/notifications/events", follow) for _ in range(args.streams)]
        for stream in streams:
            stream.start()
        for stream in streams:
            if not stream.opened.wait(60):
                raise SystemExit("a stream did not open within 60 s")
        refused = [s.status for s in streams if s.status != 200]
        if refused:
            raise SystemExit(f"{len(refused)} streams were refused: {refused[:5]}")
        time.sleep(3)  # replays done, the poller settled into waiting

        before, started = database.counters(), time.monotonic()
        cores = idle_cores(server.pid, args)
        after, elapsed = database.counters(), time.monotonic() - started
        busy_ms = median_ms(session, base + "/me")

        emitted_at = float(manage(env, "shell", "-c", EMIT).splitlines()[-1])
        for stream in streams:
            stream.join(30)
        delays = [s.received_at - emitted_at for s in streams if s.received_at is not None]
        if len(delays) != args.streams:
            raise SystemExit(f"only {len(delays)} of {args.streams} streams received the event")
        result = {
            "cores": cores,
            "no_stream_cores": no_streams,
            "idle_ms": idle_ms,
            "busy_ms": busy_ms,
            "median_delay_ms": statistics.median(delays) * 1000,
            "slowest_delay_ms": max(delays) * 1000,
        }
        if before is not None:
            # The counters' own reads (one sleep each) are inside `elapsed`.
            result["sessions_per_s"] = (after[0] - before[0]) / elapsed
            result["xacts_per_s"] = (after[1] - before[1]) / elapsed
        return result
    finally:
        database.close()
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--windows", type=int, default=5)
    parser.add_argument("--window-seconds", type=float, default=6.0)
    parser.add_argument("--modes", default="poll,auto")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="castless-bench-"))
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("CASTLESS_REDIS_URL", "")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CASTLESS_"))}
    env.update(
        DATABASE_URL=database_url,
        CASTLESS_REDIS_URL=redis_url,
        CASTLESS_DATA_DIR=str(data_dir),
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_HTTPS="false",
        CASTLESS_LOG_LEVEL="WARNING",
        CASTLESS_SSE_POLL_SECONDS="1",
        CASTLESS_STREAMS_PER_TOKEN=str(args.streams + 10),
    )
    try:
        if database_url.startswith("postgres"):
            postgres_ensure(database_url)
        manage(env, "migrate", "--noinput")
        exists = manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model;"
            f"print(get_user_model().objects.filter(email='{EMAIL}').exists())",
        )
        if exists.splitlines()[-1] != "True":
            manage(
                env, "create_account", EMAIL, "--password", "bench-password-123", "--plan", "pro"
            )
        name = f"sse bench {time.time():.0f}"
        token = manage(env, "create_api_token", EMAIL, "--name", name).splitlines()[-1]
        results = {mode: run_mode(mode, env, token, args) for mode in args.modes.split(",")}
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

    backend = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    backend += " + Redis" if redis_url else ""
    print(
        f"uvicorn, 1 worker, {backend}; {args.streams} idle streams; CPU: median of "
        f"{args.windows} × {args.window_seconds:.0f} s; {os.cpu_count()} CPUs; "
        "load " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    )
    for mode, result in results.items():
        line = (
            f"{mode:>5}: server CPU {result['cores']:.3f} cores"
            f" ({result['no_stream_cores']:.3f} with no stream)"
        )
        if "xacts_per_s" in result:
            line += (
                f", database {result['sessions_per_s']:.2f} sessions/s"
                f" {result['xacts_per_s']:.2f} transactions/s"
            )
        line += (
            f"; GET /me median {result['idle_ms']:.2f} ms with no stream,"
            f" {result['busy_ms']:.2f} ms with {args.streams}"
            f"; one event reached every stream: median {result['median_delay_ms']:.0f} ms,"
            f" slowest {result['slowest_delay_ms']:.0f} ms"
        )
        print(line)
    if {"poll", "auto"} <= results.keys() and results["poll"]["cores"] > 0:
        ratio = results["auto"]["cores"] / results["poll"]["cores"]
        print(f"idle CPU, auto / poll: {ratio:.2f}")


if __name__ == "__main__":
    main()
