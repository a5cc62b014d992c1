import io

from PIL import Image

from identities.models import UploadedAsset


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
