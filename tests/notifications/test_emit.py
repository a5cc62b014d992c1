import json

import pytest
from django.db import transaction
from django.http import Http404

from identities.models import Notification, Webhook, WebhookDelivery
from identities.notifications.emit import notification_delete, notification_emit
from identities.notifications.events import notification_event

JOB = {"id_task": "job_abc", "job_id": "job_abc", "status": "completed"}


@pytest.fixture
def webhook(account):
    return Webhook.objects.create(account=account, url="http://127.0.0.1:9/hook", secret="whsec_t")


def test_emit_stores_the_event_in_the_seed_shape(account):
    notification = notification_emit(account=account, name="completed", data=JOB)
    stored = Notification.objects.get()
    assert stored.pk == notification.pk
    event = notification_event(notification=stored)
    assert event == {
        "id": notification.pk,
        "name": "completed",
        "data": JOB,
        "timestamp": stored.created_at.timestamp(),
    }
    assert isinstance(event["timestamp"], float)


def test_emit_without_a_webhook_queues_no_delivery(account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        notification_emit(account=account, name="completed", data=JOB)
    assert callbacks == []
    assert not WebhookDelivery.objects.exists()


def test_emit_queues_the_same_body_for_the_accounts_webhook_after_commit(
    account, webhook, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        notification = notification_emit(account=account, name="error", data=JOB)
    assert len(callbacks) == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.webhook == webhook
    assert delivery.event_id == str(notification.pk)
    assert delivery.status == WebhookDelivery.PENDING
    assert json.loads(bytes(delivery.body)) == notification_event(notification=notification)


def test_an_inactive_webhook_gets_no_delivery(account, webhook):
    Webhook.objects.filter(pk=webhook.pk).update(is_active=False)
    notification_emit(account=account, name="completed", data=JOB)
    assert not WebhookDelivery.objects.exists()


def test_a_rolled_back_emit_stores_nothing_and_sends_nothing(
    account, webhook, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(KeyError),
        transaction.atomic(),
    ):
        notification_emit(account=account, name="completed", data=JOB)
        raise KeyError("the job update failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize("name", ["", "x" * 41])
def test_emit_refuses_a_name_the_table_cannot_hold(account, name):
    with pytest.raises(ValueError):
        notification_emit(account=account, name=name, data=JOB)


def test_delete_dismisses_the_notification_once(account):
    notification = notification_emit(account=account, name="completed", data=JOB)
    notification_delete(account=account, notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.deleted_at is not None
    with pytest.raises(Http404):
        notification_delete(account=account, notification_id=notification.pk)


def test_another_account_cannot_delete_the_notification(account, charlie):
    notification = notification_emit(account=account, name="completed", data=JOB)
    with pytest.raises(Http404):
        notification_delete(account=charlie.membership.account, notification_id=notification.pk)
    with pytest.raises(Http404):
        notification_delete(account=account, notification_id=notification.pk + 1000)
    notification.refresh_from_db()
    assert notification.deleted_at is None
