"""TaskBatch sends a job's tasks to Redis in one round trip, each as django-q2 packs it."""

import os

import pytest
import redis
from django_q.brokers.redis_broker import Redis
from django_q.signing import SignedPackage

from identities.services.jobs.acceptance import DRAFT_TASK, draft_tasks_enqueue
from identities.services.jobs.queueing import TaskBatch
from tests.conftest import require_redis

REDIS_URL = os.environ.get("CASTLESS_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


@pytest.fixture
def redis_broker():
    require_redis(REDIS_URL)
    connection = redis.Redis.from_url(REDIS_URL)
    broker = Redis(list_key="castless-test-task-batch")
    broker.connection = connection
    connection.delete(broker.list_key)
    commands: list[str] = []
    real = connection.execute_command

    def counting(*args, **options):
        commands.append(args[0])
        return real(*args, **options)

    connection.execute_command = counting
    yield broker, commands
    connection.delete(broker.list_key)


def test_eight_tasks_are_one_rpush(redis_broker, monkeypatch):
    broker, commands = redis_broker
    monkeypatch.setattr("identities.services.jobs.queueing.get_broker", lambda: broker)
    monkeypatch.setattr("django_q.conf.Conf.SYNC", False)
    count = draft_tasks_enqueue((pk, f"draft-{pk}", "job_x") for pk in range(1, 9))
    assert count == 8
    assert commands == ["RPUSH"]
    queued = [
        SignedPackage.loads(pack) for pack in broker.connection.lrange(broker.list_key, 0, -1)
    ]
    assert [task["args"] for task in queued] == [(pk,) for pk in range(1, 9)]
    assert {task["func"] for task in queued} == {DRAFT_TASK}
    assert [task["name"] for task in queued] == [f"draft-{pk}" for pk in range(1, 9)]


def test_an_empty_batch_sends_nothing(redis_broker):
    broker, commands = redis_broker
    assert TaskBatch(broker).flush() == 0
    assert commands == []
