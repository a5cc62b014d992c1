"""Media goes through Django's storage API, so S3 works: round-trip an image through
django-storages' S3 backend against a local S3 server (moto) started by the test."""

import io
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import httpx
import pytest
from django.core.files.base import ContentFile
from PIL import Image
from storages.backends.s3 import S3Storage


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    moto = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    process = subprocess.Popen(
        [moto, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(endpoint, timeout=0.5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("moto_server did not start")
        yield endpoint
    finally:
        process.terminate()
        process.wait(10)


def test_an_image_round_trips_through_the_s3_backend(s3_endpoint):
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1", **credentials
    ).create_bucket(Bucket="castless-test")
    storage = S3Storage(
        bucket_name="castless-test",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        access_key="test",
        secret_key="test",
        addressing_style="path",
        signature_version="s3v4",
        querystring_auth=True,
        querystring_expire=300,
        file_overwrite=False,
        default_acl=None,
    )
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 90)).save(buffer, format="PNG")
    original = buffer.getvalue()

    name = storage.save("drafts/probe.png", ContentFile(original))
    assert storage.exists(name)
    with storage.open(name) as handle:
        assert handle.read() == original

    # The URL is presigned: it works without credentials, and expires.
    url = storage.url(name)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    fetched = httpx.get(url)
    assert fetched.status_code == 200
    assert fetched.content == original
    assert Image.open(io.BytesIO(fetched.content)).size == (64, 48)
    # Without the signature, nothing.
    assert httpx.get(url.split("?")[0]).status_code == 403

    storage.delete(name)
    assert not storage.exists(name)
