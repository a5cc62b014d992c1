import socket
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from identities.models import Webhook, WebhookDelivery
from identities.notifications.webhooks.deliveries import (
    webhook_deliver_due,
    webhook_delivery_send,
)
from tests.conftest import require_postgres
from tests.notifications.webhooks.receiver import SECRET, Receiver, emit_and_send, hook_for


def test_a_failing_receiver_gets_the_same_event_again_until_it_answers_2xx(
    account, settings, django_capture_on_commit_callbacks
):
    settings.CASTLESS_WEBHOOK_RETRY_DELAYS = [0]
    with Receiver(statuses=[500, 503, 204]) as receiver:
        webhook = hook_for(account, receiver)
        emit_and_send(account, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts, delivery.last_status) == ("pending", 1, 500)
        assert delivery.last_error == "HTTP 500"
        assert webhook_deliver_due() == 1
        assert webhook_deliver_due() == 1
        assert webhook_deliver_due() == 0
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("delivered", 3, 204)
    assert len(receiver.requests) == 3
    assert {r["headers"]["X-Webhook-Id"] for r in receiver.requests} == {delivery.event_id}
    assert {r["body"] for r in receiver.requests} == {bytes(delivery.body)}
    webhook.refresh_from_db()
    assert webhook.last_response_status == 204


def test_retries_wait_for_the_configured_back_off(
    account, settings, django_capture_on_commit_callbacks
):
    settings.CASTLESS_WEBHOOK_RETRY_DELAYS = [10, 60]
    with Receiver(statuses=[500]) as receiver:
        hook_for(account, receiver)
        before = timezone.now()
        emit_and_send(account, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get()
        wait = delivery.next_attempt_at - before
        assert timedelta(seconds=9) < wait < timedelta(seconds=12)
        assert webhook_deliver_due() == 0
        # Due again: the second failure waits the next (here: last, repeating) delay.
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        assert webhook_deliver_due() == 1
        delivery.refresh_from_db()
        assert delivery.next_attempt_at - timezone.now() > timedelta(seconds=55)
    assert len(receiver.requests) == 2


def test_delivery_gives_up_after_the_configured_attempts(
    account, settings, django_capture_on_commit_callbacks
):
    settings.CASTLESS_WEBHOOK_RETRY_DELAYS = [0]
    settings.CASTLESS_WEBHOOK_MAX_ATTEMPTS = 3
    with Receiver(statuses=[500]) as receiver:
        hook_for(account, receiver)
        emit_and_send(account, django_capture_on_commit_callbacks)
        for _ in range(5):
            webhook_deliver_due()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert len(receiver.requests) == 3


def test_an_unreachable_receiver_is_recorded_without_a_status(
    account, django_capture_on_commit_callbacks
):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    webhook = Webhook.objects.create(
        account=account, url=f"http://127.0.0.1:{port}/hook", secret=SECRET
    )
    emit_and_send(account, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("pending", 1, None)
    assert delivery.last_error.startswith("Could not connect")
    webhook.refresh_from_db()
    assert webhook.last_response_status is None and webhook.last_response_at is not None


def test_redirects_are_not_followed(account, django_capture_on_commit_callbacks):
    with Receiver(statuses=[302]) as receiver:
        hook_for(account, receiver)
        emit_and_send(account, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status) == ("pending", 302)
    assert len(receiver.requests) == 1


def test_an_attempt_held_by_another_worker_is_not_sent_again(account):
    with Receiver() as receiver:
        webhook = hook_for(account, receiver)
        delivery = WebhookDelivery.objects.create(
            webhook=webhook, event_id="1", body=b"{}", next_attempt_at=timezone.now()
        )
        # What a claim leaves behind: the attempt counted and the next one pushed past the lease.
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=2)
        )
        assert webhook_delivery_send(delivery_id=delivery.pk) == "skipped"
        assert webhook_deliver_due() == 0
    assert receiver.requests == []


def test_a_delivered_event_is_never_sent_twice(account, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        hook_for(account, receiver)
        emit_and_send(account, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get()
        assert webhook_delivery_send(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.requests) == 1


def test_a_webhook_disabled_before_the_send_fails_its_delivery_unsent(account):
    with Receiver() as receiver:
        webhook = hook_for(account, receiver)
        delivery = WebhookDelivery.objects.create(
            webhook=webhook, event_id="1", body=b"{}", next_attempt_at=timezone.now()
        )
        Webhook.objects.filter(pk=webhook.pk).update(is_active=False)
        assert webhook_delivery_send(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == ("failed", "The webhook is disabled.")
    assert receiver.requests == []


def test_a_delivery_past_a_lowered_attempt_limit_gives_up_without_a_send(account, settings):
    with Receiver() as receiver:
        webhook = hook_for(account, receiver)
        delivery = WebhookDelivery.objects.create(
            webhook=webhook,
            event_id="1",
            body=b"{}",
            next_attempt_at=timezone.now(),
            attempts=3,
            last_status=500,
            last_error="HTTP 500",
        )
        settings.CASTLESS_WEBHOOK_MAX_ATTEMPTS = 3
        assert webhook_delivery_send(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert (delivery.last_status, delivery.last_error) == (500, "HTTP 500")
    assert receiver.requests == []


def test_a_lease_that_ran_out_lets_the_next_worker_make_the_next_attempt(account):
    """A worker died mid-send: once its lease is past, the scan's worker sends attempt 2."""
    with Receiver() as receiver:
        webhook = hook_for(account, receiver)
        delivery = WebhookDelivery.objects.create(
            webhook=webhook,
            event_id="1",
            body=b"{}",
            attempts=1,
            next_attempt_at=timezone.now() - timedelta(seconds=1),
        )
        assert webhook_delivery_send(delivery_id=delivery.pk) == "delivered"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("delivered", 2, 204)
    assert len(receiver.requests) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_make_one_attempt(account):
    """Ten workers handed the same due delivery at once: the receiver sees exactly one POST."""
    require_postgres()
    with Receiver(delay=0.2) as receiver:
        webhook = hook_for(account, receiver)
        delivery = WebhookDelivery.objects.create(
            webhook=webhook, event_id="1", body=b"{}", next_attempt_at=timezone.now()
        )
        barrier = threading.Barrier(10)
        outcomes: list[str] = []

        def send():
            try:
                barrier.wait()
                outcomes.append(webhook_delivery_send(delivery_id=delivery.pk))
            finally:
                connection.close()

        threads = [threading.Thread(target=send) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(outcomes) == ["delivered"] + ["skipped"] * 9
    assert len(receiver.requests) == 1
