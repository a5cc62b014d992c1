from datetime import timedelta

from django.utils import timezone

from identities.models import Notification
from identities.notifications.emit import notification_emit
from identities.notifications.stream import NotificationCursor

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
