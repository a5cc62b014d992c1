"""django-q2 task entry points: each takes ids, re-reads rows and calls one service.

Their dotted paths are stored in queued tasks and in the periodic schedules (migrations 0006,
0007, 0010), so a rename here needs a data migration there.
"""

from identities.notifications.webhooks.deliveries import (
    webhook_deliver_due as _webhook_deliver_due,
)
from identities.notifications.webhooks.deliveries import webhook_delivery_send
from identities.services.jobs import draft_generate as _draft_generate
from identities.services.jobs.reaping import abandoned_work_reap
from identities.services.preprocessing import identity_preprocess as _identity_preprocess
from identities.services.runs import image_run_generate as _image_run_generate


def draft_generate(draft_id: int) -> None:
    _draft_generate(draft_id=draft_id)


def identity_preprocess(job_id: int) -> None:
    _identity_preprocess(job_id=job_id)


def image_run_generate(run_id: int) -> None:
    _image_run_generate(run_id=run_id)


def webhook_deliver(delivery_id: int) -> str:
    return webhook_delivery_send(delivery_id=delivery_id)


def reap_abandoned_work() -> dict:
    """Periodic: work whose worker died or whose task was lost. `manage.py worker` runs the
    same sweep every few seconds; this schedule covers clusters started as plain qcluster."""
    return abandoned_work_reap()


def webhook_deliver_due() -> int:
    """Periodic (every minute): queue every delivery whose retry is due."""
    return _webhook_deliver_due()
