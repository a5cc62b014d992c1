"""A worker killed mid-render (`kill -9` of its whole cluster): every draft of the job is
finished by the other cluster within a minute, and its credits settle exactly once.

Two real clusters (`manage.py worker`, one worker process each) on PostgreSQL and the ORM
broker, renders slowed to a few seconds so the kill lands mid-render, with a 6 s lease and a
sweep every second so the test is quick (bench/worker_recovery.py measures the 20 s default
against the one-minute target). The dead cluster's running draft comes back when its short
lease runs out; the tasks it had pulled ahead (locked
in the broker for `retry` seconds) come back through the surviving cluster's sweep.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Sum

from accounts.models import CreditEntry
from identities.models import Draft, Job
from tests.conftest import require_postgres

ROOT = Path(__file__).resolve().parents[2]
RECOVERY_TARGET = 60.0
# A short lease and frequent sweeps (the defaults are 20 s and 5 s) keep the test quick.
TEST_LEASE_SECONDS = 6
WORKER_ARGS = ["--sweep-every", "1"]

ENQUEUE = """
from django.contrib.auth import get_user_model
from django.db import transaction
from identities.services.jobs import job_create
from tests.pipeline import creation_request
user = get_user_model().objects.get(username="alice@brand.test")
with transaction.atomic():
    job = job_create(account=user.membership.account, user=user,
                     request=creation_request(variations={drafts}, size="1K"))
print(job.public_id)
"""


def worker_environment(tmp_path: Path, *, render_seconds: float, redis_url: str = "") -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASTLESS_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=url,
        CASTLESS_Q_NAME=f"recovery-{uuid.uuid4().hex[:8]}",
        CASTLESS_Q_WORKERS="1",
        CASTLESS_Q_SYNC="false",
        CASTLESS_DATA_DIR=str(tmp_path),
        CASTLESS_TEST_RENDER_SECONDS=str(render_seconds),
        CASTLESS_TASK_LEASE_SECONDS=str(TEST_LEASE_SECONDS),
        PYTHONPATH=str(ROOT),
    )
    if redis_url:
        env["CASTLESS_REDIS_URL"] = redis_url
    return env


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "tests/integration/slow_worker.py", *WORKER_ARGS],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the cluster dies as a whole
    )


def enqueue(env: dict, drafts: int) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", ENQUEUE.format(drafts=drafts)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def kill_a_rendering_cluster(job: Job, clusters: list[subprocess.Popen], timeout: float) -> str:
    """SIGKILL the process group of the cluster rendering one of the job's drafts; returns the
    worker ("host:pid") that was rendering."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = Draft.objects.filter(job=job, status=Draft.RUNNING).exclude(worker="").first()
        if running is not None:
            pid = int(running.worker.rsplit(":", 1)[1])
            group = os.getpgid(pid)
            victim = next(p for p in clusters if p.pid == group)
            os.killpg(group, signal.SIGKILL)
            victim.wait(10)
            return running.worker
        time.sleep(0.05)
    raise AssertionError("no draft started rendering")


def wait_final(job: Job, timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        job.refresh_from_db()
        if job.is_final:
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"job still {job.status} after {timeout} s")


def stop(clusters: list[subprocess.Popen], grace: float = 30.0) -> bool:
    """SIGTERM to each live cluster's main process only, as systemd does with the worker unit's
    KillMode=mixed (a TERM to the whole group kills django-q2's sentinel outright and leaves the
    main process waiting for it). True when every cluster stopped within `grace` seconds; the
    rest are killed."""
    for process in clusters:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    graceful = True
    deadline = time.monotonic() + grace
    for process in clusters:
        try:
            process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            graceful = False
        # Nothing of a cluster may outlive it (its sentinel, workers, monitor, pusher).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    return graceful


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_killed_workers_drafts_are_finished_by_another_within_a_minute(alice, tmp_path):
    require_postgres("worker processes share the database")
    env = worker_environment(tmp_path, render_seconds=3)
    clusters = [start_worker(env) for _ in range(2)]
    try:
        job = Job.objects.get(public_id=enqueue(env, drafts=4))
        killed = kill_a_rendering_cluster(job, clusters, timeout=60)
        recovered = wait_final(job, timeout=RECOVERY_TARGET)
    finally:
        graceful = stop(clusters, grace=15)
    print(f"recovered {recovered:.1f} s after kill -9")
    assert graceful, "the surviving cluster did not stop within 15 s of SIGTERM"
    assert job.status == Job.COMPLETED, job.error_message
    drafts = Draft.objects.filter(job=job)
    assert drafts.filter(status=Draft.COMPLETED).count() == 4
    assert killed not in set(drafts.values_list("worker", flat=True))
    assert all((tmp_path / "media" / d.image.name).exists() for d in drafts)
    account = alice.membership.account
    account.refresh_from_db()
    assert account.credits_reserved == 0
    totals = account.ledger.order_by().values_list("kind").annotate(total=Sum("amount"))
    ledger = dict(totals)
    settled = ledger.get(CreditEntry.CAPTURE, 0) + ledger.get(CreditEntry.RELEASE, 0)
    assert settled == ledger[CreditEntry.RESERVE]
    assert account.ledger.filter(kind=CreditEntry.CAPTURE).count() == 4
