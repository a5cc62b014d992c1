"""Hostile input at the JSON API's edge: always a 4xx naming the field, never a 500."""

import io

import pytest
from django.test import Client
from PIL import Image

from config.refusals import InvalidInput
from identities.services.uploads import asset_upload, asset_upload_start


def _post_raw(client: Client, path: str, raw: str):
    return client.post(path, raw, content_type="application/json")


def _fields(response) -> list:
    return [problem["field"] for problem in response.json()["detail"]]


@pytest.mark.parametrize("path", ["/api/v2/identity/create", "/api/v2/upload", "/api/v2/webhooks"])
def test_json_nested_thousands_deep_is_a_400(alice_api, path):
    raw = "[" * 100_000 + "]" * 100_000
    method = alice_api.put if path.endswith("webhooks") else alice_api.post
    response = method(path, raw, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "Malformed JSON"


@pytest.mark.parametrize(
    ("path", "raw", "field"),
    [
        ("/api/v2/upload", '{"filename": "a\\ud800.jpg"}', "filename"),
        (
            "/api/v2/identity/promote-generated",
            '{"image_result_id": 1, "name": "x\\ud800"}',
            "name",
        ),
        (
            "/api/v2/identity/create",
            '{"instructions": [{"prompt": "a model \\udfff in red"}]}',
            "instructions[0].prompt",
        ),
        (
            "/api/v2/identity/create",
            '{"brief": {"hair": {"colour": "\\ud800"}}}',
            "brief.hair.colour",
        ),
        ("/api/v2/upload", '{"filename\\ud800": "a.jpg"}', None),
    ],
)
def test_lone_surrogates_anywhere_in_json_are_a_400_naming_the_field(alice_api, path, raw, field):
    response = _post_raw(alice_api, path, raw)
    assert response.status_code == 400
    assert response.json()["error"] == "Validation error"
    assert _fields(response) == [field]
    assert "surrogate" in response.json()["detail"][0]["message"]


def test_lone_surrogate_in_a_schema_bound_body_is_a_400(alice_api):
    response = alice_api.put(
        "/api/v2/webhooks",
        '{"url": "https://example.com/\\ud800"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert _fields(response) == ["url"]


def test_lone_surrogate_in_an_upload_file_name_is_refused_by_the_service(alice):
    # Django's multipart parser already replaces undecodable file-name bytes; the upload
    # service refuses a surrogate however the name reached it (one step, two steps, web form).
    account = alice.membership.account
    with pytest.raises(InvalidInput) as refused:
        asset_upload(account=account, user=alice, filename="ref\ud800.jpg", data=b"x")
    assert [problem.field for problem in refused.value.problems] == ["filename"]
    with pytest.raises(InvalidInput):
        asset_upload_start(account=account, user=alice, filename="ref\udfff.png")


def test_undecodable_multipart_file_name_bytes_are_not_a_500(alice_api):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (1, 2, 3)).save(buffer, format="JPEG")
    body = (
        b'--BB\r\nContent-Disposition: form-data; name="file"; '
        b"filename*=UTF-8''ref%ED%A0%80.jpg\r\nContent-Type: image/jpeg\r\n\r\n"
        + buffer.getvalue()
        + b"\r\n--BB--\r\n"
    )
    response = alice_api.post(
        "/api/v2/upload", body, content_type="multipart/form-data; boundary=BB"
    )
    assert response.status_code == 201
    assert "\ufffd" in response.json()["filename"]


@pytest.mark.parametrize("debug", [True, False])
def test_a_body_over_the_limit_is_the_apis_413(alice_api, settings, debug):
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    raw = '{"filename": "' + "a" * 4096 + '.jpg"}'
    response = _post_raw(alice_api, "/api/v2/upload", raw)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"] == "Request too large"
    assert "2048" in body["detail"][0]["message"]


def test_a_webhook_url_that_does_not_parse_is_a_400(alice_api):
    for url in ("http://[::1", "http://[not-an-address]/", "https://exa mple.com:99999999/"):
        response = alice_api.put("/api/v2/webhooks", {"url": url}, content_type="application/json")
        assert response.status_code == 400, url
        assert _fields(response) == ["url"]


@pytest.mark.parametrize(
    "query", ["page=" + "1" + "0" * 40, "page=-1", "page=0", "per_page=1000", "page=1e400"]
)
def test_absurd_paging_is_a_400(alice_api, query):
    response = alice_api.get(f"/api/v2/identities?{query}")
    assert response.status_code == 400
    assert response.json()["detail"][0]["position"] == "query"
