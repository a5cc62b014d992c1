from identities.services.webhooks import webhook_deliver_due as _webhook_deliver_due
from identities.services.webhooks import webhook_delivery_send


def webhook_deliver(delivery_id: int) -> str:
    return webhook_delivery_send(delivery_id=delivery_id)


def webhook_deliver_due() -> int:
    """Periodic (every minute): queue every delivery whose retry is due."""
    return _webhook_deliver_due()
