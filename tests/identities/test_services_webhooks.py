import hashlib
import hmac
import json
import socket
import ssl
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.utils import timezone

from identities.models import Webhook, WebhookDelivery
from identities.services.notifications import notification_emit
from identities.services.webhooks import (
    UnsafeWebhookUrl,
    webhook_deliver_due,
    webhook_delivery_send,
    webhook_signature_v2,
    webhook_url_addresses,
)
from tests.conftest import require_postgres

JOB = {"id_task": "job_abc", "job_id": "job_abc", "status": "completed"}
SECRET = "whsec_test-secret"


def verify_signature(secret: str, body: bytes, signature_header: str) -> bool:
    # The seed's receiver, verbatim.
    expected = "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature_header)


class Receiver:
    """A real HTTP server on 127.0.0.1 in a thread: records every POST and answers with the next
    of `statuses` (the last one repeats), optionally after `delay` seconds."""

    def __init__(self, statuses=(204,), delay: float = 0.0) -> None:
        self.statuses = list(statuses)
        self.delay = delay
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                time.sleep(receiver.delay)
                status = (
                    receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/castless"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def account(alice):
    return alice.membership.account


def _hook(account, receiver: Receiver) -> Webhook:
    return Webhook.objects.create(account=account, url=receiver.url, secret=SECRET)


def _emit(account, capture, name="completed"):
    with capture(execute=True):
        return notification_emit(account=account, name=name, data=JOB)


def test_a_delivery_is_signed_exactly_as_the_seed_receiver_verifies(
    account, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        webhook = _hook(account, receiver)
        notification = _emit(account, django_capture_on_commit_callbacks)
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
        _hook(account, receiver)
        _emit(account, django_capture_on_commit_callbacks)
    headers, body = receiver.requests[0]["headers"], receiver.requests[0]["body"]
    signed = f"{headers['X-Webhook-Id']}.{headers['X-Webhook-Timestamp']}.".encode() + body
    digest = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    assert headers["X-Webhook-Signature-V2"] == f"t={headers['X-Webhook-Timestamp']},v1={digest}"


def test_a_failing_receiver_gets_the_same_event_again_until_it_answers_2xx(
    account, settings, django_capture_on_commit_callbacks
):
    settings.CASTLESS_WEBHOOK_RETRY_DELAYS = [0]
    with Receiver(statuses=[500, 503, 204]) as receiver:
        webhook = _hook(account, receiver)
        _emit(account, django_capture_on_commit_callbacks)
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
        _hook(account, receiver)
        before = timezone.now()
        _emit(account, django_capture_on_commit_callbacks)
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
        _hook(account, receiver)
        _emit(account, django_capture_on_commit_callbacks)
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
    _emit(account, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("pending", 1, None)
    assert delivery.last_error.startswith("Could not connect")
    webhook.refresh_from_db()
    assert webhook.last_response_status is None and webhook.last_response_at is not None


def test_redirects_are_not_followed(account, django_capture_on_commit_callbacks):
    with Receiver(statuses=[302]) as receiver:
        _hook(account, receiver)
        _emit(account, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status) == ("pending", 302)
    assert len(receiver.requests) == 1


def test_an_attempt_held_by_another_worker_is_not_sent_again(account):
    with Receiver() as receiver:
        webhook = _hook(account, receiver)
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
        _hook(account, receiver)
        _emit(account, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get()
        assert webhook_delivery_send(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.requests) == 1


def test_a_webhook_disabled_before_the_send_fails_its_delivery_unsent(account):
    with Receiver() as receiver:
        webhook = _hook(account, receiver)
        delivery = WebhookDelivery.objects.create(
            webhook=webhook, event_id="1", body=b"{}", next_attempt_at=timezone.now()
        )
        Webhook.objects.filter(pk=webhook.pk).update(is_active=False)
        assert webhook_delivery_send(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == ("failed", "The webhook is disabled.")
    assert receiver.requests == []


def test_the_address_is_checked_again_at_delivery_time(
    account, settings, django_capture_on_commit_callbacks
):
    """DNS rebinding: the host was public when saved and now resolves to a private address."""
    with Receiver() as receiver:
        _hook(account, receiver)
        settings.CASTLESS_ALLOW_PRIVATE_WEBHOOKS = False
        _emit(account, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.last_status is None
    assert "private or reserved address" in delivery.last_error
    assert receiver.requests == []


def _self_signed(directory, hostname: str) -> tuple[str, str]:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


def test_https_goes_to_the_checked_address_and_verifies_the_real_name(
    account, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    """DNS rebinding: the name is resolved once, by us; the connection goes to that address
    while Host and TLS (SNI, certificate check) keep the real name."""
    cert, key = _self_signed(tmp_path, "rebind.test")
    trusted = ssl.create_default_context(cafile=cert)
    monkeypatch.setattr("identities.services.webhooks._tls_context", lambda: trusted)
    real_getaddrinfo, lookups = socket.getaddrinfo, []

    def getaddrinfo(host, *args, **kwargs):
        if host != "rebind.test":
            return real_getaddrinfo(host, *args, **kwargs)
        lookups.append(host)
        if len(lookups) > 1:  # an attacker's DNS would now answer with an internal address
            raise socket.gaierror("rebound")
        return real_getaddrinfo("127.0.0.1", *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with Receiver() as receiver:
        server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_side.load_cert_chain(cert, key)
        receiver.server.socket = server_side.wrap_socket(receiver.server.socket, server_side=True)
        port = receiver.server.server_port
        Webhook.objects.create(
            account=account, url=f"https://rebind.test:{port}/hooks/castless", secret=SECRET
        )
        _emit(account, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status) == ("delivered", 204)
    assert lookups == ["rebind.test"]
    (request,) = receiver.requests
    assert request["headers"]["Host"] == f"rebind.test:{port}"
    assert verify_signature(SECRET, request["body"], request["headers"]["X-Webhook-Signature"])


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/hook",
        "http://224.0.0.1/hook",
        "http://0.0.0.0/hook",
        "http://[::1]/hook",
        "http://[::ffff:10.0.0.1]/hook",
        "http://[fe80::1]/hook",
        "http://0x7f.1/hook",
    ],
)
def test_private_and_reserved_addresses_are_refused(settings, url):
    settings.CASTLESS_ALLOW_PRIVATE_WEBHOOKS = False
    with pytest.raises(UnsafeWebhookUrl):
        webhook_url_addresses(url=url)


def test_a_public_address_is_accepted_without_connecting(settings):
    settings.CASTLESS_ALLOW_PRIVATE_WEBHOOKS = False
    assert [str(a) for a in webhook_url_addresses(url="https://93.184.215.14:8443/x")] == [
        "93.184.215.14"
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_make_one_attempt(account):
    """Ten workers handed the same due delivery at once: the receiver sees exactly one POST."""
    require_postgres()
    with Receiver(delay=0.2) as receiver:
        webhook = _hook(account, receiver)
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
