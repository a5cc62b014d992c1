"""Notifications: the events an account's jobs produce, replayed over server-sent events and
POSTed to the account's webhook with the same body.

Event shape, on the stream and in webhook bodies alike (FINDINGS.md):
    {"id": 123, "name": "completed", "data": {"id_task": "job_…", "status": "…"},
     "timestamp": 1702819200.0}
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Account
from identities.models import Notification
from identities.services.webhooks import event_json, webhook_event_enqueue

NAME_MAX_LENGTH = Notification._meta.get_field("name").max_length


def notification_event(*, notification: Notification) -> dict:
    return {
        "id": notification.pk,
        "name": notification.name,
        "data": notification.data,
        "timestamp": notification.created_at.timestamp(),
    }


# --- writes --------------------------------------------------------------------------------


def notification_emit(*, account: Account, name: str, data: dict) -> Notification:
    """Store an event for `account` and queue it for the account's webhook, if it has one.

    Call it inside the transaction that changes the state it reports: the webhook task is
    enqueued on commit, so a rolled-back change sends nothing and stores nothing.
    """
    if not name or len(name) > NAME_MAX_LENGTH:
        raise ValueError(f"A notification name has 1 to {NAME_MAX_LENGTH} characters: {name!r}")
    if not isinstance(data, dict):
        raise ValueError("A notification's data is a JSON object")
    notification = Notification.objects.create(account=account, name=name, data=data)
    # created_at is set in Python before the INSERT, so this body carries the same id, name,
    # data and timestamp an event stream later reads from the row.
    body = event_json(notification_event(notification=notification)).encode()
    webhook_event_enqueue(account=account, event_id=str(notification.pk), body=body)
    return notification


def notification_delete(*, account: Account, notification_id: int) -> None:
    """Dismiss a notification so streams no longer replay it; 404 when it is not the account's
    or was already dismissed."""
    dismissed = Notification.objects.filter(
        account=account, pk=notification_id, deleted_at__isnull=True
    ).update(deleted_at=timezone.now())
    if not dismissed:
        raise Http404("No such notification")


# --- reads ---------------------------------------------------------------------------------


def notifications_after(
    *,
    account: Account,
    after_id: int,
    exclude_ids: frozenset[int] | set[int] = frozenset(),
    limit: int = 500,
) -> QuerySet[Notification]:
    """The account's undismissed notifications with an id above `after_id`, oldest first
    (served by the (account, id) index)."""
    queryset = Notification.objects.filter(
        account=account, pk__gt=after_id, deleted_at__isnull=True
    )
    if exclude_ids:
        queryset = queryset.exclude(pk__in=exclude_ids)
    return queryset.order_by("pk")[:limit]
