import io
import threading

import pytest
from django.db import connection
from django.test import Client
from PIL import Image

from identities.models import UploadedAsset
from tests.conftest import require_postgres


def _jpeg(size=(320, 400), exif=True) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (180, 120, 90))
    kwargs = {}
    if exif:
        info = Image.Exif()
        info[0x010F] = "SecretCam"  # Make
        kwargs["exif"] = info.tobytes()
    image.save(buffer, format="JPEG", **kwargs)
    return buffer.getvalue()


def test_one_step_multipart_upload(alice_api, alice):
    upload = io.BytesIO(_jpeg())
    upload.name = "reference.jpg"
    response = alice_api.post("/api/v2/upload", {"file": upload})
    assert response.status_code == 201
    body = response.json()
    asset = UploadedAsset.objects.get(file_id=body["file_id"])
    assert asset.account == alice.membership.account
    assert (body["width"], body["height"], body["content_type"]) == (320, 400, "image/jpeg")
    assert b"SecretCam" not in asset.file.read()  # re-encoded: camera metadata dropped


def test_two_step_upload_as_the_seed_describes(alice_api, client):
    start = alice_api.post(
        "/api/v2/upload", {"filename": "ref.png"}, content_type="application/json"
    )
    assert start.status_code == 200
    body = start.json()
    assert set(body) == {"file_id", "upload_url", "content_type"}
    assert body["content_type"] == "image/png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (1, 2, 3)).save(buffer, format="PNG")
    put = client.put(
        body["upload_url"].removeprefix("http://testserver"),
        buffer.getvalue(),
        content_type="image/png",
    )
    assert put.status_code == 201
    assert put.json()["file_id"] == body["file_id"]
    assert UploadedAsset.objects.get(file_id=body["file_id"]).status == UploadedAsset.READY
    again = client.put(
        body["upload_url"].removeprefix("http://testserver"),
        buffer.getvalue(),
        content_type="image/png",
    )
    assert again.status_code == 409


def test_a_forged_upload_url_is_refused(client, db):
    response = client.put("/api/v2/upload/content/forged-token", b"xx", content_type="image/png")
    assert response.status_code == 403


def test_not_an_image_is_refused_and_nothing_is_stored(alice_api):
    upload = io.BytesIO(b"hello, I am text")
    upload.name = "notes.jpg"
    response = alice_api.post("/api/v2/upload", {"file": upload})
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "file"
    assert not UploadedAsset.objects.exists()


def test_a_wrong_extension_is_refused(alice_api):
    response = alice_api.post(
        "/api/v2/upload", {"filename": "model.gif"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "filename"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_concurrent_puts_to_one_upload_url_store_one_file(alice_token, tmp_path):
    require_postgres()
    api = Client(headers={"Authorization": f"Bearer {alice_token}"})
    start = api.post("/api/v2/upload", {"filename": "ref.png"}, content_type="application/json")
    path = start.json()["upload_url"].removeprefix("http://testserver")
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (9, 8, 7)).save(buffer, format="PNG")
    barrier = threading.Barrier(4)
    statuses = []
    lock = threading.Lock()

    def put():
        try:
            barrier.wait()
            status = Client().put(path, buffer.getvalue(), content_type="image/png").status_code
        finally:
            connection.close()
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=put) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409, 409, 409]
    asset = UploadedAsset.objects.get(file_id=start.json()["file_id"])
    stored = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [asset.file.name.rsplit("/", 1)[-1]]


def test_uploads_beyond_the_per_minute_limit_answer_429_with_retry_after(
    alice_api, charlie_api, settings
):
    settings.CASTLESS_UPLOAD_PER_MINUTE = 2
    for _ in range(2):
        start = alice_api.post(
            "/api/v2/upload", {"filename": "ref.png"}, content_type="application/json"
        )
        assert start.status_code == 200
    upload = io.BytesIO(_jpeg())
    upload.name = "reference.jpg"
    refused = alice_api.post("/api/v2/upload", {"file": upload})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert refused.json()["retry_after"] == int(refused["Retry-After"])
    assert UploadedAsset.objects.count() == 2
    # Per account: another workspace is not slowed down.
    other = charlie_api.post(
        "/api/v2/upload", {"filename": "ref.png"}, content_type="application/json"
    )
    assert other.status_code == 200
