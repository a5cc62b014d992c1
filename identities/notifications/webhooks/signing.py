"""The headers every webhook delivery carries, over the exact stored body bytes:

    X-Webhook-Signature:    sha256=<hex HMAC-SHA256(secret, body)>
    X-Webhook-Id:           <event id, the same on every retry>
    X-Webhook-Timestamp:    <unix seconds of this attempt>
    X-Webhook-Signature-V2: t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>

The first is the one existing receivers verify, so its form never changes. It signs the body
only, so a captured delivery could be replayed; the second also signs the id and the time, so a
receiver can reject replays (old timestamps, ids already seen), as Stripe's and Standard
Webhooks' receivers do.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Webhook-Signature"
SIGNATURE_V2_HEADER = "X-Webhook-Signature-V2"
ID_HEADER = "X-Webhook-Id"
TIMESTAMP_HEADER = "X-Webhook-Timestamp"
USER_AGENT = "Castless-Webhooks/1.0"


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
