"""The deploy servers under load: create vs GET /me, job status, 200 open streams, 5 × 8 fan-out.

Run: `.venv/bin/python bench/serving.py [--seconds 5] [--clients 8] [--workers N] [--pairs 8]`. Starts the
servers as deploy/systemd runs them (bench/lib/servers.py: gunicorn from castless-web.service
for pages and API calls, with the workers `workers()` says unless --workers does; uvicorn from
castless-events.service for the event stream) on 127.0.0.1 against a throwaway migrated
SQLite file, or against DATABASE_URL (and CASTLESS_REDIS_URL) when set: the
production setup (a PostgreSQL database named there is created when missing).

Prints, for each client (the Python `requests` threads and, when installed, `wrk`): requests
per second, median and p95, and the CPU the client and the servers used meanwhile (in cores),
because client and servers share the machine's cores; then the ratios the serving targets are
stated in: create throughput ≥ 30 % of GET /me (both with the requests taking turns among one
account per client, and creates from a single account beside them); job status ≥ 300 req/s per core at p95 < 50 ms
("per core": per CPU second the servers spent, and per machine core); 200 open streams with
page p95 < 200 ms and no error; and the 5 × 8 fan-out: five concurrent creates of eight
variations and the time until a worker (`manage.py worker`, as castless-worker.service runs
it) has finished all 40 drafts. The load average is printed with every figure. With wrk, the
create ratio is also taken from `--pairs` back-to-back 2 s slices of GET /me then create, whose
median is the figure to quote: this machine's speed can double or halve within a minute.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.lib.load import (  # noqa: E402
    Measure,
    load_average,
    python_load,
    tree_cpu_seconds,
    wrk_available,
    wrk_load,
)
from bench.lib.servers import ROOT, deploy_servers, manage, postgres_ensure  # noqa: E402

STREAMS = 200
FAN_OUT_JOBS = 5


def workers(database_url: str) -> int:
    """gunicorn workers unless --workers says otherwise: on PostgreSQL deploy/gunicorn.conf.py's
    own default (2 per core + 1), the production setup as deployed; on SQLite 2 to 4, as five
    writers made creates wait on its one write lock (p95 1.4 s)."""
    cores = os.cpu_count() or 2
    if database_url.startswith("postgres"):
        return 2 * cores + 1
    return max(2, min(4, cores))


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
# One account per client: a create locks its account's row until it commits (the job cap and
# the per-minute limit are counted under that lock), so one account's creates run one at a
# time, and in production one account makes at most CASTLESS_CREATE_PER_MINUTE (30) a minute.
# Many accounts creating at once is the load a server has to carry; the one-account figure is
# printed beside it.
SETUP = (
    "import uuid; from accounts.services import account_provision, api_token_create\n"
    "for _ in range({accounts}):\n"
    " user, account, _ = account_provision(email=uuid.uuid4().hex + '@bench.test',"
    " password='bench-password-1', plan_code='enterprise', credits=10**9)\n"
    " print(api_token_create(account=account, user=user, name='bench')[1])"
)


def _environment(data_dir: Path, workers: int) -> dict:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-serving-" + os.urandom(8).hex(),
        "DJANGO_HTTPS": "false",
        "CASTLESS_DATA_DIR": str(data_dir),
        "CASTLESS_STREAMS_PER_TOKEN": str(STREAMS + 10),
        "CASTLESS_CREATE_PER_MINUTE": "1000000",
        "CASTLESS_PROMOTE_PER_MINUTE": "1000000",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["CASTLESS_GUNICORN_WORKERS"] = str(workers)
    env.setdefault("DATABASE_URL", f"sqlite:///{data_dir / 'bench.sqlite3'}")
    if env["DATABASE_URL"].startswith("postgres"):
        postgres_ensure(env["DATABASE_URL"])
    return env


def _fan_out(env: dict, api: str, headers: dict, log: Path) -> tuple[float, int]:
    """Seconds from five concurrent creates to all their drafts finished, and how many
    drafts completed, with one worker cluster running."""
    with log.open("wb") as handle:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=handle,
        )
        try:
            time.sleep(3)  # the cluster's processes start
            started = time.monotonic()
            with ThreadPoolExecutor(FAN_OUT_JOBS) as pool:
                answers = list(
                    pool.map(
                        lambda _: requests.post(
                            api + "/identity/create", json=BODY, headers=headers, timeout=60
                        ),
                        range(FAN_OUT_JOBS),
                    )
                )
            jobs = [answer.json()["job_id"] for answer in answers]
            done: dict[str, dict] = {}
            while len(done) < len(jobs) and time.monotonic() - started < 600:
                for job in set(jobs) - set(done):
                    status = requests.get(f"{api}/jobs/{job}", headers=headers, timeout=60).json()
                    if status["status"] in ("completed", "failed"):
                        done[job] = status
                time.sleep(0.2)
            took = time.monotonic() - started
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
    if len(done) < len(jobs):
        raise SystemExit(f"fan-out: {len(jobs) - len(done)} jobs unfinished after {took:.0f} s")
    completed = 0
    for job in jobs:
        results = requests.get(f"{api}/jobs/{job}/results", headers=headers, timeout=60).json()
        completed += sum(draft["status"] == "completed" for draft in results["results"])
    return took, completed


def _open_streams(url: str, headers: dict) -> tuple[list, list[str]]:
    opened: list[requests.Response] = []
    failures: list[str] = []

    def open_stream() -> None:
        try:
            response = requests.get(url, headers=headers, stream=True, timeout=30)
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
    return opened, failures


def _paired_ratios(api: str, tokens: list[str], web_pids: list[int], args) -> list[float]:
    """create ÷ GET /me throughput in back-to-back 2 s slices, me first, then create.

    This machine's speed can change by a factor of two within a minute, and the two 5 s runs
    above are measured tens of seconds apart; a slice pair sees the same machine."""
    ratios = []
    for _ in range(args.pairs):
        rates = [
            wrk_load(
                api + path,
                seconds=2.0,
                clients=args.clients,
                server_pids=web_pids,
                headers=_bearer(tokens[0]),
                method=method,
                body=body,
                tokens=tokens,
            ).rate
            for method, path, body in (("GET", "/me", None), ("POST", "/identity/create", BODY))
        ]
        ratios.append(rates[1] / rates[0])
    return ratios


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _line(label: str, m: Measure, target: str = "") -> str:
    return (
        f"{label:<22} {m.client:<6} {m.rate:7.1f} req/s  median {m.p50_ms:6.1f} ms  p95 "
        f"{m.p95_ms:6.1f} ms  errors {m.errors}  CPU: client {m.client_cores:.2f} cores, "
        f"servers {m.server_cores:.2f} cores = {m.per_server_core:6.1f} req per server "
        f"CPU-second  [{m.load}]{target}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: see workers())")
    parser.add_argument(
        "--pairs",
        type=int,
        default=8,
        help="alternating 2 s wrk slices of GET /me and create for the paired ratio (0: none)",
    )
    args = parser.parse_args()
    if args.workers is None:
        args.workers = workers(os.environ.get("DATABASE_URL", "sqlite"))
    data_dir = Path(tempfile.mkdtemp(prefix="castless-serving-"))
    env = _environment(data_dir, args.workers)
    production = env["DATABASE_URL"].startswith("postgres")
    manage(env, "migrate", "--noinput", "-v", "0", timeout=600)
    tokens = manage(env, "shell", "-c", SETUP.format(accounts=args.clients)).split()
    tokens = tokens[-args.clients :]
    headers = {"Authorization": f"Bearer {tokens[0]}"}
    clients = ["python", "wrk"] if wrk_available() else ["python"]
    results: dict[tuple[str, str], Measure] = {}
    with deploy_servers(env, log_dir=data_dir) as servers:
        api = servers.web.url + "/api/v2"
        events = servers.events.url + "/api/v2/notifications/events"
        web_pids = [servers.web.process.pid]
        # Warm up without queueing drafts (a refused body loads the create path), so the
        # fan-out's worker has exactly its 40 drafts to render.
        for _ in range(3):
            requests.get(api + "/me", headers=headers, timeout=60)
            requests.post(api + "/identity/create", json={}, headers=headers, timeout=60)
        fan_out_seconds, fan_out_completed = _fan_out(env, api, headers, data_dir / "worker.log")
        fan_out_load = load_average()
        for _ in range(3):
            requests.post(api + "/identity/create", json=BODY, headers=headers, timeout=60)
        job = requests.post(api + "/identity/create", json=BODY, headers=headers).json()["job_id"]
        # (method, path, body, the tokens the requests take turns with)
        calls = {
            "GET /me": ("GET", "/me", None, tokens),
            "POST /identity/create": ("POST", "/identity/create", BODY, tokens),
            "create, one account": ("POST", "/identity/create", BODY, tokens[:1]),
            "GET /jobs/{id}": ("GET", f"/jobs/{job}", None, tokens[:1]),
        }
        for client in clients:
            for label, (method, path, body, turns) in calls.items():
                if client == "python":
                    results[label, client] = python_load(
                        lambda s, m=method, p=path, b=body, t=turns: (
                            s.request(
                                m, api + p, json=b, headers=_bearer(random.choice(t))
                            ).status_code
                        ),
                        seconds=args.seconds,
                        clients=args.clients,
                        server_pids=web_pids,
                    )
                else:
                    results[label, client] = wrk_load(
                        api + path,
                        seconds=args.seconds,
                        clients=args.clients,
                        server_pids=web_pids,
                        headers=headers,
                        method=method,
                        body=body,
                        tokens=turns,
                    )
        paired = _paired_ratios(api, tokens, web_pids, args) if "wrk" in clients else []
        opened, failures = _open_streams(events, headers)
        time.sleep(2)  # let the streams settle into waiting
        events_pids = [servers.events.process.pid]
        idle_started, idle_before = time.monotonic(), tree_cpu_seconds(events_pids)
        time.sleep(args.seconds)
        idle_cores = (tree_cpu_seconds(events_pids) - idle_before) / (
            time.monotonic() - idle_started
        )
        for client in clients:
            if client == "python":
                results["streams", client] = python_load(
                    lambda s: s.get(api + "/me", headers=headers).status_code,
                    seconds=args.seconds,
                    clients=args.clients,
                    server_pids=web_pids,
                )
            else:
                results["streams", client] = wrk_load(
                    api + "/me",
                    seconds=args.seconds,
                    clients=args.clients,
                    server_pids=web_pids,
                    headers=headers,
                )
        for response in opened:
            response.close()
    _report(results, clients, production, args, opened, failures)
    if paired:
        print(
            f"  paired ratio create / me (wrk, {args.clients} accounts, {len(paired)} alternating"
            f" 2 s slices): median {statistics.median(paired):5.0%}, range {min(paired):.0%}–"
            f"{max(paired):.0%} (target ≥ 30 %)"
        )
    print(f"uvicorn with {STREAMS} idle open streams: {idle_cores:.2f} cores")
    print(
        f"fan-out 5 × 8: {FAN_OUT_JOBS} concurrent creates of 8 → {fan_out_completed}/"
        f"{FAN_OUT_JOBS * 8} drafts completed in {fan_out_seconds:.1f} s "
        f"({fan_out_completed / fan_out_seconds:.1f} drafts/s, one worker cluster of "
        f"{env.get('CASTLESS_Q_WORKERS', '2')} processes) [{fan_out_load}]"
    )


def _report(results, clients, production, args, opened, failures) -> None:
    cores = os.cpu_count() or 1
    print(
        f"setup: {'PostgreSQL' if production else 'SQLite'}"
        f"{' + Redis' if os.environ.get('CASTLESS_REDIS_URL') else ' + ORM broker'},"
        f" gunicorn {args.workers} sync workers, uvicorn events, {args.clients} clients,"
        f" {args.seconds:.0f} s each, {cores} machine cores shared by client and servers"
    )
    for client in clients:
        me, create = results["GET /me", client], results["POST /identity/create", client]
        status, page = results["GET /jobs/{id}", client], results["streams", client]
        print(_line("GET /me", me))
        print(_line("POST /identity/create", create))
        print(
            f"  ratio create / me ({client}, {args.clients} accounts): {create.rate / me.rate:5.0%}"
            f" of throughput, {create.per_server_core / me.per_server_core:5.0%} per server"
            " CPU-second (target ≥ 30 %)"
        )
        alone = results["create, one account", client]
        print(_line("create, one account", alone))
        print(
            f"  ratio create / me ({client}, one account): {alone.rate / me.rate:5.0%} of"
            " throughput (its creates wait on one another for the account's row lock)"
        )
        print(_line("GET /jobs/{id}", status))
        print(
            f"  job status ({client}): {status.per_server_core:6.1f} per server CPU-second, "
            f"{status.rate / cores:6.1f} per machine core, p95 {status.p95_ms:.1f} ms "
            "(target ≥ 300 per core, p95 < 50 ms)"
        )
        print(_line(f"GET /me, {STREAMS} streams", page, "  (target p95 < 200 ms)"))
    print(
        f"{STREAMS} open streams: opened {len(opened) - len(failures)}, errors "
        f"{len(failures)} {failures[:5]}"
    )


if __name__ == "__main__":
    main()
