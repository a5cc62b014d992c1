"""Reads: the notifications a stream sends, the account's webhook, the deliveries due."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Account
from identities.models import Notification, Webhook, WebhookDelivery


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


def webhook_get_for(*, account: Account) -> Webhook:
    webhook = Webhook.objects.filter(account=account).first()
    if webhook is None:
        raise Http404("No webhook")
    return webhook


def webhook_active_for(*, account: Account) -> Webhook | None:
    return Webhook.objects.filter(account=account, is_active=True).first()


def webhook_deliveries_due(*, limit: int) -> list[int]:
    """Ids of pending deliveries whose next attempt is due, the longest-waiting first (served by
    the (status, next_attempt_at) index)."""
    due = (
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return list(due)
