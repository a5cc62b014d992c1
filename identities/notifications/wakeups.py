"""Wake-ups for the event-stream poller: a committed notification wakes every web process at
once, so an idle process costs one query per safety interval instead of one per poll interval.

- `wakeup_send` (called by `emit` inside the notification's transaction) tells the listeners:
  PostgreSQL `pg_notify`, which the database delivers at commit and drops with a rollback, or a
  Redis `PUBLISH` on commit. The payload is the account id.
- `wakeup_listener()` is what the process's poller waits on while streams are open: a connection
  of its own, separate from Django's (an autocommit psycopg AsyncConnection in `LISTEN`, or a
  Redis pub/sub subscription), read by a background task that reconnects with back-off. Every
  (re)connect asks for one catch-up fetch, so a notification committed while it was not
  listening is fetched as soon as it listens again; while it is down the poller polls every
  CASTLESS_SSE_POLL_SECONDS, and while it is up every CASTLESS_SSE_SAFETY_POLL_SECONDS.
- On the embedded default (SQLite, no Redis) nothing is sent and the poller polls.

CASTLESS_SSE_WAKEUP chooses; `auto` is PostgreSQL's on PostgreSQL, else Redis's when
CASTLESS_REDIS_URL is set, else polling.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import functools
import hashlib
import logging
import os
import socket
from collections.abc import Container

import psycopg
import redis
import redis.asyncio
from django.conf import settings
from django.db import connection, transaction
from psycopg import sql
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

POSTGRES, REDIS, POLL = "postgres", "redis", "poll"
PG_CHANNEL = "castless_notifications"
# Reconnect delays of a dropped listener, seconds: doubled after each failure up to the cap.
BACKOFF_FIRST = 0.5
BACKOFF_MAX = 30.0
# A listener with nothing to read checks its connection this often, seconds.
HEALTH_SECONDS = 30.0
CONNECT_TIMEOUT = 10
# TCP keepalive (idle, interval, count): a peer that vanished without closing is noticed within
# about 25 seconds instead of the system's two hours.
KEEPALIVE = (10, 5, 3)


def wakeup_transport() -> str:
    """How notifications wake the pollers here: POSTGRES, REDIS or POLL."""
    choice = settings.CASTLESS_SSE_WAKEUP
    if choice != "auto":
        return choice
    if connection.vendor == "postgresql":
        return POSTGRES
    if settings.REDIS_URL:
        return REDIS
    return POLL


def redis_channel() -> str:
    # Pub/sub channels are shared by every database number of a Redis server: the channel names
    # the database the notifications are in, so two deployments on one Redis never wake each other.
    database = str(connection.settings_dict["NAME"])
    return "castless:notifications:" + hashlib.sha256(database.encode()).hexdigest()[:16]


def wakeup_send(*, account_id: int) -> None:
    """Wake the listeners for `account_id` when the caller's transaction commits."""
    transport = wakeup_transport()
    if transport == POSTGRES:
        # NOTIFY is transactional: delivered at commit, after the row is visible; dropped with
        # a rollback; duplicates within one transaction are delivered once.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [PG_CHANNEL, str(account_id)])
    elif transport == REDIS:
        transaction.on_commit(functools.partial(_publish, account_id))


@functools.cache
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _publish(account_id: int) -> None:
    try:
        _redis_client(settings.REDIS_URL).publish(redis_channel(), str(account_id))
    except redis.RedisError as error:
        # The notification is stored: the pollers' next safety poll delivers it.
        logger.warning("Could not publish a notification wake-up: %s", error)


class Wakeups:
    """What the poller waits on between fetches. This one never wakes it: the poller polls."""

    def __init__(self) -> None:
        self.connected = False
        self.connects = 0
        self.signal = asyncio.Event()
        self.accounts: set[int] = set()
        self.catch_up = False

    async def __aenter__(self) -> Wakeups:
        return self

    async def __aexit__(self, *exc_info) -> None:
        return None

    def arm(self) -> None:
        """Before a fetch: forget the wake-ups that fetch will see."""
        self.signal.clear()
        self.accounts.clear()
        self.catch_up = False

    def wake(self, account_id: int | None = None) -> None:
        """A notification for `account_id`; None asks for a fetch whatever the accounts."""
        if account_id is None:
            self.catch_up = True
        else:
            self.accounts.add(account_id)
        self.signal.set()

    def interval(self) -> float:
        if self.connected:
            return settings.CASTLESS_SSE_SAFETY_POLL_SECONDS
        return settings.CASTLESS_SSE_POLL_SECONDS

    async def wait(self, *, wanted: Container[int]) -> None:
        """Until a wake-up for an account in `wanted` (or a catch-up), or the interval passes."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.interval()
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            try:
                await asyncio.wait_for(self.signal.wait(), remaining)
            except TimeoutError:
                return
            if self.catch_up or any(account in wanted for account in self.accounts):
                return
            # Only accounts this process streams nothing to: keep waiting.
            self.signal.clear()
            self.accounts.clear()


class _Listener(Wakeups, abc.ABC):
    """A connection of its own kept listening by a background task, reconnecting with back-off."""

    errors: tuple[type[BaseException], ...] = (OSError, TimeoutError)

    def __init__(self) -> None:
        super().__init__()
        self.task: asyncio.Task | None = None
        self.delay = BACKOFF_FIRST

    async def __aenter__(self) -> Wakeups:
        self.task = asyncio.get_running_loop().create_task(self._keep_listening())
        return self

    async def __aexit__(self, *exc_info) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        self.connected = False

    async def _keep_listening(self) -> None:
        while True:
            try:
                await self._listen()
            except self.errors as error:
                logger.warning(
                    "Notification listener (%s) %s: %s; again in %.1f s",
                    type(self).__name__,
                    "lost its connection" if self.connected else "could not connect",
                    error,
                    self.delay,
                )
            finally:
                if self.connected:
                    self.connected = False
                    # Poll at the poll interval until it listens again.
                    self.wake()
            await asyncio.sleep(self.delay)
            self.delay = min(self.delay * 2, BACKOFF_MAX)

    def _listening(self) -> None:
        self.connected = True
        self.connects += 1
        self.delay = BACKOFF_FIRST
        # Whatever committed before it listened is fetched now.
        self.wake()

    def _heard(self, payload: str | bytes) -> None:
        try:
            self.wake(int(payload))
        except ValueError:
            self.wake()

    @abc.abstractmethod
    async def _listen(self) -> None:
        """Connect, call `_listening()` once subscribed, then `_heard()` for each wake-up
        until the connection fails (raising one of `errors`)."""


class PostgresListener(_Listener):
    errors = (*_Listener.errors, psycopg.Error)

    def __init__(self) -> None:
        super().__init__()
        self.backend_pid: int | None = None

    async def _listen(self) -> None:
        async with await psycopg.AsyncConnection.connect(
            **_postgres_params(), autocommit=True
        ) as conn:
            await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(PG_CHANNEL)))
            self.backend_pid = conn.info.backend_pid
            self._listening()
            while True:
                async for notify in conn.notifies(timeout=HEALTH_SECONDS):
                    self._heard(notify.payload)
                # Quiet for a while: make sure the server is still there (raises if not).
                await conn.execute("SELECT 1")


def _postgres_params() -> dict:
    params = connection.get_connection_params()
    # Django's sync cursor class and adapters; this connection runs no ORM query.
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.setdefault("connect_timeout", CONNECT_TIMEOUT)
    params.setdefault("application_name", "castless-sse-listener")
    idle, interval, count = KEEPALIVE
    params.setdefault("keepalives", 1)
    params.setdefault("keepalives_idle", idle)
    params.setdefault("keepalives_interval", interval)
    params.setdefault("keepalives_count", count)
    return params


class RedisListener(_Listener):
    errors = (*_Listener.errors, redis.RedisError)

    @staticmethod
    def client_name() -> str:
        return f"castless-sse-listener-{os.getpid()}"

    async def _listen(self) -> None:
        idle, interval, count = KEEPALIVE
        # No retries of its own: a silent reconnect inside redis-py would skip the catch-up.
        client = redis.asyncio.Redis.from_url(
            settings.REDIS_URL,
            client_name=self.client_name(),
            retry=Retry(NoBackoff(), 0),
            socket_connect_timeout=CONNECT_TIMEOUT,
            socket_keepalive=True,
            socket_keepalive_options={
                socket.TCP_KEEPIDLE: idle,
                socket.TCP_KEEPINTVL: interval,
                socket.TCP_KEEPCNT: count,
            },
            health_check_interval=HEALTH_SECONDS,
        )
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(redis_channel())
            confirmed = await pubsub.get_message(timeout=CONNECT_TIMEOUT)
            if not confirmed or confirmed["type"] != "subscribe":
                raise redis.ConnectionError("Redis did not confirm the subscription")
            self._listening()
            while True:
                message = await pubsub.get_message(
                    ignore_subscribe_messages=True, timeout=HEALTH_SECONDS
                )
                if message is not None and message["type"] == "message":
                    self._heard(message["data"])
        finally:
            await pubsub.aclose()
            await client.aclose()


def wakeup_listener() -> Wakeups:
    """A new listener for this process's poller (an async context manager)."""
    transport = wakeup_transport()
    if transport == POSTGRES:
        return PostgresListener()
    if transport == REDIS:
        return RedisListener()
    return Wakeups()
