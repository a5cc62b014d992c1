"""Webhooks: one signed endpoint per account, deliveries retried with back-off.

Every delivery POSTs the exact stored body bytes with
    X-Webhook-Signature:    sha256=<hex HMAC-SHA256(secret, body)>     (the seed's, unchanged)
    X-Webhook-Id:           <event id, the same on every retry>
    X-Webhook-Timestamp:    <unix seconds of this attempt>
    X-Webhook-Signature-V2: t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>
so a receiver can reject replays (old timestamps, ids already seen), as Stripe's and Standard
Webhooks' receivers do.

Races and limits this module handles:
- two workers (the on-commit task and the every-minute scan, or a task django-q2 redelivers)
  picking up the same attempt: an attempt is claimed by a conditional UPDATE on
  (status, attempts, next_attempt_at) that also pushes next_attempt_at past the send's
  deadline, so only one sends it, and a worker that dies mid-send leaves a delivery the scan
  picks up again once that lease runs out;
- DNS rebinding: the host is resolved again at delivery time, every address is checked, and the
  connection goes to the checked address (Host header and TLS SNI keep the real name), so a
  second lookup cannot swap in a private address;
- redirects are not followed (a 3xx could point inside the network) and count as failures;
  response bodies are never read.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import ssl
import time
from datetime import timedelta
from functools import cache
from urllib.parse import SplitResult, urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django_q.tasks import async_task

from accounts.models import Account
from config.api.errors import ApiError, FieldError
from identities.models import Webhook, WebhookDelivery

logger = logging.getLogger(__name__)

DELIVER_TASK = "identities.tasks.webhooks.webhook_deliver"
URL_MAX_LENGTH = Webhook._meta.get_field("url").max_length
SIGNATURE_HEADER = "X-Webhook-Signature"
SIGNATURE_V2_HEADER = "X-Webhook-Signature-V2"
ID_HEADER = "X-Webhook-Id"
TIMESTAMP_HEADER = "X-Webhook-Timestamp"
USER_AGENT = "Castless-Webhooks/1.0"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeWebhookUrl(Exception):
    """The URL cannot be used as a webhook; the message says why, for the API's `url` field."""


def event_json(event: dict) -> str:
    """The wire form of an event, for SSE `data:` lines and webhook bodies alike.

    ASCII-only JSON has no raw line breaks of any kind (U+2028 and friends are escaped), so an
    event is one `data:` line even for clients that split lines with str.splitlines().
    """
    return json.dumps(event, ensure_ascii=True, separators=(",", ":"))


# --- signing -------------------------------------------------------------------------------


def webhook_signature(*, secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return "sha256=" + digest


def webhook_signature_v2(*, secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{event_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def webhook_headers(*, secret: str, event_id: str, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        ID_HEADER: event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: webhook_signature(secret=secret, body=body),
        SIGNATURE_V2_HEADER: webhook_signature_v2(
            secret=secret, event_id=event_id, timestamp=timestamp, body=body
        ),
    }


# --- URL safety ----------------------------------------------------------------------------


def _is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv4 address wrapped in IPv6 (::ffff:10.0.0.1, 6to4) is judged as that address.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return _is_public(embedded)
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _split(url: str) -> tuple[SplitResult, int]:
    if len(url) > URL_MAX_LENGTH:
        raise UnsafeWebhookUrl(f"The URL is longer than {URL_MAX_LENGTH} characters.")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsafeWebhookUrl("Use an http:// or https:// URL.")
    if not parts.hostname:
        raise UnsafeWebhookUrl("The URL has no host.")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise UnsafeWebhookUrl("The URL's port is not a valid port number.") from None
    return parts, port


def webhook_url_addresses(*, url: str) -> list[IPAddress]:
    """The addresses `url`'s host resolves to, all of them checked.

    Refuses the URL when any address is private, loopback, link-local, multicast, reserved or
    unspecified, unless CASTLESS_ALLOW_PRIVATE_WEBHOOKS is on: an attacker's DNS may answer
    with one public and one internal address. Resolves only; never connects.
    """
    parts, port = _split(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeWebhookUrl(f"The host {parts.hostname!r} does not resolve.") from None
    addresses: list[IPAddress] = []
    for family, _, _, _, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise UnsafeWebhookUrl(f"The host {parts.hostname!r} does not resolve.")
    if not settings.CASTLESS_ALLOW_PRIVATE_WEBHOOKS:
        for address in addresses:
            if not _is_public(address):
                raise UnsafeWebhookUrl(
                    f"The host resolves to {address}, a private or reserved address; "
                    "webhooks must reach a public host."
                )
    return addresses


def webhook_url_validate(*, url: str) -> None:
    """Raise the API's 400 naming `url` when `url` cannot receive webhooks."""
    try:
        _split(url)
        URLValidator(schemes=["http", "https"])(url)
    except UnsafeWebhookUrl as error:
        raise _url_error(str(error)) from None
    except ValidationError:
        raise _url_error("Enter a valid URL.") from None
    try:
        webhook_url_addresses(url=url)
    except UnsafeWebhookUrl as error:
        raise _url_error(str(error)) from None


def _url_error(message: str) -> ApiError:
    return ApiError(
        status=400,
        error="Validation error",
        detail=[FieldError(field="url", message=message, position="body")],
    )


# --- writes --------------------------------------------------------------------------------


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
        _ping(webhook=webhook)
    return webhook, created


def webhook_delete(*, account: Account) -> None:
    """Remove the account's webhook and its undelivered events; 404 when it has none."""
    deleted, _ = Webhook.objects.filter(account=account).delete()
    if not deleted:
        raise Http404("No webhook")


def webhook_event_enqueue(
    *, account: Account, event_id: str, body: bytes
) -> WebhookDelivery | None:
    """Queue `body` for the account's active webhook; None when it has none."""
    webhook = Webhook.objects.filter(account=account, is_active=True).first()
    if webhook is None:
        return None
    return _delivery_create(webhook=webhook, event_id=event_id, body=body)


def _ping(*, webhook: Webhook) -> WebhookDelivery:
    # A delivery only, not a stored notification: it has no integer id, never shows in an
    # event stream's replay and cannot be dismissed. Seed receivers answer it with 204.
    event = {
        "id": None,
        "name": "ping",
        "data": {"webhook_id": webhook.pk, "url": webhook.url},
        "timestamp": timezone.now().timestamp(),
    }
    event_id = "ping_" + secrets.token_hex(8)
    return _delivery_create(webhook=webhook, event_id=event_id, body=event_json(event).encode())


def _delivery_create(*, webhook: Webhook, event_id: str, body: bytes) -> WebhookDelivery:
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
    due = (
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    ids = list(due)
    for delivery_id in ids:
        async_task(DELIVER_TASK, delivery_id, task_name=f"webhook-{delivery_id}-due")
    return len(ids)


def webhook_delivery_send(*, delivery_id: int) -> str:
    """Make the delivery's next attempt if it is due and nobody else holds it.

    Returns "delivered", "retrying", "failed" (gave up) or "skipped" (not due, already final,
    or claimed by another worker).
    """
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.PENDING:
        return "skipped"
    attempt = _claim(delivery=delivery)
    if attempt is None:
        return "skipped"
    webhook = delivery.webhook
    if not webhook.is_active:
        error = "The webhook is disabled."
        return _finish(delivery=delivery, attempt=attempt, status=None, error=error, last=True)
    try:
        status, error = _post(webhook=webhook, delivery=delivery)
    except Exception as exc:
        # Whatever went wrong, this attempt is recorded and retried on schedule, not left
        # claimed until its lease runs out.
        logger.exception("Webhook delivery %s crashed", delivery.pk)
        status, error = None, f"Internal error: {type(exc).__name__}"
    Webhook.objects.filter(pk=webhook.pk).update(
        last_response_status=status, last_response_at=timezone.now()
    )
    return _finish(delivery=delivery, attempt=attempt, status=status, error=error)


def _claim(*, delivery: WebhookDelivery) -> int | None:
    now = timezone.now()
    # The lease outlives every address's timeout, so it only runs out if the worker died.
    lease = timedelta(seconds=4 * settings.CASTLESS_WEBHOOK_TIMEOUT_SECONDS + 60)
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk,
        status=WebhookDelivery.PENDING,
        attempts=delivery.attempts,
        next_attempt_at__lte=now,
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + lease)
    return delivery.attempts + 1 if claimed else None


def _retry_delay(attempt: int) -> timedelta:
    delays = settings.CASTLESS_WEBHOOK_RETRY_DELAYS or [60]
    return timedelta(seconds=delays[min(attempt, len(delays)) - 1])


def _finish(
    *, delivery: WebhookDelivery, attempt: int, status: int | None, error: str, last: bool = False
) -> str:
    now = timezone.now()
    # Only the run holding this attempt may record it (a run whose lease ran out changes nothing).
    held = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.PENDING, attempts=attempt
    )
    fields = {"last_status": status, "last_error": error[:300]}
    if status is not None and 200 <= status < 300:
        held.update(status=WebhookDelivery.DELIVERED, delivered_at=now, **fields)
        return "delivered"
    if last or attempt >= settings.CASTLESS_WEBHOOK_MAX_ATTEMPTS:
        held.update(status=WebhookDelivery.FAILED, **fields)
        logger.warning(
            "Webhook delivery %s gave up after %s attempts: %s", delivery.pk, attempt, error
        )
        return "failed"
    held.update(next_attempt_at=now + _retry_delay(attempt), **fields)
    return "retrying"


def _post(*, webhook: Webhook, delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the delivery once; (HTTP status or None, error text or "")."""
    try:
        addresses = webhook_url_addresses(url=webhook.url)
        parts, port = _split(webhook.url)
    except UnsafeWebhookUrl as error:
        return None, str(error)
    body = bytes(delivery.body)
    headers = webhook_headers(
        secret=webhook.secret, event_id=delivery.event_id, body=body, timestamp=int(time.time())
    )
    host = _ascii_host(parts.hostname)
    headers["Host"] = f"{host}:{parts.port}" if parts.port else host
    # TLS is checked against the real name (an IPv6 literal goes without brackets).
    sni = parts.hostname if ":" in parts.hostname else host
    extensions = {"sni_hostname": sni} if parts.scheme.lower() == "https" else {}
    error = ""
    for address in addresses:
        url = _pinned(parts=parts, port=port, address=address)
        try:
            with (
                httpx.Client(
                    timeout=settings.CASTLESS_WEBHOOK_TIMEOUT_SECONDS,
                    verify=_tls_context(),
                    follow_redirects=False,
                    trust_env=False,
                ) as client,
                client.stream(
                    "POST", url, content=body, headers=headers, extensions=extensions
                ) as response,
            ):
                status = response.status_code
        except httpx.ConnectError as exc:
            # Nothing was sent; the host's next address may answer.
            error = f"Could not connect: {exc}"
            continue
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return None, f"{type(exc).__name__}: {exc}"
        return status, "" if 200 <= status < 300 else f"HTTP {status}"
    return None, error


def _ascii_host(hostname: str) -> str:
    if ":" in hostname:  # an IPv6 literal
        return f"[{hostname}]"
    return hostname.encode("idna").decode("ascii")


@cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~30 ms; a worker sends many deliveries.
    return httpx.create_ssl_context()


def _pinned(*, parts: SplitResult, port: int, address: IPAddress) -> str:
    userinfo = parts.netloc.rpartition("@")[0]
    host = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{userinfo}@{host}:{port}" if userinfo else f"{host}:{port}"
    return parts._replace(netloc=netloc, fragment="").geturl()


# --- reads ---------------------------------------------------------------------------------


def webhook_get_for(*, account: Account) -> Webhook:
    webhook = Webhook.objects.filter(account=account).first()
    if webhook is None:
        raise Http404("No webhook")
    return webhook
