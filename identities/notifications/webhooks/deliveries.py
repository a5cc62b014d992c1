"""Delivery state: queue an event for a webhook, make its attempts, schedule its retries.

A delivery stays `pending` from its first attempt to its last, and `next_attempt_at` is both
when the next attempt is due and the lease of an attempt in flight. Two workers may pick up the
same attempt (the on-commit task and the every-minute scan, or a task django-q2 redelivers):
the claim, a conditional UPDATE in `identities.leases`, pushes `next_attempt_at` past the send's
deadline, so only one of them sends it. The lease is short and renewed by a heartbeat while
the request is in flight, so a worker that dies mid-send leaves a delivery that a worker's
sweep picks up again within seconds.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_q.tasks import async_task

from accounts.models import Account
from identities.leases import (
    LeaseSpec,
    lease_claim,
    lease_exhausted,
    lease_fail,
    lease_finish,
    lease_heartbeat,
    task_lease,
)
from identities.models import Webhook, WebhookDelivery
from identities.notifications.selectors import webhook_active_for, webhook_deliveries_due
from identities.notifications.webhooks.signing import webhook_headers
from identities.notifications.webhooks.transport import webhook_post

logger = logging.getLogger(__name__)

DELIVER_TASK = "identities.tasks.webhook_deliver"
ERROR_MAX_LENGTH = WebhookDelivery._meta.get_field("last_error").max_length


def _lease_spec() -> LeaseSpec:
    # Built per call: the attempt limit is a setting, and tests change it.
    return LeaseSpec(
        model=WebhookDelivery,
        waiting=WebhookDelivery.PENDING,
        working=WebhookDelivery.PENDING,
        max_attempts=settings.CASTLESS_WEBHOOK_MAX_ATTEMPTS,
        lease_field="next_attempt_at",
    )


# --- queue ---------------------------------------------------------------------------------


def webhook_event_enqueue(
    *, account: Account, event_id: str, body: bytes
) -> WebhookDelivery | None:
    """Queue `body` for the account's active webhook; None when it has none."""
    webhook = webhook_active_for(account=account)
    if webhook is None:
        return None
    return webhook_delivery_create(webhook=webhook, event_id=event_id, body=body)


def webhook_delivery_create(*, webhook: Webhook, event_id: str, body: bytes) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event_id=event_id, body=body, next_attempt_at=timezone.now()
    )
    # After commit: a rolled-back event is never sent. Should the task be lost anyway, the
    # every-minute scan finds the delivery due and sends it.
    transaction.on_commit(
        lambda: async_task(DELIVER_TASK, delivery.pk, task_name=f"webhook-{delivery.pk}")
    )
    return delivery


def webhook_deliver_due(*, limit: int = 200) -> int:
    """Queue a send for every pending delivery whose next attempt is due (the periodic scan).

    Each send claims its attempt itself, so queuing one twice is harmless.
    """
    ids = webhook_deliveries_due(limit=limit)
    for delivery_id in ids:
        async_task(DELIVER_TASK, delivery_id, task_name=f"webhook-{delivery_id}-due")
    return len(ids)


# --- attempts ------------------------------------------------------------------------------


def webhook_delivery_send(*, delivery_id: int) -> str:
    """Make the delivery's next attempt if it is due and nobody else holds it.

    Returns "delivered", "retrying", "failed" (gave up) or "skipped" (not due, already final,
    or claimed by another worker).
    """
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.PENDING:
        return "skipped"
    spec = _lease_spec()
    attempt = lease_claim(spec=spec, pk=delivery.pk, duration=task_lease())
    if attempt is None:
        if lease_exhausted(delivery, spec) and delivery.next_attempt_at <= timezone.now():
            # Only when the attempt limit was lowered below what a delivery already used (no
            # run can hold it: a claim needs an attempt left). Give up now rather than leave it
            # pending for the scan to queue every minute; its last outcome stays recorded.
            return _give_up(delivery=delivery, attempt=None, error=delivery.last_error)
        return "skipped"
    webhook = delivery.webhook
    if not webhook.is_active:
        error = "The webhook is disabled."
        return _give_up(
            delivery=delivery, attempt=attempt, error=error, last_status=None, last_error=error
        )
    body = bytes(delivery.body)
    try:
        headers = webhook_headers(
            secret=webhook.secret, event_id=delivery.event_id, body=body, timestamp=int(time.time())
        )
        # Renewed while the request is in flight, so it only runs out if the worker died.
        with lease_heartbeat(spec=spec, pk=delivery.pk, attempt=attempt, duration=task_lease()):
            status, error = webhook_post(url=webhook.url, body=body, headers=headers)
    except Exception as exc:
        # Whatever went wrong, this attempt is recorded and retried on schedule, not left
        # claimed until its lease runs out.
        logger.exception("Webhook delivery %s crashed", delivery.pk)
        status, error = None, f"Internal error: {type(exc).__name__}"
    Webhook.objects.filter(pk=webhook.pk).update(
        last_response_status=status, last_response_at=timezone.now()
    )
    return _record(delivery=delivery, attempt=attempt, status=status, error=error)


def _retry_delay(attempt: int) -> timedelta:
    """The wait after failed attempt `attempt` (1-based); the last delay repeats."""
    delays = settings.CASTLESS_WEBHOOK_RETRY_DELAYS or [60]
    return timedelta(seconds=delays[min(attempt, len(delays)) - 1])


def _record(*, delivery: WebhookDelivery, attempt: int, status: int | None, error: str) -> str:
    # Guarded by the attempt number: a run whose lease ran out (and lost the delivery to a newer
    # attempt) changes nothing.
    spec = _lease_spec()
    now = timezone.now()
    fields = {"last_status": status, "last_error": error[:ERROR_MAX_LENGTH]}
    if status is not None and 200 <= status < 300:
        # next_attempt_at cannot be NULL; a final delivery keeps its last lease there.
        lease_finish(
            spec=spec,
            pk=delivery.pk,
            attempt=attempt,
            status=WebhookDelivery.DELIVERED,
            delivered_at=now,
            next_attempt_at=F("next_attempt_at"),
            **fields,
        )
        return "delivered"
    if attempt >= spec.max_attempts:
        return _give_up(delivery=delivery, attempt=attempt, error=error, **fields)
    lease_finish(
        spec=spec,
        pk=delivery.pk,
        attempt=attempt,
        status=WebhookDelivery.PENDING,
        next_attempt_at=now + _retry_delay(attempt),
        **fields,
    )
    return "retrying"


def _give_up(*, delivery: WebhookDelivery, attempt: int | None, error: str, **fields) -> str:
    """Fail the delivery: held by `attempt`, or (None) by nobody; `fields` record the outcome."""
    lease_fail(
        spec=_lease_spec(),
        pk=delivery.pk,
        attempt=attempt,
        status=WebhookDelivery.FAILED,
        next_attempt_at=F("next_attempt_at"),
        **fields,
    )
    attempts = delivery.attempts if attempt is None else attempt
    logger.warning(
        "Webhook delivery %s gave up after %s attempts: %s", delivery.pk, attempts, error
    )
    return "failed"
