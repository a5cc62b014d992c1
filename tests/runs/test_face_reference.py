"""A bare face_reference (the reference's own input, no identity): priced +3 per image, capped at
2k as seed 002 says, sent to an engine that can lock an uploaded face; similarity is null when
the output shows no face; the reference image is not kept once the run ended."""

import base64
import json

import pytest

from accounts.models import Account
from identities.models import ImageRun
from tests.add_existing import photos
from tests.identities.fakes.modelcreate import FakeModelCreate


@pytest.fixture
def model_create(settings):
    with FakeModelCreate() as fake:
        settings.CASTLESS_MODELCREATE_API_KEY = fake.API_KEY
        settings.CASTLESS_MODELCREATE_BASE_URL = fake.base_url
        settings.CASTLESS_MODELCREATE_POLL_SECONDS = 0.05
        settings.CASTLESS_ENGINE_TIMEOUT_SECONDS = 5.0
        yield fake
        assert fake.problems == []


def adult_face() -> str:
    """A real adult's photo (scikit-image's astronaut, public domain), as a data-URI."""
    return (
        "data:image/jpeg;base64,"
        + base64.b64encode(photos.jpeg(photos.astronaut_close_up())).decode()
    )


def test_a_face_reference_on_4k_is_capped_at_2k_and_priced_so(
    alice_api, alice, model_create, django_capture_on_commit_callbacks
):
    face = adult_face()
    body = {
        "model_name": "model-create",
        "inputs": {"prompt": "woman in a camel coat", "face_reference": face, "resolution": "4k"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.post("/api/v1/run", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    run = ImageRun.objects.get(public_id=response.json()["id"])
    # automatic at 2k is quality (4) + 3 for the face.
    assert (run.resolution, run.generation_mode, run.credits) == ("2k", "quality", 7)
    assert run.engine == "model_create" and run.face_locked
    assert run.inputs["face_reference"] == "data-uri" and run.references == {}
    status = alice_api.get(f"/api/v1/status/{run.public_id}").json()
    assert status["error"] is None, status
    (sent,) = model_create.calls("run")
    assert sent.json()["inputs"]["face_reference"].startswith("data:image/")
    assert status["status"] == "completed"
    assert status["face_similarity"] == [None]  # the vendor's flat test image shows no face


def test_a_face_reference_no_configured_engine_can_lock_is_refused(alice_api, alice):
    face = adult_face()
    body = {"model_name": "model-create", "inputs": {"prompt": "a woman", "face_reference": face}}
    response = alice_api.post("/api/v1/run", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "inputs.face_reference"
    assert "No configured engine can serve this request" in response.json()["message"]
    assert not ImageRun.objects.exists()


def test_a_face_reference_that_may_show_a_minor_fails_the_run_and_refunds(
    alice_api, alice, model_create, django_capture_on_commit_callbacks
):
    face = (
        "data:image/jpeg;base64," + base64.b64encode(photos.jpeg(photos.child_close_up())).decode()
    )
    body = {"model_name": "model-create", "inputs": {"prompt": "a person", "face_reference": face}}
    before = Account.objects.get(pk=alice.membership.account.pk).credit_balance
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.post("/api/v1/run", json.dumps(body), content_type="application/json")
    status = alice_api.get(f"/api/v1/status/{response.json()['id']}").json()
    assert status["status"] == "failed"
    assert status["error"]["name"] == "InputValidationError"
    assert status["error"]["message"].startswith("face_reference: This person may be under 18.")
    assert model_create.calls("run") == []
    assert Account.objects.get(pk=alice.membership.account.pk).credit_balance == before
