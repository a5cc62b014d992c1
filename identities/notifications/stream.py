"""Server-sent events for GET /api/v2/notifications/events.

A stream first replays the account's undismissed notifications after the client's last event id
(oldest first), then polls the table by id cursor, so any web machine serves any account with no
broker. Each event is

    id: <notification id>
    data: <the event JSON, one line>

with no `event:` field, so a browser EventSource's `onmessage` sees every event (the name is in
the JSON). Idle streams send `: keep-alive` comments; every stream ends after
CASTLESS_SSE_MAX_SECONDS and the client resumes with Last-Event-ID.

Under ASGI the stream is an async generator (one coroutine per stream, the poll in a thread
pool); under WSGI and the test client, a plain generator. Django would otherwise buffer the
whole stream: it turns an async iterator into a list under WSGI and a sync one under ASGI.
uvicorn sends the stream chunked; WSGI writes are padded so block-reading clients see each
event at once (see _padded).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from accounts.models import Account
from identities.models import Notification
from identities.notifications.events import event_json, notification_event
from identities.notifications.selectors import notifications_after

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
        # Runs in a pool thread under ASGI: give the connection back when it is past its age
        # (or every time, with CONN_MAX_AGE=0) so open streams never pin database connections.
        try:
            return self.poll()
        finally:
            close_old_connections()

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

    def __init__(self) -> None:
        self.poll = settings.CASTLESS_SSE_POLL_SECONDS
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


async def _async_frames(cursor: NotificationCursor) -> AsyncIterator[bytes]:
    pace = _Pace()
    # thread_sensitive=False: polls share the default thread pool instead of each stream keeping
    # a thread (and its database connection) of its own for its whole life.
    poll_once = sync_to_async(cursor.poll_and_release, thread_sensitive=False)
    yield _opening()
    while True:
        chunk, pause = pace.after_poll(*await poll_once())
        if chunk:
            yield chunk
        if pause is None:
            return
        await asyncio.sleep(pause)


def event_stream_response(
    *, request: HttpRequest, account: Account, after_id: int
) -> StreamingHttpResponse:
    cursor = NotificationCursor(account=account, after_id=after_id)
    content = _async_frames(cursor) if isinstance(request, ASGIRequest) else _sync_frames(cursor)
    response = StreamingHttpResponse(content, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    # nginx would otherwise buffer the stream (our site config turns buffering off as well).
    response["X-Accel-Buffering"] = "no"
    return response
