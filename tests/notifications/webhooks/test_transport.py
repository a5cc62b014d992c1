import socket
import ssl

import pytest

from identities.models import Webhook, WebhookDelivery
from identities.notifications.webhooks.transport import UnsafeWebhookUrl, webhook_url_addresses
from tests.notifications.webhooks.receiver import (
    SECRET,
    Receiver,
    emit_and_send,
    hook_for,
    verify_signature,
)


def test_the_address_is_checked_again_at_delivery_time(
    account, settings, django_capture_on_commit_callbacks
):
    """DNS rebinding: the host was public when saved and now resolves to a private address."""
    with Receiver() as receiver:
        hook_for(account, receiver)
        settings.CASTLESS_ALLOW_PRIVATE_WEBHOOKS = False
        emit_and_send(account, django_capture_on_commit_callbacks)
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
    monkeypatch.setattr("identities.notifications.webhooks.transport._tls_context", lambda: trusted)
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
        emit_and_send(account, django_capture_on_commit_callbacks)
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
