"""Writes: store an event for an account (and queue it for its webhook), dismiss one."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from accounts.models import Account
from identities.models import Notification
from identities.notifications.events import event_json, notification_event
from identities.notifications.wakeups import wakeup_send
from identities.notifications.webhooks.deliveries import webhook_event_enqueue

NAME_MAX_LENGTH = Notification._meta.get_field("name").max_length


def notification_emit(*, account: Account, name: str, data: dict) -> Notification:
    """Store an event for `account` and queue it for the account's webhook, if it has one.

    Call it inside the transaction that changes the state it reports: the webhook task is
    enqueued and the streams' pollers woken on commit, so a rolled-back change sends nothing
    and stores nothing.
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
    # Open streams hear of it at commit instead of at their process's next poll.
    wakeup_send(account_id=account.pk)
    return notification


def notification_delete(*, account: Account, notification_id: int) -> None:
    """Dismiss a notification so streams no longer replay it; 404 when it is not the account's
    or was already dismissed."""
    dismissed = Notification.objects.filter(
        account=account, pk=notification_id, deleted_at__isnull=True
    ).update(deleted_at=timezone.now())
    if not dismissed:
        raise Http404("No such notification")
