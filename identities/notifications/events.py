"""The wire form of an event, the same on the event stream and in webhook bodies:

    {"id": 123, "name": "completed", "data": {"id_task": "job_…", "status": "…"},
     "timestamp": 1702819200.0}

`id` is the stored notification's; a webhook `ping` (never stored) has `"id": null`.
"""

from __future__ import annotations

import json

from identities.models import Notification


def notification_event(*, notification: Notification) -> dict:
    return {
        "id": notification.pk,
        "name": notification.name,
        "data": notification.data,
        "timestamp": notification.created_at.timestamp(),
    }


def event_json(event: dict) -> str:
    """The event as one line of JSON, for SSE `data:` lines and webhook bodies alike.

    ASCII-only JSON has no raw line breaks of any kind (U+2028 and friends are escaped), so an
    event is one `data:` line even for clients that split lines with str.splitlines().
    """
    return json.dumps(event, ensure_ascii=True, separators=(",", ":"))
