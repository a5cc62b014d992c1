"""config.queue.PooledRedis: every broker of a process shares one Redis client (one pool), so
queueing a job's tasks no longer opens a connection; the tasks still arrive as django-q2's."""

import os

import pytest
from django_q.conf import Conf
from django_q.signing import SignedPackage

from config.queue import PooledRedis
from identities.services.jobs.queueing import TaskBatch
from tests.conftest import require_redis

REDIS_URL = os.environ.get("CASTLESS_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


@pytest.fixture
def pooled(monkeypatch):
    monkeypatch.setattr(Conf, "REDIS", REDIS_URL)
    require_redis(REDIS_URL)
    broker = PooledRedis(list_key="castless-test-pooled")
    broker.delete_queue()
    yield broker
    broker.delete_queue()


def test_brokers_of_one_process_share_one_client_and_its_connection(pooled):
    other = PooledRedis(list_key="castless-test-pooled")
    assert other.connection is pooled.connection
    pooled.enqueue("one")
    other.enqueue("two")
    pool = pooled.connection.connection_pool
    assert len(pool._available_connections) + len(pool._in_use_connections) == 1
    assert other.queue_size() == 2


def test_a_batch_on_the_pooled_broker_is_one_rpush_of_django_q2_packs(pooled, monkeypatch):
    from django_q.tasks import async_task

    monkeypatch.setattr(Conf, "SYNC", False)
    batch = TaskBatch(pooled)
    for draft_id in (11, 12):
        async_task("identities.tasks.draft_generate", draft_id, broker=batch)
    assert batch.flush() == 2
    packs = pooled.connection.lrange(pooled.list_key, 0, -1)
    assert [SignedPackage.loads(pack.decode())["args"] for pack in packs] == [(11,), (12,)]


def test_a_redis_configured_by_dict_keeps_django_q2s_own_client(monkeypatch):
    monkeypatch.setattr(Conf, "REDIS", {"host": "127.0.0.1", "port": 6379, "db": 7})
    first, second = PooledRedis(), PooledRedis()
    assert first.connection is not second.connection
