"""API v1 (model-create compatible): POST /api/v1/run, GET /api/v1/status/{id}, the
reference's error body `{"error", "message"}` (plus the input's `field`) for every refusal."""

import json
from urllib.parse import urlsplit

import pytest
from django.test import Client

from accounts.models import Account
from identities.models import Identity, ImageRun

RUN = "/api/v1/run"


def post(client: Client, body, **headers):
    return client.post(RUN, data=json.dumps(body), content_type="application/json", **headers)


def run_body(**inputs) -> dict:
    return {"model_name": "model-create", "inputs": {"engine": "local", **inputs}}


def balance(account) -> tuple[int, int]:
    return tuple(
        Account.objects.filter(pk=account.pk).values_list("credit_balance", "credits_reserved")[0]
    )


@pytest.fixture
def api(alice_api, django_capture_on_commit_callbacks):
    """Alice's bearer client; each request's on-commit hooks (the run's task) run at once."""

    class Api:
        def post(self, body, **headers):
            with django_capture_on_commit_callbacks(execute=True):
                return post(alice_api, body, **headers)

        def get(self, path):
            return alice_api.get(path)

    return Api()


def test_a_run_answers_its_id_and_completes_with_images_and_similarities(api, identity, account):
    before = balance(account)[0]
    response = api.post(
        run_body(prompt="$model in a navy blazer", identity_code=identity.code, num_images=2)
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "error"} and body["error"] is None
    run = ImageRun.objects.get(public_id=body["id"])
    assert (run.identity, run.num_images, run.credits) == (identity, 2, 8)
    assert balance(account) == (before - 8, 0)  # reserved, then captured

    status = api.get(f"/api/v1/status/{body['id']}").json()
    assert status["id"] == body["id"] and status["status"] == "completed"
    assert status["error"] is None
    assert len(status["output"]) == 2 and len(status["face_similarity"]) == 2
    assert all(s is not None and s >= 0.6 for s in status["face_similarity"])
    image = api.get(urlsplit(status["output"][0]).path)
    assert image.status_code == 200
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")


def test_an_unknown_model_name_is_a_bad_request_and_creates_nothing(api, account):
    before = balance(account)
    response = api.post({"model_name": "tryon-v1.6", "inputs": {"prompt": "a model"}})
    assert response.status_code == 400
    assert response.json() == {
        "error": "BadRequest",
        "message": "model_name: Unknown model_name; this API serves 'model-create'.",
        "field": "model_name",
    }
    assert not ImageRun.objects.exists() and balance(account) == before


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"prompt": "a model", "num_images": 5}, "inputs.num_images"),
        ({"prompt": "a model", "aspect_ratio": "7:5"}, "inputs.aspect_ratio"),
        ({"prompt": "a model", "seed": 2**32}, "inputs.seed"),
        ({"prompt": "a woman smiling", "identity_code": "a" * 12}, "inputs.prompt"),
        ({"num_images": 1}, "inputs.prompt"),
        ({"prompt": "a model", "face_reference": "not-an-image"}, "inputs.face_reference"),
    ],
)
def test_bad_inputs_name_the_field_and_move_no_credit(api, account, inputs, field):
    before = balance(account)
    response = api.post(run_body(**inputs))
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "BadRequest" and body["field"] == field
    assert body["message"].startswith(f"{field}: ")
    assert not ImageRun.objects.exists() and balance(account) == before


def test_an_identity_of_another_account_is_not_found(api, charlie, account):
    stranger = Identity.objects.create(
        account=charlie.membership.account,
        name="Not yours",
        portrait="identities/x.png",
        preprocessing_status=Identity.COMPLETED,
    )
    response = api.post(run_body(prompt="$model smiling", identity_code=stranger.code))
    assert response.status_code == 404
    assert response.json()["error"] == "NotFound"
    assert response.json()["field"] == "inputs.identity_code"
    assert not ImageRun.objects.exists()


def test_an_identity_still_preprocessing_is_refused_with_its_field(api, identity, account):
    Identity.objects.filter(pk=identity.pk).update(preprocessing_status=Identity.PROCESSING)
    before = balance(account)
    response = api.post(run_body(prompt="$model smiling", identity_code=identity.code))
    assert response.status_code == 400
    assert response.json()["field"] == "inputs.identity_code"
    assert "still being prepared" in response.json()["message"]
    assert not ImageRun.objects.exists() and balance(account) == before


def test_a_missing_or_wrong_key_is_unauthorized(db):
    response = post(Client(), run_body(prompt="a model"))
    assert response.status_code == 401
    assert response.json()["error"] == "UnauthorizedAccess"
    assert set(response.json()) == {"error", "message"}
    wrong = Client(headers={"Authorization": "Bearer nope"}).get("/api/v1/status/run_x")
    assert wrong.status_code == 401 and wrong.json()["error"] == "UnauthorizedAccess"


def test_another_accounts_run_is_not_found(api, charlie_api):
    run_id = api.post(run_body(prompt="a model in a grey coat")).json()["id"]
    response = charlie_api.get(f"/api/v1/status/{run_id}")
    assert response.status_code == 404
    assert response.json() == {"error": "NotFound", "message": "No such run"}


def test_out_of_credits_is_the_references_429(api, account):
    Account.objects.filter(pk=account.pk).update(credit_balance=3)
    response = api.post(run_body(prompt="a model", resolution="4k", generation_mode="quality"))
    assert response.status_code == 429
    assert response.json() == {
        "error": "OutOfCredits",
        "message": "5 credits required, 3 available.",
    }
    assert not ImageRun.objects.exists() and balance(account) == (3, 0)


def test_the_same_idempotency_key_answers_the_first_run_again(api, account):
    body = run_body(prompt="a model in a trench coat")
    first = api.post(body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert ImageRun.objects.count() == 1
    other = api.post(run_body(prompt="another prompt"), HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422
    assert other.json()["error"] == "UnprocessableEntity"
    assert other.json()["field"] == "Idempotency-Key"


def test_a_signing_failure_fails_the_run_with_its_reason_and_refunds(api, account, settings):
    settings.CASTLESS_C2PA_SIGNER = ""
    settings.CASTLESS_C2PA_CERT_CHAIN = "/nonexistent/chain.pem"
    before = balance(account)
    run_id = api.post(run_body(prompt="a model in a red dress")).json()["id"]
    status = api.get(f"/api/v1/status/{run_id}").json()
    assert status["status"] == "failed" and status["output"] == []
    assert status["error"]["name"] == "PipelineError"
    assert status["error"]["message"].startswith("Content credentials could not be signed:")
    assert "/nonexistent/chain.pem" in status["error"]["message"]
    assert balance(account) == before
    assert not ImageRun.objects.get(public_id=run_id).outputs.exists()


def test_a_body_that_is_not_json_is_a_bad_request(alice_api):
    response = alice_api.post(RUN, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "BadRequest"
    assert response.json()["message"].startswith("The request body is not valid JSON")


def test_the_v1_openapi_document_lists_its_two_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert sorted(paths) == ["/api/v1/run", "/api/v1/status/{run_id}"]
