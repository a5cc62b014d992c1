"""The account's one webhook: set its URL (with a new secret and a ping), remove it."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts.models import Account
from config.refusals import FieldError, InvalidInput
from identities.models import Webhook, WebhookDelivery
from identities.notifications.events import event_json
from identities.notifications.webhooks.deliveries import webhook_delivery_create
from identities.notifications.webhooks.transport import (
    UnsafeWebhookUrl,
    webhook_url_addresses,
    webhook_url_parts,
)


def webhook_url_validate(*, url: str) -> None:
    """InvalidInput on `url` when `url` cannot receive webhooks."""
    try:
        webhook_url_parts(url=url)
        URLValidator(schemes=["http", "https"])(url)
    except UnsafeWebhookUrl as error:
        raise _url_error(str(error)) from None
    except ValidationError:
        raise _url_error("Enter a valid URL.") from None
    try:
        webhook_url_addresses(url=url)
    except UnsafeWebhookUrl as error:
        raise _url_error(str(error)) from None


def _url_error(message: str) -> InvalidInput:
    return InvalidInput([FieldError(field="url", message=message, position="body")])


def webhook_save(*, account: Account, url: str) -> tuple[Webhook, bool]:
    """Point the account's webhook at `url` with a new secret; returns (webhook, created).

    Every save rotates the secret (the caller shows it once) and queues a `ping` delivery.
    Pending retries of earlier events go to the new URL, signed with the new secret.
    """
    url = url.strip()
    webhook_url_validate(url=url)
    secret = "whsec_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        # update_or_create locks the row, so two concurrent PUTs end with one webhook and the
        # secret of whichever committed last.
        webhook, created = Webhook.objects.update_or_create(
            account=account, defaults={"url": url, "secret": secret, "is_active": True}
        )
        webhook_ping(webhook=webhook)
    return webhook, created


def webhook_ping(*, webhook: Webhook) -> WebhookDelivery:
    """Queue a `ping` to the webhook, so its owner sees at once that the URL and secret work.

    A delivery only, not a stored notification: it has no integer id, never shows in an event
    stream's replay and cannot be dismissed. Receivers written for the stored events answer it
    like any other (2xx), so it needs no handling of its own on their side.
    """
    event = {
        "id": None,
        "name": "ping",
        "data": {"webhook_id": webhook.pk, "url": webhook.url},
        "timestamp": timezone.now().timestamp(),
    }
    event_id = "ping_" + secrets.token_hex(8)
    body = event_json(event).encode()
    return webhook_delivery_create(webhook=webhook, event_id=event_id, body=body)


def webhook_delete(*, account: Account) -> None:
    """Remove the account's webhook and its undelivered events; 404 when it has none."""
    deleted, _ = Webhook.objects.filter(account=account).delete()
    if not deleted:
        raise Http404("No webhook")
