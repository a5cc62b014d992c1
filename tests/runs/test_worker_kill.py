"""A worker killed in the middle of a run (`kill -9` of its whole cluster): the run is finished
by the other cluster, resuming with the outputs still missing, and its credits settle once.

Two real clusters (`manage.py worker`, one worker process each) on PostgreSQL and the ORM
broker, each output slowed to a few seconds so the kill lands mid-run; the dead cluster's run
comes back when its lease (6 s here, 20 s by default) runs out.
"""

import os
import signal
import subprocess
import sys
import time

import pytest

from accounts.models import CreditEntry
from identities.models import ImageRun
from tests.conftest import require_postgres
from tests.integration.test_worker_recovery import ROOT, WORKER_ARGS, stop, worker_environment

ENQUEUE = """
from django.contrib.auth import get_user_model
from django.db import transaction
from identities.services.runs import run_start
user = get_user_model().objects.get(username="alice@brand.test")
with transaction.atomic():
    run = run_start(account=user.membership.account, user=user,
                    inputs={"prompt": "a model in a grey coat", "engine": "local", "num_images": 4})
print(run.public_id)
"""


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "tests/runs/slow_run_worker.py", *WORKER_ARGS],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill_the_rendering_cluster(run: ImageRun, clusters, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status == ImageRun.PROCESSING and run.worker and run.outputs.exists():
            group = os.getpgid(int(run.worker.rsplit(":", 1)[1]))
            victim = next(p for p in clusters if p.pid == group)
            os.killpg(group, signal.SIGKILL)
            victim.wait(10)
            return run.worker
        time.sleep(0.05)
    raise AssertionError("the run never started rendering")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_killed_workers_run_is_finished_by_another(alice, tmp_path):
    require_postgres("worker processes share the database")
    env = worker_environment(tmp_path, render_seconds=3)
    clusters = [start_worker(env) for _ in range(2)]
    try:
        enqueued = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", ENQUEUE],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
        run = ImageRun.objects.get(public_id=enqueued.stdout.strip().splitlines()[-1])
        killed = kill_the_rendering_cluster(run, clusters, timeout=90)
        started = time.monotonic()
        while not run.is_final and time.monotonic() - started < 90:
            time.sleep(0.2)
            run.refresh_from_db()
        recovered = time.monotonic() - started
    finally:
        graceful = stop(clusters, grace=15)
    print(f"run finished {recovered:.1f} s after kill -9")
    assert run.status == ImageRun.COMPLETED, run.error_message
    assert graceful, "the surviving cluster did not stop within 15 s of SIGTERM"
    assert run.attempts >= 2 and run.worker != killed
    outputs = list(run.outputs.order_by("index"))
    assert [o.index for o in outputs] == [0, 1, 2, 3]
    assert all((tmp_path / "media" / o.image.name).exists() for o in outputs)
    account = alice.membership.account
    account.refresh_from_db()
    assert account.credits_reserved == 0
    assert account.ledger.filter(kind=CreditEntry.CAPTURE).count() == 1
