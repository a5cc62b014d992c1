"""Scale-out: one "web" process enqueues on django-q2's Redis broker, two worker clusters
(real `qcluster` processes) share the work, all against PostgreSQL. Several web and worker
machines then only need the same settings."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from identities.models import Draft, Job
from tests.conftest import require_postgres

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("CASTLESS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

ENQUEUE = """
from django.contrib.auth import get_user_model
from identities.services.jobs import job_create
from tests.pipeline import creation_request
from django.db import transaction
user = get_user_model().objects.get(username="alice@brand.test")
with transaction.atomic():
    job = job_create(account=user.membership.account, user=user,
                     request=creation_request(variations=8, size="1K"))
print(job.public_id)
"""


def _environment(tmp_path: Path) -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASTLESS_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=url,
        CASTLESS_REDIS_URL=REDIS_URL,
        CASTLESS_Q_NAME=f"scale-{uuid.uuid4().hex[:8]}",
        CASTLESS_Q_WORKERS="1",
        CASTLESS_Q_SYNC="false",
        CASTLESS_DATA_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
    )
    return env


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_worker_clusters_on_redis_run_a_job_end_to_end(alice, tmp_path):
    require_postgres("worker processes share the database")
    if not _redis_available():
        pytest.fail(f"Redis is not reachable at {REDIS_URL}")
    env = _environment(tmp_path)
    clusters = [
        subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(2)
    ]
    try:
        enqueued = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", ENQUEUE],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        job_id = enqueued.stdout.strip().splitlines()[-1]
        deadline = time.monotonic() + 180
        job = Job.objects.get(public_id=job_id)
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_final:
                break
            time.sleep(0.5)
        assert job.status == Job.COMPLETED, job.error_message
        drafts = Draft.objects.filter(job=job)
        assert drafts.filter(status=Draft.COMPLETED).count() == 8
        # One worker per cluster: two distinct worker processes mean both clusters took work.
        workers = set(drafts.values_list("worker", flat=True))
        assert len(workers) == 2, workers
        assert all((tmp_path / "media" / d.image.name).exists() for d in drafts)
        account = alice.membership.account
        account.refresh_from_db()
        assert account.credits_reserved == 0
    finally:
        for process in clusters:
            process.terminate()
        for process in clusters:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
