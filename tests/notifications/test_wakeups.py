"""A committed notification wakes the process's stream poller (PostgreSQL LISTEN/NOTIFY, Redis
pub/sub); the embedded default polls.

Real connections throughout: streams are opened through Django's ASGI handler (AsyncClient),
notifications are committed by another thread's own database connection, the listener's
connection is dropped from the server side (pg_terminate_backend, CLIENT KILL). The poll
interval is set far longer than the tests wait, so only a wake-up can deliver in time.
"""

from __future__ import annotations

import asyncio
import os
import time

import psycopg
import pytest
import redis
import redis.asyncio
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection, connections, transaction
from django.test import AsyncClient

from identities.notifications import wakeups
from identities.notifications.emit import notification_emit
from identities.notifications.stream import process_poller
from identities.notifications.wakeups import (
    PG_CHANNEL,
    POLL,
    POSTGRES,
    REDIS,
    PostgresListener,
    RedisListener,
    Wakeups,
    _postgres_params,
    redis_channel,
    wakeup_transport,
)
from tests.conftest import on_postgres, require_postgres, require_redis

JOB = {"id_task": "job_abc", "job_id": "job_abc", "status": "completed"}
REDIS_URL = os.environ.get("CASTLESS_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
POLL_SECONDS = 60.0
# Well under the poll interval, with room for a loaded shared machine.
PROMPT = 3.0


@pytest.fixture
def slow_polls(settings):
    """Polls so rare that a test sees an event in time only if a wake-up delivered it."""
    settings.CASTLESS_SSE_POLL_SECONDS = POLL_SECONDS
    settings.CASTLESS_SSE_SAFETY_POLL_SECONDS = POLL_SECONDS
    settings.CASTLESS_SSE_HEARTBEAT_SECONDS = 15.0
    settings.CASTLESS_SSE_MAX_SECONDS = 120.0
    return settings


@pytest.fixture
def on_redis(settings):
    require_redis(REDIS_URL)
    settings.REDIS_URL = REDIS_URL
    settings.CASTLESS_SSE_WAKEUP = "redis"
    return settings


def _ids(chunk: bytes) -> list[int]:
    return [int(line[4:]) for line in chunk.decode().splitlines() if line.startswith("id: ")]


def _emit_elsewhere(account_id: int) -> int:
    """Commit a notification on this thread's own connection (not the stream's, not the test's)."""
    from accounts.models import Account

    try:
        account = Account.objects.get(pk=account_id)
        return notification_emit(account=account, name="completed", data=JOB).pk
    finally:
        connections.close_all()


emit_elsewhere = sync_to_async(_emit_elsewhere, thread_sensitive=False)


def _terminate_backend(pid: int) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        connections.close_all()


def _other_django_connections() -> int:
    """Connections to the test database besides the test's own and the listener's."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND application_name <> 'castless-sse-listener'"
            )
            return cursor.fetchone()[0]
    finally:
        connections.close_all()


class Stream:
    """One event stream opened through the ASGI handler, read by a task of its own."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.received: list[tuple[float, int]] = []
        self.task: asyncio.Task | None = None

    async def open(self) -> None:
        response = await AsyncClient().get(
            "/api/v2/notifications/events", headers={"Authorization": f"Bearer {self.token}"}
        )
        assert response.status_code == 200 and response.is_async
        self.task = asyncio.get_running_loop().create_task(self._read(response))

    async def _read(self, response) -> None:
        async for chunk in response.streaming_content:
            now = time.monotonic()
            self.received.extend((now, pk) for pk in _ids(chunk))

    def ids(self) -> list[int]:
        return [pk for _, pk in self.received]

    async def arrival(self, pk: int, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, received in self.received:
                if received == pk:
                    return at
            await asyncio.sleep(0.01)
        raise AssertionError(f"event {pk} did not arrive within {timeout} s: {self.ids()}")

    async def close(self) -> None:
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


async def _until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        await asyncio.sleep(0.01)
    raise AssertionError(f"{what} within {timeout} s")


async def _listening() -> Wakeups:
    def connected():
        listener = process_poller().wakeups
        return listener if listener is not None and listener.connected else None

    listener = await _until(connected, 10, "the listener did not connect")
    # Let the catch-up fetch of its connect finish before the test counts polls.
    await asyncio.sleep(0.3)
    return listener


def test_auto_listens_on_postgresql_else_on_redis_else_polls(settings):
    settings.CASTLESS_SSE_WAKEUP = "auto"
    settings.REDIS_URL = ""
    assert wakeup_transport() == (POSTGRES if on_postgres() else POLL)
    settings.REDIS_URL = REDIS_URL
    assert wakeup_transport() == (POSTGRES if on_postgres() else REDIS)
    settings.CASTLESS_SSE_WAKEUP = "poll"
    assert wakeup_transport() == POLL


@pytest.mark.django_db(transaction=True)
def test_postgres_sends_a_wakeup_at_commit_once_per_transaction_and_none_for_a_rollback(
    account, settings
):
    require_postgres("LISTEN/NOTIFY is PostgreSQL's")
    settings.CASTLESS_SSE_WAKEUP = "auto"
    with psycopg.connect(**_postgres_params(), autocommit=True) as listener:
        listener.execute(f"LISTEN {PG_CHANNEL}")
        with pytest.raises(KeyError), transaction.atomic():
            notification_emit(account=account, name="progress", data=JOB)
            assert list(listener.notifies(timeout=0.3)) == []  # not before commit
            raise KeyError("the job update failed")
        assert list(listener.notifies(timeout=0.3)) == []
        with transaction.atomic():
            notification_emit(account=account, name="progress", data=JOB)
            notification_emit(account=account, name="completed", data=JOB)
        heard = list(listener.notifies(timeout=1.0))
    assert [(notify.channel, notify.payload) for notify in heard] == [(PG_CHANNEL, str(account.pk))]


@pytest.mark.django_db(transaction=True)
def test_redis_publishes_a_wakeup_on_commit_and_none_for_a_rollback(account, on_redis):
    subscriber = redis.Redis.from_url(REDIS_URL).pubsub(ignore_subscribe_messages=True)
    subscriber.subscribe(redis_channel())
    try:
        subscriber.get_message(timeout=1.0)  # the subscription's confirmation
        with pytest.raises(KeyError), transaction.atomic():
            notification_emit(account=account, name="progress", data=JOB)
            raise KeyError("the job update failed")
        assert subscriber.get_message(timeout=0.3) is None
        with transaction.atomic():
            notification_emit(account=account, name="completed", data=JOB)
        message = subscriber.get_message(timeout=2.0)
    finally:
        subscriber.close()
    assert message is not None and message["data"] == str(account.pk).encode()


def _hears_a_commit_long_before_the_next_poll(token: str, account_id: int, kind: type) -> None:
    async def run() -> None:
        stream = Stream(token)
        await stream.open()
        try:
            listener = await _listening()
            assert type(listener) is kind
            polls = process_poller().polls
            pk = await emit_elsewhere(account_id)
            committed = time.monotonic()
            arrived = await stream.arrival(pk, timeout=PROMPT)
            assert arrived - committed < PROMPT
            # One fetch, the one the wake-up asked for.
            assert process_poller().polls == polls + 1
            if kind is PostgresListener:
                # The idle stream and its poller hold no Django connection: only the listener's.
                assert await sync_to_async(_other_django_connections)() == 0
        finally:
            await stream.close()
        # The last stream closed: the poller ends and its listener with it.
        await _until(lambda: process_poller().task.done(), 5, "the poller did not end")
        assert not listener.connected and stream.ids() == [pk]

    async_to_sync(run)()


@pytest.mark.django_db(transaction=True)
def test_a_stream_hears_a_commit_from_postgresql_long_before_the_next_poll(
    account, alice_token, slow_polls
):
    require_postgres("LISTEN/NOTIFY is PostgreSQL's")
    slow_polls.CASTLESS_SSE_WAKEUP = "auto"
    _hears_a_commit_long_before_the_next_poll(alice_token, account.pk, PostgresListener)


@pytest.mark.django_db(transaction=True)
def test_a_stream_hears_a_commit_from_redis_long_before_the_next_poll(
    account, alice_token, slow_polls, on_redis
):
    _hears_a_commit_long_before_the_next_poll(alice_token, account.pk, RedisListener)


def _loses_nothing_across_a_reconnect(token: str, account_id: int, drop) -> None:
    async def run() -> None:
        stream = Stream(token)
        await stream.open()
        try:
            listener = await _listening()
            first = await emit_elsewhere(account_id)
            await stream.arrival(first, timeout=PROMPT)

            await drop(listener)
            await _until(lambda: not listener.connected, 5, "the listener did not notice")
            await asyncio.sleep(0.3)  # the fetch the drop itself asked for is over
            # Committed while nothing listens: the catch-up fetch of the reconnect delivers it.
            missed = await emit_elsewhere(account_id)
            committed = time.monotonic()
            assert not listener.connected
            await _until(lambda: listener.connected, 10, "the listener did not reconnect")
            await stream.arrival(missed, timeout=PROMPT)
            assert time.monotonic() - committed < PROMPT + 10

            after = await emit_elsewhere(account_id)
            await stream.arrival(after, timeout=PROMPT)
            await asyncio.sleep(0.3)  # a duplicate would have arrived by now
            assert stream.ids() == [first, missed, after]
            assert listener.connects == 2
        finally:
            await stream.close()

    async_to_sync(run)()


@pytest.mark.django_db(transaction=True)
def test_no_event_is_lost_or_sent_twice_when_the_postgres_listener_reconnects(
    account, alice_token, slow_polls, monkeypatch
):
    require_postgres("LISTEN/NOTIFY is PostgreSQL's")
    slow_polls.CASTLESS_SSE_WAKEUP = "auto"
    # Long enough for a commit to land while nothing listens.
    monkeypatch.setattr(wakeups, "BACKOFF_FIRST", 1.0)

    async def drop(listener: PostgresListener) -> None:
        await sync_to_async(_terminate_backend, thread_sensitive=False)(listener.backend_pid)

    _loses_nothing_across_a_reconnect(alice_token, account.pk, drop)


@pytest.mark.django_db(transaction=True)
def test_no_event_is_lost_or_sent_twice_when_the_redis_listener_reconnects(
    account, alice_token, slow_polls, on_redis, monkeypatch
):
    monkeypatch.setattr(wakeups, "BACKOFF_FIRST", 1.0)

    async def drop(listener: RedisListener) -> None:
        admin = redis.asyncio.Redis.from_url(REDIS_URL)
        try:
            clients = await admin.client_list(_type="pubsub")
            ids = [c["id"] for c in clients if c["name"] == RedisListener.client_name()]
            assert len(ids) == 1, clients
            assert await admin.client_kill_filter(_id=ids[0]) == 1
        finally:
            await admin.aclose()

    _loses_nothing_across_a_reconnect(alice_token, account.pk, drop)


@pytest.mark.django_db(transaction=True)
def test_the_embedded_default_polls_every_interval(account, alice_token, settings):
    settings.REDIS_URL = ""
    settings.CASTLESS_SSE_WAKEUP = "poll" if on_postgres() else "auto"
    settings.CASTLESS_SSE_POLL_SECONDS = 0.2
    settings.CASTLESS_SSE_SAFETY_POLL_SECONDS = POLL_SECONDS
    settings.CASTLESS_SSE_MAX_SECONDS = 120.0

    async def run() -> None:
        stream = Stream(alice_token)
        await stream.open()
        try:
            await _until(lambda: process_poller().wakeups, 5, "the poller did not start")
            poller = process_poller()
            assert type(poller.wakeups) is Wakeups and not poller.wakeups.connected
            polls = poller.polls
            pk = await emit_elsewhere(account.pk)
            await stream.arrival(pk, timeout=PROMPT)
            await asyncio.sleep(1.0)
            # About five polls a second with nothing to wake it.
            assert poller.polls - polls >= 4
            assert stream.ids() == [pk]
        finally:
            await stream.close()

    async_to_sync(run)()
