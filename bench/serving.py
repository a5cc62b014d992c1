"""The deploy servers under load: create vs GET /me, job-status throughput, 200 open streams.

Run: `.venv/bin/python bench/serving.py`. Starts the servers as deploy/systemd runs them
(gunicorn from castless-web.service for pages and API calls, uvicorn from
castless-events.service for the event stream) on 127.0.0.1 against a throwaway migrated SQLite
file, or against DATABASE_URL (and CASTLESS_REDIS_URL) when set: the production setup. Prints
medians, p95s and the ratios the serving targets are stated in:
create throughput ≥ 30 % of GET /me; job status ≥ 300 req/s per core at p95 < 50 ms;
200 open streams with page p95 < 200 ms and no error.
"""

from __future__ import annotations

import os
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECONDS = 5.0
CLIENTS = 8
STREAMS = 200
WORKERS = max(2, min(4, os.cpu_count() or 2))
BODY = {
    "instructions": [
        {
            "appearance": {"gender": "female", "age": 28, "skin": "light"},
            "hair": {"color": "ash blonde", "length": "long"},
            "num_variations": 8,
            "options": {"ar": "3:4", "size": "1K", "format": "jpg"},
        }
    ],
    "options": {"model": "local"},
    "name": "Bench model",
}
SETUP = (
    "import uuid; from accounts.services import account_provision, api_token_create;"
    "user, account, _ = account_provision(email=uuid.uuid4().hex + '@bench.test',"
    " password='bench-password-1', plan_code='enterprise', credits=10**9);"
    "print(api_token_create(account=account, user=user, name='bench')[1])"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _exec_start(unit: str) -> list[str]:
    text = (ROOT / "deploy/systemd" / unit).read_text().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    command = line.removeprefix("ExecStart=").replace("/srv/castless/.venv/bin/", f"{BIN}/")
    return shlex.split(command.replace("/srv/castless/", f"{ROOT}/"))


def _with_option(args: list[str], option: str, value: str) -> list[str]:
    index = args.index(option)
    return [*args[: index + 1], value, *args[index + 2 :]]


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip()


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=60)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def _load(call, seconds: float = SECONDS, clients: int = CLIENTS) -> tuple[float, list[float]]:
    """(requests per second, latencies in ms) of `clients` threads calling for `seconds`."""
    latencies: list[float] = []
    errors: list[int] = []
    stop = time.monotonic() + seconds

    def run() -> None:
        session = requests.Session()
        while time.monotonic() < stop:
            start = time.perf_counter()
            status = call(session)
            latencies.append((time.perf_counter() - start) * 1000)
            if status >= 400:
                errors.append(status)

    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(run) for _ in range(clients)]:
            future.result()
    if errors:
        raise SystemExit(f"{len(errors)} errors under load, e.g. {errors[:5]}")
    return len(latencies) / seconds, latencies


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="castless-serving-"))
    production = bool(os.environ.get("DATABASE_URL"))
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-serving",
        "DJANGO_HTTPS": "false",
        "CASTLESS_DATA_DIR": str(data_dir),
        "CASTLESS_GUNICORN_WORKERS": str(WORKERS),
        "CASTLESS_STREAMS_PER_TOKEN": str(STREAMS + 10),
        "CASTLESS_CREATE_PER_MINUTE": "1000000",
        "CASTLESS_PROMOTE_PER_MINUTE": "1000000",
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{data_dir / 'bench.sqlite3'}")
    _manage(env, "migrate", "--noinput", "-v", "0")
    token = _manage(env, "shell", "-c", SETUP).split()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    web_port, events_port = _free_port(), _free_port()
    web_args = _with_option(_exec_start("castless-web.service"), "--bind", f"127.0.0.1:{web_port}")
    events_args = _with_option(_exec_start("castless-events.service"), "--port", str(events_port))
    processes = [
        subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for args in (web_args, events_args)
    ]
    web = f"http://127.0.0.1:{web_port}/api/v2"
    events = f"http://127.0.0.1:{events_port}/api/v2/notifications/events"
    try:
        _wait_until_up(web + "/me")
        _wait_until_up(events)
        for _ in range(3):
            requests.get(web + "/me", headers=headers, timeout=60)
            requests.post(web + "/identity/create", json=BODY, headers=headers, timeout=60)

        me_rate, me_ms = _load(lambda s: s.get(web + "/me", headers=headers).status_code)
        create_rate, create_ms = _load(
            lambda s: s.post(web + "/identity/create", json=BODY, headers=headers).status_code
        )
        job = requests.post(web + "/identity/create", json=BODY, headers=headers).json()["job_id"]
        status_rate, status_ms = _load(
            lambda s: s.get(f"{web}/jobs/{job}", headers=headers).status_code
        )

        opened: list[requests.Response] = []
        failures: list[str] = []

        def open_stream() -> None:
            try:
                response = requests.get(events, headers=headers, stream=True, timeout=30)
                if response.status_code != 200:
                    failures.append(str(response.status_code))
                opened.append(response)
            except requests.RequestException as error:
                failures.append(type(error).__name__)

        threads = [threading.Thread(target=open_stream) for _ in range(STREAMS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        time.sleep(2)  # let the streams settle into waiting
        page_rate, page_ms = _load(lambda s: s.get(web + "/me", headers=headers).status_code)
        for response in opened:
            response.close()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)

    cores = min(WORKERS, os.cpu_count() or 1)
    print(
        f"setup                              {'PostgreSQL' if production else 'SQLite'}"
        f"{' + Redis' if os.environ.get('CASTLESS_REDIS_URL') else ' + ORM broker'},"
        f" gunicorn {WORKERS} sync workers, uvicorn events, {CLIENTS} clients, {SECONDS:.0f} s"
    )
    print(
        f"GET /me                  {me_rate:7.1f} req/s  median {statistics.median(me_ms):6.1f} ms"
    )
    print(
        f"POST /identity/create    {create_rate:7.1f} req/s  median "
        f"{statistics.median(create_ms):6.1f} ms  p95 {_p95(create_ms):6.1f} ms"
    )
    print(f"ratio create / me        {create_rate / me_rate:7.0%}   (target ≥ 30 %)")
    print(
        f"GET /jobs/{{id}}           {status_rate:7.1f} req/s  = {status_rate / cores:6.1f} per core"
        f" ({cores} cores)  median {statistics.median(status_ms):6.1f} ms  p95 "
        f"{_p95(status_ms):6.1f} ms   (target ≥ 300 per core, p95 < 50 ms)"
    )
    print(
        f"{STREAMS} open streams: opened {len(opened) - len(failures)}, errors "
        f"{len(failures)} {failures[:5]}; page {page_rate:7.1f} req/s  median "
        f"{statistics.median(page_ms):6.1f} ms  p95 {_p95(page_ms):6.1f} ms   (target < 200 ms)"
    )


if __name__ == "__main__":
    main()
