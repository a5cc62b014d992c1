import hashlib
import hmac
import json
import time

from identities.models import WebhookDelivery
from identities.notifications.webhooks.signing import webhook_signature_v2
from tests.notifications.webhooks.receiver import (
    JOB,
    SECRET,
    Receiver,
    emit_and_send,
    hook_for,
    verify_signature,
)


def test_a_delivery_is_signed_exactly_as_the_seed_receiver_verifies(
    account, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        webhook = hook_for(account, receiver)
        notification = emit_and_send(account, django_capture_on_commit_callbacks)
    (request,) = receiver.requests
    headers, body = request["headers"], request["body"]
    assert request["path"] == "/hooks/castless"
    assert verify_signature(SECRET, body, headers["X-Webhook-Signature"])
    assert json.loads(body) == {
        "id": notification.pk,
        "name": "completed",
        "data": JOB,
        "timestamp": notification.created_at.timestamp(),
    }
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Webhook-Id"] == str(notification.pk)
    timestamp = int(headers["X-Webhook-Timestamp"])
    assert abs(time.time() - timestamp) < 60
    assert headers["X-Webhook-Signature-V2"] == webhook_signature_v2(
        secret=SECRET, event_id=str(notification.pk), timestamp=timestamp, body=body
    )
    delivery = WebhookDelivery.objects.get()
    assert bytes(delivery.body) == body
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("delivered", 1, 204)
    assert delivery.delivered_at is not None
    webhook.refresh_from_db()
    assert webhook.last_response_status == 204
    assert webhook.last_response_at is not None


def test_the_v2_signature_covers_id_timestamp_and_body(account, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        hook_for(account, receiver)
        emit_and_send(account, django_capture_on_commit_callbacks)
    headers, body = receiver.requests[0]["headers"], receiver.requests[0]["body"]
    signed = f"{headers['X-Webhook-Id']}.{headers['X-Webhook-Timestamp']}.".encode() + body
    digest = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    assert headers["X-Webhook-Signature-V2"] == f"t={headers['X-Webhook-Timestamp']},v1={digest}"
