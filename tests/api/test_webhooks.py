import json
from datetime import datetime

import pytest
from django.test import Client

from identities.models import Notification, Webhook, WebhookDelivery
from tests.notifications.webhooks.receiver import Receiver, verify_signature

SHAPE = {
    "id",
    "url",
    "secret",
    "is_active",
    "created_at",
    "updated_at",
    "last_response_status",
    "last_response_at",
}


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def _put(client: Client, url: str):
    return client.put("/api/v2/webhooks", {"url": url}, content_type="application/json")


def test_put_creates_the_webhook_and_shows_its_secret(alice_api, alice, receiver):
    response = _put(alice_api, receiver.url)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == SHAPE
    webhook = Webhook.objects.get(account=alice.membership.account)
    assert body["id"] == webhook.pk
    assert body["url"] == receiver.url
    assert body["secret"] == webhook.secret and body["secret"].startswith("whsec_")
    assert body["is_active"] is True
    assert body["last_response_status"] is None and body["last_response_at"] is None
    datetime.fromisoformat(body["created_at"])


def test_put_again_rotates_the_secret_and_answers_200(alice_api, receiver):
    first = _put(alice_api, receiver.url).json()
    second = _put(alice_api, receiver.url + "?v=2")
    assert second.status_code == 200
    assert second.json()["id"] == first["id"]
    assert second.json()["secret"] != first["secret"]
    assert second.json()["url"] == receiver.url + "?v=2"
    assert Webhook.objects.count() == 1


def test_get_shows_the_webhook_without_its_secret(alice_api, receiver):
    created = _put(alice_api, receiver.url).json()
    response = alice_api.get("/api/v2/webhooks")
    assert response.status_code == 200
    shown = response.json()
    assert set(shown) == SHAPE - {"secret"}
    assert {key: shown[key] for key in ("id", "url", "is_active", "created_at")} == {
        key: created[key] for key in ("id", "url", "is_active", "created_at")
    }


def test_get_without_a_webhook_gets_404(alice_api):
    assert alice_api.get("/api/v2/webhooks").status_code == 404


def test_delete_removes_the_webhook(alice_api, receiver):
    _put(alice_api, receiver.url)
    response = alice_api.delete("/api/v2/webhooks")
    assert response.status_code == 204
    assert not Webhook.objects.exists()
    assert alice_api.delete("/api/v2/webhooks").status_code == 404


def test_each_account_sees_only_its_own_webhook(alice_api, charlie_api, receiver):
    _put(alice_api, receiver.url)
    assert charlie_api.get("/api/v2/webhooks").status_code == 404
    assert charlie_api.delete("/api/v2/webhooks").status_code == 404
    assert Webhook.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_signed_ping_follows_each_save(alice_api, receiver):
    first = _put(alice_api, receiver.url).json()
    second = _put(alice_api, receiver.url).json()
    assert len(receiver.requests) == 2
    for request, saved in zip(receiver.requests, (first, second), strict=True):
        ping = json.loads(request["body"])
        assert ping["name"] == "ping" and ping["id"] is None
        assert ping["data"] == {"webhook_id": saved["id"], "url": receiver.url}
        assert request["headers"]["X-Webhook-Id"].startswith("ping_")
        assert verify_signature(
            saved["secret"], request["body"], request["headers"]["X-Webhook-Signature"]
        )
    # A delivery only: nothing for event streams to replay.
    assert not Notification.objects.exists()
    webhook = alice_api.get("/api/v2/webhooks").json()
    assert webhook["last_response_status"] == 204
    assert webhook["last_response_at"] is not None
    assert WebhookDelivery.objects.filter(status="delivered").count() == 2


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/hook", "http:// or https://"),
        ("example.com/hook", "http:// or https://"),
        ("https://", "no host"),
        ("https://example.com:99999/hook", "port"),
        ("https://" + "a" * 490 + ".com/", "longer than 500"),
        ("https://no-such-host.invalid/hook", "does not resolve"),
    ],
)
def test_a_url_that_cannot_receive_webhooks_gets_400_naming_url(alice_api, url, message):
    response = _put(alice_api, url)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Validation error"
    (detail,) = body["detail"]
    assert (detail["field"], detail["position"]) == ("url", "body")
    assert message in detail["message"]
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/hook", "http://localhost/hook", "http://10.0.0.8/hook"]
)
def test_a_private_url_is_refused_unless_allowed(alice_api, settings, url):
    settings.CASTLESS_ALLOW_PRIVATE_WEBHOOKS = False
    response = _put(alice_api, url)
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "url"
    assert "private or reserved" in response.json()["detail"][0]["message"]


def test_a_missing_url_gets_400_naming_url(alice_api):
    response = alice_api.put("/api/v2/webhooks", {}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "url"


def test_webhooks_need_a_token(db):
    assert Client().get("/api/v2/webhooks").status_code == 401
    response = Client().put(
        "/api/v2/webhooks", {"url": "https://example.com"}, content_type="application/json"
    )
    assert response.status_code == 401
