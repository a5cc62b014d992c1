"""Seconds from `kill -9` of a worker cluster mid-render to every draft of its job finished.

Two clusters (`manage.py worker`, one worker process each, renders slowed to a few seconds so
the kill lands mid-render) share a job of 4 drafts; the cluster rendering one is killed as a
whole process group, so the tasks it pulled ahead die with it. Prints the median over a few
runs on the embedded default (SQLite, ORM broker) and, when set, on DATABASE_URL (PostgreSQL,
ORM broker) and CASTLESS_REDIS_URL (PostgreSQL or the embedded database, Redis broker).

    .venv/bin/python bench/worker_recovery.py [--runs 3] [--render-seconds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = 4


def _one_run(render_seconds: float) -> dict:
    """In a child process whose environment names the backend: one kill, one measurement."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.services import account_provision
    from identities.models import Draft
    from identities.services.jobs import job_create
    from tests.pipeline import creation_request

    call_command("migrate", verbosity=0)
    user, account, _ = account_provision(
        email=f"bench-{uuid.uuid4().hex[:8]}@castless.test",
        password="bench-password-1",
        plan_code="enterprise",
        credits=100_000,
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CASTLESS_TEST_RENDER_SECONDS": str(render_seconds),
    }
    clusters = [
        subprocess.Popen(
            [sys.executable, "tests/integration/slow_worker.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(2)
    ]
    try:
        time.sleep(3)  # both clusters up, so both pull work
        job = job_create(
            account=account, user=user, request=creation_request(variations=DRAFTS, size="1K")
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            running = Draft.objects.filter(job=job, status=Draft.RUNNING).exclude(worker="").first()
            if running is not None:
                break
            time.sleep(0.05)
        else:
            return {"error": "no draft started"}
        group = os.getpgid(int(running.worker.rsplit(":", 1)[1]))
        os.killpg(group, signal.SIGKILL)
        killed = time.monotonic()
        while time.monotonic() - killed < 600:
            job.refresh_from_db()
            if job.is_final:
                break
            time.sleep(0.2)
        account.refresh_from_db()
        return {
            "seconds": round(time.monotonic() - killed, 1),
            "status": job.status,
            "completed": job.drafts.filter(status=Draft.COMPLETED).count(),
            "reserved": account.credits_reserved,
        }
    finally:
        # TERM to the main process only (systemd's KillMode=mixed); then nothing may remain.
        for process in clusters:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in clusters:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(30)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


def _backends() -> list[tuple[str, dict]]:
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("CASTLESS_REDIS_URL", "")
    backends = [
        ("embedded (SQLite, ORM broker)", {"DATABASE_URL": None, "CASTLESS_REDIS_URL": None})
    ]
    if database_url:
        backends.append(
            ("PostgreSQL, ORM broker", {"DATABASE_URL": database_url, "CASTLESS_REDIS_URL": None})
        )
    if redis_url:
        label = "PostgreSQL" if database_url else "SQLite"
        backends.append(
            (
                f"{label}, Redis broker",
                {"DATABASE_URL": database_url or None, "CASTLESS_REDIS_URL": redis_url},
            )
        )
    return backends


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--render-seconds", type=float, default=3.0)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_one_run(args.render_seconds)))
        return
    print(f"{DRAFTS} drafts, renders of {args.render_seconds} s, 2 clusters × 1 worker")
    for label, overrides in _backends():
        results = []
        for _ in range(args.runs):
            env = {k: v for k, v in os.environ.items() if not k.startswith("CASTLESS_")}
            env.pop("DATABASE_URL", None)
            env.update({k: v for k, v in overrides.items() if v})
            env.update(
                CASTLESS_DATA_DIR=tempfile.mkdtemp(prefix="castless-recovery-"),
                CASTLESS_Q_NAME=f"recovery-{uuid.uuid4().hex[:8]}",
                CASTLESS_Q_WORKERS="1",
                CASTLESS_Q_SYNC="false",
            )
            done = subprocess.run(
                [sys.executable, __file__, "--one", "--render-seconds", str(args.render_seconds)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
            )
            lines = done.stdout.strip().splitlines()
            results.append(json.loads(lines[-1]) if lines else {"error": done.stderr[-300:]})
        seconds = [r["seconds"] for r in results if "seconds" in r]
        median = f"{statistics.median(seconds):.1f} s" if seconds else "n/a"
        print(f"{label}: median {median} from kill to all drafts final; runs: {results}")


if __name__ == "__main__":
    main()
