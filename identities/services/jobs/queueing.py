"""Pushing many django-q2 tasks in one go.

django-q2 has no bulk enqueue: `async_task` packs and signs one task and hands it to the
broker's `enqueue`, one INSERT (ORM broker) or one round trip (Redis) each, and a creation job
has eight. `TaskBatch` stands in for the broker while `async_task` packs the tasks (so they are
exactly what django-q2 would queue) and sends them at `flush`: one multi-row INSERT on the ORM
broker, one RPUSH of every task on Redis, one call per task on any other broker.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from django_q.brokers import Broker, get_broker
from django_q.brokers.orm import ORM
from django_q.brokers.redis_broker import Redis
from django_q.conf import Conf
from django_q.models import OrmQ


class TaskBatch:
    """A broker for `async_task(..., broker=batch)` that keeps the packed tasks until `flush`."""

    def __init__(self, broker: Broker | None = None) -> None:
        self.broker = broker or get_broker()
        self.list_key = self.broker.list_key
        self.packs: list[str] = []

    def enqueue(self, pack: str) -> str:
        self.packs.append(pack)
        return f"{len(self.packs)} (batched)"

    def flush(self) -> int:
        """Send the kept tasks; how many were sent."""
        packs, self.packs = self.packs, []
        if not packs:
            return 0
        if isinstance(self.broker, ORM):
            now = timezone.now()
            key = self.list_key or Conf.CLUSTER_NAME
            OrmQ.objects.using(Conf.ORM).bulk_create(
                OrmQ(key=key, payload=pack, lock=now) for pack in packs
            )
        elif isinstance(self.broker, Redis):
            self.broker.connection.rpush(self.list_key, *packs)
        else:
            for pack in packs:
                self.broker.enqueue(pack)
        return len(packs)


def queue_shares_the_transaction() -> bool:
    """Whether tasks queued now are rows of the default database, committed (or rolled back)
    with the caller's transaction: the ORM broker on the default database, not in sync mode
    (a task run in sync mode must not run inside its enqueuer's transaction)."""
    return isinstance(get_broker(), ORM) and not Conf.SYNC and Conf.ORM == DEFAULT_DB_ALIAS
