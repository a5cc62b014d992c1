"""Dispatch → all 8 drafts of one 1K instruction finished, with the in-house engine and a
django-q2 cluster of 2 workers (ORM broker on SQLite, the embedded default). Prints the median.

Run: `.venv/bin/python bench/dispatch_to_drafts.py [rounds]`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import _scratch  # noqa: F401  (sets up Django)
from django.db import transaction

from identities.briefs.validation import validate_creation_request
from identities.models import Job
from identities.services.jobs import job_create

BODY = {
    "instructions": [
        {
            "appearance": {"gender": "male", "age": 34, "skin": "olive"},
            "hair": {"color": "black", "length": "short"},
            "num_variations": 8,
            "options": {"ar": "3:4", "size": "1K", "format": "jpg"},
        }
    ],
    "options": {"model": "local"},
    "name": "Dispatch bench",
}


def one_round(account, user) -> float:
    start = time.perf_counter()
    with transaction.atomic():
        job = job_create(account=account, user=user, request=validate_creation_request(BODY))
    while True:
        job.refresh_from_db()
        if job.is_final:
            break
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    assert job.status == Job.COMPLETED, job.error_message
    return elapsed


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    user, account, _ = _scratch.prepare()
    env = _scratch.environment()
    env.update(CASTLESS_Q_WORKERS="2", CASTLESS_Q_POLL="0.05")
    cluster = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=_scratch.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        one_round(account, user)  # warm-up: workers import the renderer
        times = [one_round(account, user) for _ in range(rounds)]
    finally:
        cluster.terminate()
        cluster.wait(30)
    print("dispatch → 8 drafts finished (1K, local engine, 2 workers)")
    print(
        f"rounds {rounds}: median {statistics.median(times):.2f} s, "
        f"min {min(times):.2f} s, max {max(times):.2f} s"
    )
    print(f"per draft (median / 8 × 2 workers): {statistics.median(times) / 4 * 1000:.0f} ms")


if __name__ == "__main__":
    main()
