import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient
from django.utils import timezone

from identities.models import Notification
from identities.notifications.emit import notification_emit
from identities.notifications.stream import NotificationCursor, NotificationPoller, process_poller

JOB = {"id_task": "job_abc", "job_id": "job_abc", "status": "completed"}


def _ids(chunk: bytes) -> list[int]:
    return [int(line[4:]) for line in chunk.decode().splitlines() if line.startswith("id: ")]


def test_the_cursor_still_sends_a_lower_id_that_commits_after_a_higher_one(account):
    """Ids are taken at INSERT and seen at COMMIT: a slow transaction's lower id shows up late."""
    cursor = NotificationCursor(account=account, after_id=0)
    Notification.objects.create(pk=100, account=account, name="completed", data=JOB)
    assert _ids(cursor.poll()[0]) == [100]
    Notification.objects.create(pk=50, account=account, name="progress", data=JOB)
    assert _ids(cursor.poll()[0]) == [50]
    assert cursor.poll() == (b"", False)


def test_the_cursor_moves_past_settled_rows_so_its_exclusions_stay_small(account):
    old = timezone.now() - timedelta(minutes=5)
    for pk in (10, 11, 12):
        Notification.objects.create(pk=pk, account=account, name="progress", data=JOB)
    Notification.objects.filter(pk__in=[10, 11]).update(created_at=old)
    cursor = NotificationCursor(account=account, after_id=0)
    assert _ids(cursor.poll()[0]) == [10, 11, 12]
    assert cursor.floor == 11
    assert set(cursor.recent) == {12}


def test_the_cursor_replays_in_batches(account, monkeypatch):
    monkeypatch.setattr("identities.notifications.stream.BATCH", 2)
    for _ in range(3):
        notification_emit(account=account, name="progress", data=JOB)
    cursor = NotificationCursor(account=account, after_id=0)
    chunk, more = cursor.poll()
    assert len(_ids(chunk)) == 2 and more
    chunk, more = cursor.poll()
    assert len(_ids(chunk)) == 1 and not more


def _poller_rows(rows: list[tuple]) -> list[tuple[int, int]]:
    return [(account_id, pk) for account_id, pk, _, _ in rows]


def test_one_poll_fetches_every_account_with_an_open_stream_and_nothing_twice(account, charlie):
    other = charlie.membership.account
    poller = NotificationPoller()
    mine = notification_emit(account=account, name="progress", data=JOB)
    theirs = notification_emit(account=other, name="progress", data=JOB)
    rows = poller._fetch(frozenset({account.pk, other.pk}))
    assert _poller_rows(rows) == [(account.pk, mine.pk), (other.pk, theirs.pk)]
    assert poller._fetch(frozenset({account.pk, other.pk})) == []
    assert poller.polls == 2


def test_a_stream_drops_the_poller_rows_it_already_replayed(account):
    replayed = notification_emit(account=account, name="progress", data=JOB)
    cursor = NotificationCursor(account=account, after_id=0)
    cursor.poll()
    fresh = notification_emit(account=account, name="completed", data=JOB)
    rows = [
        (pk, at, data) for _, pk, at, data in NotificationPoller()._fetch(frozenset({account.pk}))
    ]
    assert _ids(cursor.accept(rows)) == [fresh.pk]
    assert replayed.pk in cursor.recent and cursor.accept(rows) == b""


@pytest.mark.django_db(transaction=True)
def test_many_open_streams_share_one_poll_per_interval(account, alice_token, settings):
    """200 idle streams used to cost 200 queries a second; now the process polls once."""
    settings.CASTLESS_SSE_POLL_SECONDS = 0.05
    settings.CASTLESS_SSE_HEARTBEAT_SECONDS = 0.2
    settings.CASTLESS_SSE_MAX_SECONDS = 0.6
    settings.CASTLESS_STREAMS_PER_TOKEN = 10

    async def read_all() -> tuple[list[bytes], int]:
        async def read_one() -> bytes:
            response = await AsyncClient().get(
                "/api/v2/notifications/events",
                headers={"Authorization": f"Bearer {alice_token}"},
            )
            return b"".join([chunk async for chunk in response.streaming_content])

        async def emit_soon() -> None:
            await asyncio.sleep(0.2)
            await sync_to_async(notification_emit)(account=account, name="completed", data=JOB)

        results = await asyncio.gather(*(read_one() for _ in range(8)), emit_soon())
        return results[:8], process_poller().polls

    bodies, polls = async_to_sync(read_all)()
    emitted = Notification.objects.get()
    assert all(_ids(body) == [emitted.pk] for body in bodies)
    # 0.6 s at one poll per 0.05 s is about 12 polls for all 8 streams together.
    assert polls <= 20


def test_a_token_gets_429_above_its_open_stream_cap(alice_api, settings):
    settings.CASTLESS_STREAMS_PER_TOKEN = 1
    settings.CASTLESS_SSE_POLL_SECONDS = 0.01
    settings.CASTLESS_SSE_MAX_SECONDS = 0.1
    first = alice_api.get("/api/v2/notifications/events")
    assert first.status_code == 200
    refused = alice_api.get("/api/v2/notifications/events")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"
    assert refused.json()["error"] == "Too many open event streams"
    assert refused.json()["detail"][0]["field"] == "Authorization"
    b"".join(first.streaming_content)  # read to its end: the stream gives its slot back
    again = alice_api.get("/api/v2/notifications/events")
    assert again.status_code == 200
    b"".join(again.streaming_content)
