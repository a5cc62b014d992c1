import socket

import httpx
import pytest

from identities.engines import http
from identities.engines.base import EngineError
from identities.engines.http import (
    BACKOFF_CAP_SECONDS,
    RetryPolicy,
    backoff_delay,
    decode_data_uri,
    download_image,
    error_detail,
    make_client,
    send,
)
from tests.identities.fakes.images import image_bytes
from tests.identities.fakes.seedream import FakeSeedream
from tests.identities.fakes.server import Reply

_NO_RETRY = RetryPolicy(max_retries=0, sleep=lambda _: None)


def _reply(status: int, body: bytes, content_type: str = "application/json") -> http.Reply:
    return http.Reply(status, httpx.Headers({"content-type": content_type}), body, "http://x/")


def test_backoff_doubles_with_jitter_and_is_capped():
    for attempt, nominal in enumerate([1, 2, 4, 8, 16]):
        assert nominal * 0.8 <= backoff_delay(attempt) <= nominal * 1.2
    assert backoff_delay(12) <= BACKOFF_CAP_SECONDS


def test_backoff_honours_retry_after_up_to_the_cap():
    assert backoff_delay(0, retry_after=7) == 7
    assert backoff_delay(0, retry_after=3600) == BACKOFF_CAP_SECONDS


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            b'{"error": {"code": 429, "message": "Quota", "status": "RESOURCE_EXHAUSTED"}}',
            ("RESOURCE_EXHAUSTED", "Quota"),
        ),
        (
            b'{"error": {"code": "QuotaExceeded", "message": "used up", "type": "Quota"}}',
            ("QuotaExceeded", "used up"),
        ),
        (
            b'{"error": "OutOfCredits", "message": "No API credits remaining"}',
            ("OutOfCredits", "No API credits remaining"),
        ),
        (b"<html>Bad Gateway</html>", ("", "<html>Bad Gateway</html>")),
    ],
    ids=["google", "seedream", "model-create", "html"],
)
def test_error_bodies_of_every_vendor_are_read(body, expected):
    assert error_detail(_reply(500, body)) == expected


def test_unreachable_engine_is_retried_then_unavailable():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sleeps = []

    with pytest.raises(EngineError) as caught, make_client(timeout=2) as client:
        send(
            client,
            "POST",
            f"http://127.0.0.1:{port}/v1/run",
            engine="model_create",
            retry=RetryPolicy(max_retries=2, sleep=sleeps.append),
        )

    assert caught.value.kind == "unavailable" and caught.value.retryable
    assert len(sleeps) == 2


def test_a_malformed_base_url_is_a_config_error():
    with pytest.raises(EngineError) as caught, make_client() as client:
        send(
            client,
            "GET",
            "ftp://example.invalid/x",
            engine="seedream",
            retry=_NO_RETRY,
        )

    assert caught.value.kind == "config"


def test_output_urls_must_be_https_or_the_engines_own_origin():
    with pytest.raises(EngineError) as caught, make_client() as client:
        download_image(
            client,
            "http://169.254.169.254/latest/meta-data",
            engine="seedream",
            retry=_NO_RETRY,
            base_url="https://ark.example.com",
        )

    assert caught.value.kind == "bad_response"


@pytest.mark.parametrize(
    "uri", ["data:text/html;base64,PGh0bWw+", "data:image/png,rawbytes", "https://cdn/x.png"]
)
def test_only_base64_image_data_uris_are_accepted(uri):
    with pytest.raises(EngineError) as caught:
        decode_data_uri(uri, engine="model_create")

    assert caught.value.kind == "bad_response"


def test_oversized_replies_are_cut_off(monkeypatch):
    monkeypatch.setattr(http, "MAX_RESPONSE_BYTES", 10)

    with FakeSeedream() as fake, make_client() as client, pytest.raises(EngineError) as caught:
        url = fake.serve_file("big.png", Reply.raw(b"x" * 100, "image/png"))
        send(client, "GET", url, engine="seedream", retry=_NO_RETRY)

    assert caught.value.kind == "bad_response" and "too large" in caught.value.message


def test_output_redirects_are_followed_but_checked_at_every_hop():
    with FakeSeedream() as fake, make_client() as client:
        fake.serve_file("final.png", Reply.raw(image_bytes(8, 8), "image/png"))
        hop = fake.serve_file("hop", Reply(status=302, headers={"Location": "/files/final.png"}))
        evil = fake.serve_file(
            "evil", Reply(status=302, headers={"Location": "http://169.254.169.254/"})
        )

        assert download_image(
            client, hop, engine="seedream", retry=_NO_RETRY, base_url=fake.base_url
        ) == image_bytes(8, 8)
        with pytest.raises(EngineError) as caught:
            download_image(client, evil, engine="seedream", retry=_NO_RETRY, base_url=fake.base_url)

    assert caught.value.kind == "bad_response"
