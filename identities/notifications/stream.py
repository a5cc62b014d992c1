"""Server-sent events for GET /api/v2/notifications/events.

A stream first replays the account's undismissed notifications after the client's last event id
(oldest first), then follows new ones, so any web machine serves any account with no broker. Each
event is

    id: <notification id>
    data: <the event JSON, one line>

with no `event:` field, so a browser EventSource's `onmessage` sees every event (the name is in
the JSON). Idle streams send `: keep-alive` comments; every stream ends after
CASTLESS_SSE_MAX_SECONDS and the client resumes with Last-Event-ID.

Under ASGI the stream is an async generator fed by the process's one NotificationPoller: a single
query for every account with an open stream when a commit wakes it (wakeups.py), fanned out to
the streams' queues, with the database connection closed after each poll, so idle streams hold no
connection and cost no queries of their own. Under WSGI and the test client it is a plain
generator that polls for itself. Django would otherwise buffer the whole stream: it turns an
async iterator into a list under WSGI and a sync one under ASGI. uvicorn sends the stream
chunked; WSGI writes are padded so block-reading clients see each event at once (see _padded).

A token may hold CASTLESS_STREAMS_PER_TOKEN streams open at once, counted per process (a
client opening more than that is leaking connections; with several workers the effective cap is
that many per worker).
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import connection, connections
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from accounts.models import Account
from config.refusals import TooManyStreams
from identities.models import Notification
from identities.notifications.events import event_json, notification_event
from identities.notifications.selectors import notifications_after
from identities.notifications.wakeups import Wakeups, wakeup_listener

HEARTBEAT = b": keep-alive\n\n"
# How long EventSource waits before reconnecting after a stream ends, milliseconds.
RETRY_MILLISECONDS = 2000
BATCH = 200
# requests' iter_lines() reads the body in blocks of this size (see _padded).
PAD_TO = 512
# Ids are assigned at INSERT but rows become visible at COMMIT, so a lower id can appear after a
# higher one was sent. Ids created within this window stay in the query (and are excluded by id
# once sent) instead of being passed by the cursor.
COMMIT_GRACE = timedelta(seconds=30)


def frame(notification: Notification) -> bytes:
    event = event_json(notification_event(notification=notification))
    return f"id: {notification.pk}\ndata: {event}\n\n".encode()


class NotificationCursor:
    """What one stream has sent: a floor below which everything was sent or is given up on,
    and the recent ids above it."""

    def __init__(self, *, account: Account, after_id: int) -> None:
        self.account = account
        self.floor = after_id
        self.recent: dict[int, datetime] = {}

    def poll(self) -> tuple[bytes, bool]:
        """One batch of new events as SSE frames, and whether more are waiting."""
        rows = list(
            notifications_after(
                account=self.account,
                after_id=self.floor,
                exclude_ids=set(self.recent),
                limit=BATCH,
            )
        )
        for row in rows:
            self.recent[row.pk] = row.created_at
        self._settle()
        return b"".join(frame(row) for row in rows), len(rows) == BATCH

    def poll_and_release(self) -> tuple[bytes, bool]:
        # Runs in a pool thread under ASGI: close the connection at once, so a stream that
        # replayed and now waits pins no database connection whatever CONN_MAX_AGE says.
        try:
            return self.poll()
        finally:
            connections.close_all()

    def accept(self, rows: list[tuple[int, datetime, bytes]]) -> bytes:
        """The frames of the poller's `rows` this stream has not sent yet."""
        fresh = [
            (pk, at, data) for pk, at, data in rows if pk > self.floor and pk not in self.recent
        ]
        for pk, created_at, _ in fresh:
            self.recent[pk] = created_at
        self._settle()
        return b"".join(data for _, _, data in sorted(fresh))

    def _settle(self) -> None:
        cutoff = timezone.now() - COMMIT_GRACE
        settled = [pk for pk, created_at in self.recent.items() if created_at <= cutoff]
        if settled:
            self.floor = max(self.floor, *settled)
            self.recent = {pk: at for pk, at in self.recent.items() if pk > self.floor}


def _opening() -> bytes:
    # Sent at once: WSGI servers send headers with the first bytes, and a client waiting in
    # requests.get(stream=True) should not wait for the first event to get them.
    return f"retry: {RETRY_MILLISECONDS}\n: connected\n\n".encode()


class _Pace:
    """When to write a heartbeat, how long to wait before the next poll, when to end."""

    def __init__(self, *, poll: float | None = None) -> None:
        self.poll = settings.CASTLESS_SSE_POLL_SECONDS if poll is None else poll
        self.heartbeat = settings.CASTLESS_SSE_HEARTBEAT_SECONDS
        self.last_write = time.monotonic()
        self.deadline = self.last_write + settings.CASTLESS_SSE_MAX_SECONDS

    def after_poll(self, chunk: bytes, more: bool) -> tuple[bytes, float | None]:
        """(bytes to write now, seconds to wait before the next poll or None to end)."""
        now = time.monotonic()
        if chunk:
            self.last_write = now
        elif now - self.last_write >= self.heartbeat:
            chunk, self.last_write = HEARTBEAT, now
        if now >= self.deadline:
            return chunk, None
        if more:
            return chunk, 0.0
        # Wake for the heartbeat itself, so no gap ever exceeds it by up to a poll interval.
        heartbeat_due = self.last_write + self.heartbeat
        return chunk, max(0.0, min(self.poll, self.deadline - now, heartbeat_due - now))


def _padded(chunk: bytes) -> bytes:
    """`chunk` and a comment line, together a multiple of PAD_TO bytes long.

    wsgiref (runserver, the live test server) sends a body without length as raw bytes, not
    chunked, and requests' iter_lines() reads PAD_TO-byte blocks, blocking until a block is
    full: a client looping over iter_lines() (the usual way to follow a stream from Python)
    would see an event only once later bytes filled its block.
    With every write a whole number of blocks, each read ends exactly where a write ended.
    """
    size = -(-(len(chunk) + 2) // PAD_TO) * PAD_TO
    return chunk + b":" + b" " * (size - len(chunk) - 2) + b"\n"


def _sync_frames(cursor: NotificationCursor) -> Iterator[bytes]:
    pace = _Pace()
    yield _padded(_opening())
    while True:
        chunk, pause = pace.after_poll(*cursor.poll())
        if chunk:
            yield _padded(chunk)
        if pause is None:
            return
        time.sleep(pause)


class NotificationPoller:
    """The one poller of an event loop (a uvicorn worker): one query for the new notifications
    of all accounts with an open stream, put on those streams' queues, whenever its wake-up
    listener hears of a commit for one of them (and every safety interval), or every poll
    interval where there are no wake-ups (see wakeups.py).

    It keeps its own cursor (a floor and the recent ids above it, as NotificationCursor does)
    over all accounts; a stream subscribes before it replays, so a row committed between its
    replay and the next poll reaches it once, the stream dropping what it already sent.
    """

    def __init__(self) -> None:
        self.queues: dict[int, set[asyncio.Queue]] = {}
        self.floor: int | None = None
        self.recent: dict[int, datetime] = {}
        self.task: asyncio.Task | None = None
        self.wakeups: Wakeups | None = None
        self.polls = 0

    def subscribe(self, account_id: int) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue()
        self.queues.setdefault(account_id, set()).add(queue)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())
        return queue

    def unsubscribe(self, account_id: int, queue: asyncio.Queue) -> None:
        queues = self.queues.get(account_id, set())
        queues.discard(queue)
        if not queues:
            self.queues.pop(account_id, None)
        if not self.queues and self.wakeups is not None:
            # The last stream closed: let the task end now and close its listener.
            self.wakeups.wake()

    async def _run(self) -> None:
        # Ends when the last stream closes; the next subscriber starts a new task. The check
        # is repeated after the listener closed, for a stream that subscribed meanwhile.
        while self.queues:
            async with wakeup_listener() as wakeups:
                self.wakeups = wakeups
                try:
                    await self._follow(wakeups)
                finally:
                    self.wakeups = None

    async def _follow(self, wakeups: Wakeups) -> None:
        fetch = sync_to_async(self._fetch_and_release, thread_sensitive=False)
        while self.queues:
            # Armed before the query: a wake-up that arrives during it means another fetch.
            wakeups.arm()
            rows = await fetch(frozenset(self.queues))
            by_account: dict[int, list] = {}
            for account_id, *row in rows:
                by_account.setdefault(account_id, []).append(tuple(row))
            for account_id, batch in by_account.items():
                for queue in self.queues.get(account_id, ()):
                    queue.put_nowait(batch)
            if len(rows) < BATCH:
                await wakeups.wait(wanted=self.queues)

    def _fetch_and_release(self, account_ids: frozenset[int]) -> list[tuple]:
        try:
            return self._fetch(account_ids)
        finally:
            # Between polls the process holds no database connection.
            connections.close_all()

    def _fetch(self, account_ids: frozenset[int]) -> list[tuple]:
        self.polls += 1
        if self.floor is None:
            # Start below anything that may still commit; streams drop what they replayed.
            settled = Notification.objects.filter(created_at__lte=timezone.now() - COMMIT_GRACE)
            self.floor = settled.order_by("-pk").values_list("pk", flat=True).first() or 0
        queryset = Notification.objects.filter(
            account_id__in=account_ids, pk__gt=self.floor, deleted_at__isnull=True
        )
        if self.recent:
            queryset = queryset.exclude(pk__in=list(self.recent))
        rows = list(queryset.order_by("pk")[:BATCH])
        for row in rows:
            self.recent[row.pk] = row.created_at
        cutoff = timezone.now() - COMMIT_GRACE
        settled_ids = [pk for pk, created_at in self.recent.items() if created_at <= cutoff]
        if settled_ids:
            self.floor = max(self.floor, *settled_ids)
            self.recent = {pk: at for pk, at in self.recent.items() if pk > self.floor}
        return [(row.account_id, row.pk, row.created_at, frame(row)) for row in rows]


_pollers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, NotificationPoller] = (
    weakref.WeakKeyDictionary()
)


def process_poller() -> NotificationPoller:
    """The running event loop's poller (one loop per uvicorn worker process)."""
    loop = asyncio.get_running_loop()
    poller = _pollers.get(loop)
    if poller is None:
        poller = _pollers[loop] = NotificationPoller()
    return poller


async def _async_frames(cursor: NotificationCursor) -> AsyncIterator[bytes]:
    # The poller's queue wakes the stream for rows: otherwise it wakes only for a heartbeat or
    # its end (not every poll interval: 200 idle streams would be 200 wake-ups a second).
    pace = _Pace(poll=settings.CASTLESS_SSE_HEARTBEAT_SECONDS)
    poller = process_poller()
    queue = poller.subscribe(cursor.account.pk)
    # thread_sensitive=False: replays share the default thread pool instead of each stream
    # keeping a thread (and its database connection) of its own for its whole life.
    poll_once = sync_to_async(cursor.poll_and_release, thread_sensitive=False)
    try:
        yield _opening()
        more = True
        while more:
            chunk, more = await poll_once()
            if chunk:
                pace.last_write = time.monotonic()
                yield chunk
        while True:
            chunk, pause = pace.after_poll(b"", False)
            if chunk:
                yield chunk
            if pause is None:
                return
            try:
                rows = await asyncio.wait_for(queue.get(), timeout=pause)
            except TimeoutError:
                continue
            while not queue.empty():
                rows = rows + queue.get_nowait()
            chunk = cursor.accept(rows)
            if chunk:
                pace.last_write = time.monotonic()
                yield chunk
    finally:
        poller.unsubscribe(cursor.account.pk, queue)


class _StreamSlots:
    """Open streams per API token in this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open: dict[int, int] = {}

    def take(self, token_id: int) -> None:
        cap = settings.CASTLESS_STREAMS_PER_TOKEN
        with self.lock:
            if self.open.get(token_id, 0) >= cap:
                raise TooManyStreams(cap=cap, retry_after=STREAM_RETRY_AFTER_SECONDS)
            self.open[token_id] = self.open.get(token_id, 0) + 1

    def release(self, token_id: int) -> None:
        with self.lock:
            left = self.open.get(token_id, 0) - 1
            if left > 0:
                self.open[token_id] = left
            else:
                self.open.pop(token_id, None)


STREAM_RETRY_AFTER_SECONDS = 30
stream_slots = _StreamSlots()


class _Slot:
    def __init__(self, token_id: int | None) -> None:
        self.token_id = token_id
        self.held = token_id is not None
        if token_id is not None:
            stream_slots.take(token_id)

    def release(self) -> None:
        if self.held:
            self.held = False
            stream_slots.release(self.token_id)


def _holding(slot: _Slot, frames: Iterator[bytes]) -> Iterator[bytes]:
    try:
        yield from frames
    finally:
        slot.release()


async def _holding_async(slot: _Slot, frames: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    try:
        async for chunk in frames:
            yield chunk
    finally:
        slot.release()
        await frames.aclose()


class _EventStreamResponse(StreamingHttpResponse):
    def __init__(self, content, *, slot: _Slot) -> None:
        super().__init__(content, content_type="text/event-stream")
        self.slot = slot

    def close(self) -> None:
        # Servers close every response; a body never iterated (the client left first) runs
        # no generator finally, so the slot is given back here as well.
        self.slot.release()
        super().close()


def event_stream_response(
    *, request: HttpRequest, account: Account, after_id: int, token_id: int | None = None
) -> StreamingHttpResponse:
    slot = _Slot(token_id)
    cursor = NotificationCursor(account=account, after_id=after_id)
    if isinstance(request, ASGIRequest):
        content = _holding_async(slot, _async_frames(cursor))
        # The view ran in a thread whose connection would otherwise stay open (and counted
        # against the server's connection limit) for as long as the stream lasts.
        if not connection.in_atomic_block:
            connection.close()
    else:
        content = _holding(slot, _sync_frames(cursor))
    response = _EventStreamResponse(content, slot=slot)
    response["Cache-Control"] = "no-cache"
    # nginx would otherwise buffer the stream (our site config turns buffering off as well).
    response["X-Accel-Buffering"] = "no"
    return response
