"""The verify page and POST /api/v2/verify read any JPEG or PNG's credentials in plain words;
draft and identity pages link to it with a "Content credentials" badge."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from identities.provenance import NONE, TAMPERED, UNTRUSTED, VALID
from identities.provenance.devchain import dev_chain_ensure
from identities.selectors import draft_get_for
from identities.services.preprocessing import identity_preprocess
from identities.services.promotion import identity_promote
from tests.html import select, select_one, text_of
from tests.pipeline import run_job
from tests.provenance.conftest import jpeg

URL = "/verify/"


@pytest.fixture
def draft(account, django_capture_on_commit_callbacks):
    job = run_job(account, capture=django_capture_on_commit_callbacks, variations=1)
    return job.drafts.get()


@pytest.fixture
def signed(draft) -> bytes:
    with draft.image.open("rb") as handle:
        return handle.read()


def _tampered(data: bytes) -> bytes:
    # A byte in the middle of the entropy-coded scan: the pixels change, the manifest does not.
    changed = bytearray(data)
    middle = len(changed) - len(changed) // 4
    changed[middle] ^= 0x01
    return bytes(changed)


def _post(client, data: bytes, name="image.jpg", **headers):
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(reverse("identities:verify"), {"image": upload}, **headers)


def _facts(response) -> dict[str, str]:
    terms = [
        " ".join(t.get_text(" ").split()) for t in select(response, "[data-testid=verify-facts] dt")
    ]
    values = [
        " ".join(d.get_text(" ").split()) for d in select(response, "[data-testid=verify-facts] dd")
    ]
    return dict(zip(terms, values, strict=True))


def test_the_page_reads_a_castless_draft_in_plain_words(alice_client, draft, signed):
    response = _post(alice_client, signed)
    assert response.status_code == 200
    assert select_one(response, "[data-testid=verify-result]")["data-state"] == UNTRUSTED
    assert text_of(response, "[data-testid=verify-headline]") == (
        "Signed, but not by a trusted certificate"
    )
    facts = _facts(response)
    assert facts["Made by"].startswith("Castless ")
    assert facts["How"] == "Made by a generative AI model"
    assert facts["Engine"] == f"Offline illustration engine ({draft.engine})"
    assert facts["Job"] == draft.job.public_id
    assert "untrusted" in facts["Signed by"]
    assert select_one(response, "nav [aria-current=page]").get_text(strip=True) == "Verify"


def test_htmx_gets_the_panel_only(alice_client, signed):
    response = _post(alice_client, signed, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert select_one(response, "html") is None
    assert select_one(response, "#verify-panel [data-testid=verify-result]") is not None


def test_a_trusted_root_makes_the_signature_valid(alice_client, signed, settings):
    chain = dev_chain_ensure(directory=settings.CASTLESS_C2PA_DEV_DIR)
    settings.CASTLESS_C2PA_TRUST_ANCHORS = str(chain.root_path)
    response = _post(alice_client, signed)
    assert select_one(response, "[data-testid=verify-result]")["data-state"] == VALID
    assert text_of(response, "[data-testid=verify-headline]") == "Signature valid"


def test_a_changed_byte_reads_as_tampered(alice_client, signed):
    response = _post(alice_client, _tampered(signed))
    assert select_one(response, "[data-testid=verify-result]")["data-state"] == TAMPERED
    assert text_of(response, "[data-testid=verify-headline]") == "Tampered"


def test_an_image_without_credentials_reads_as_none(alice_client, adult_photo):
    response = _post(alice_client, adult_photo)
    assert select_one(response, "[data-testid=verify-result]")["data-state"] == NONE
    assert select(response, "[data-testid=verify-facts]") == []


def test_a_file_that_is_not_an_image_is_refused_next_to_the_field(alice_client):
    response = _post(alice_client, b"GIF89a not a jpeg", name="x.gif")
    assert response.status_code == 422
    assert "Only JPEG and PNG" in text_of(response, ".field.has-error .error")
    assert select(response, "[data-testid=verify-result]") == []


def test_the_page_needs_a_login(client):
    response = client.get(reverse("identities:verify"))
    assert response.status_code == 302


def test_the_draft_badge_opens_the_verify_page_on_that_draft(alice_client, draft):
    page = alice_client.get(reverse("identities:draft_detail", args=[draft.pk]))
    badge = select_one(page, "[data-testid=credentials-badge]")
    assert badge.get_text(strip=True) == "Content credentials"
    assert badge["href"] == f"{URL}?draft={draft.pk}"
    response = alice_client.get(badge["href"])
    assert response.status_code == 200
    assert text_of(response, ".verify-result h3") == f"Draft {draft.pk}"
    assert _facts(response)["Job"] == draft.job.public_id


def test_the_identity_badge_shows_its_credentials(
    alice_client, account, draft, django_capture_on_commit_callbacks
):
    identity, preprocessing = identity_promote(
        draft=draft_get_for(account=account, draft_id=draft.pk), user=None, enqueue=False
    )
    identity_preprocess(job_id=preprocessing.pk)
    page = alice_client.get(reverse("identities:identity_detail", args=[identity.code]))
    badge = select_one(page, "[data-testid=credentials-badge]")
    assert badge["href"] == f"{URL}?identity={identity.code}"
    response = alice_client.get(badge["href"])
    assert select_one(response, "[data-testid=verify-result]")["data-state"] == UNTRUSTED
    assert _facts(response)["Engine"].endswith(f"({identity.engine})")


def test_a_stranger_gets_404_for_another_accounts_draft(charlie_client, draft):
    assert charlie_client.get(f"{URL}?draft={draft.pk}").status_code == 404
    assert charlie_client.get(f"{URL}?draft=abc").status_code == 404


# --- API ----------------------------------------------------------------------------------------


def _api_post(client, data: bytes):
    return client.post("/api/v2/verify", {"file": SimpleUploadedFile("i.jpg", data)})


def test_the_api_returns_the_facts_and_the_state(alice_api, draft, signed):
    response = _api_post(alice_api, signed)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == UNTRUSTED
    assert body["product"].startswith("Castless ")
    assert (body["engine"], body["job_code"], body["identity_code"]) == (
        draft.engine,
        draft.job.public_id,
        None,
    )
    assert body["digital_source_type"].endswith("/trainedAlgorithmicMedia")
    assert {"label": "Job", "value": draft.job.public_id} in body["facts"]


def test_the_api_reports_tampering(alice_api, signed):
    body = _api_post(alice_api, _tampered(signed)).json()
    assert body["state"] == TAMPERED
    assert body["failures"]


def test_the_api_reads_a_png_without_credentials_as_none(alice_api, adult_photo):
    from PIL import Image

    buffer = io.BytesIO()
    Image.open(io.BytesIO(adult_photo)).save(buffer, "PNG")
    body = _api_post(alice_api, buffer.getvalue()).json()
    assert (body["state"], body["has_manifest"], body["facts"]) == (NONE, False, [])


def test_the_api_refuses_what_is_not_a_jpeg_or_png_naming_the_field(alice_api):
    response = _api_post(alice_api, b"not an image")
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "file"
    missing = alice_api.post("/api/v2/verify", {})
    assert missing.status_code == 400
    assert missing.json()["detail"][0]["field"] == "file"


def test_the_api_needs_a_token(client, signed):
    assert _api_post(client, signed).status_code == 401


def test_the_openapi_document_describes_verify(client, db):
    schema = client.get("/api/v2/openapi.json").json()
    operation = schema["paths"]["/api/v2/verify"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"200", "400", "401"} <= set(operation["responses"])


def test_a_stored_image_changed_since_signing_reads_as_tampered_on_the_page(alice_client, draft):
    with draft.image.open("rb") as handle:
        data = handle.read()
    with draft.image.open("wb") as handle:
        handle.write(_tampered(data))
    response = alice_client.get(f"{URL}?draft={draft.pk}")
    assert select_one(response, "[data-testid=verify-result]")["data-state"] == TAMPERED


def test_a_page_image_upload_with_no_credentials_shows_no_facts(alice_client):
    from PIL import Image

    response = _post(alice_client, jpeg(Image.new("RGB", (64, 64), "white")))
    assert select_one(response, "[data-testid=verify-result]")["data-state"] == NONE
