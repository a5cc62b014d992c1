"""`manage.py worker`: the task worker as deployed: wait for the database, run a django-q2
cluster, and sweep for abandoned work every few seconds while it runs.

Plain `qcluster` exits at once when the database refuses connections (PostgreSQL full, still
starting, a fail-over in progress), and a service manager restarting it in a tight loop only
adds to the crowd. This waits with exponential back-off first.

The sweep (`abandoned_work_reap`) is what brings a killed worker's work back quickly: it
hands back rows whose short lease ran out and re-queues waiting rows whose task went down with
a dead cluster. django-q2's own schedules run at most once a minute, which alone would leave a
killed worker's drafts waiting that long; each cluster sweeping on its own also means the sweep
survives any one of them dying. Sweeps are guarded UPDATEs, so clusters sweeping at the same
time change nothing twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connections

logger = logging.getLogger(__name__)


def database_wait(
    *,
    timeout: float,
    first_delay: float = 0.5,
    max_delay: float = 15.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Connect to every database, retrying with exponential back-off for up to `timeout`
    seconds; returns the number of failed tries, raises CommandError when time runs out."""
    deadline = clock() + timeout
    delay, failures = first_delay, 0
    while True:
        try:
            for alias in connections:
                connections[alias].ensure_connection()
            return failures
        except OperationalError as error:
            failures += 1
            connections.close_all()
            if clock() + delay > deadline:
                raise CommandError(f"The database is still unavailable: {error}") from error
            logger.warning("database unavailable (%s); retrying in %.1f s", error, delay)
            sleep(delay)
            delay = min(delay * 2, max_delay)


class Command(BaseCommand):
    help = "Run the task worker: wait for the database, then a django-q2 cluster and sweeps."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait-db",
            type=float,
            default=300.0,
            help="Seconds to keep retrying the database before giving up (default 300).",
        )
        parser.add_argument(
            "--sweep-every",
            type=float,
            default=5.0,
            help="Seconds between sweeps for abandoned work (default 5; 0 turns them off).",
        )

    def handle(self, *args, wait_db: float, sweep_every: float, **options):
        failures = database_wait(timeout=wait_db)
        if failures:
            self.stdout.write(f"The database answered after {failures} failed tries.")
        # The cluster forks its processes now: none may inherit this process's connection.
        connections.close_all()
        from django_q.cluster import Cluster

        cluster = Cluster()
        cluster.start()
        try:
            self._sweep_while_running(cluster, sweep_every)
        finally:
            if cluster.sentinel.is_alive():
                cluster.stop()

    def _sweep_while_running(self, cluster, every: float) -> None:
        from identities.services.jobs.reaping import abandoned_work_reap

        next_sweep = time.monotonic() + (every or 0)
        while cluster.sentinel.is_alive():
            if every and time.monotonic() >= next_sweep:
                next_sweep = time.monotonic() + every
                try:
                    abandoned_work_reap()
                except Exception:
                    # The database away for a moment: the next sweep tries again.
                    logger.exception("sweep for abandoned work failed")
                    connections.close_all()
            time.sleep(0.2)
