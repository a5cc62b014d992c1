"""POST /api/v2/identity/add-existing and GET /api/v2/identity/consent-statements."""

import hashlib
import uuid

import pytest

from accounts.models import Account
from identities.consent import STATEMENTS, VERSION
from identities.models import ConsentRecord, ExistingModelPhoto, Identity, Job, Notification
from tests.add_existing import photos
from tests.stylegan import needs_stylegan

URL = "/api/v2/identity/add-existing"


def _post(client, capture, body, headers=None):
    with capture(execute=True):
        return client.post(URL, body, content_type="application/json", headers=headers)


def _nothing_created(account):
    assert not Identity.objects.filter(account=account).exists()
    assert not ConsentRecord.objects.exists()
    assert not ExistingModelPhoto.objects.exists()
    assert not Job.objects.filter(account=account, job_type=Job.PREPROCESSING).exists()


def test_statements_list_the_current_version_and_every_key(alice_api):
    response = alice_api.get("/api/v2/identity/consent-statements")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == VERSION
    assert [item["key"] for item in body["statements"]] == [item.key for item in STATEMENTS]
    assert all(item["text"] for item in body["statements"])


def test_add_existing_answers_201_and_preprocesses_like_a_promotion(
    alice, alice_api, body, astronaut_pair, django_capture_on_commit_callbacks
):
    account = alice.membership.account
    before = Account.objects.get(pk=account.pk).credit_balance
    response = _post(
        alice_api,
        django_capture_on_commit_callbacks,
        body,
        headers={"User-Agent": "castless-tests/1"},
    )
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert answer["status"] == "pending"
    assert answer["preprocessing_job_id"].startswith("job_")
    identity = Identity.objects.get(code=answer["identity_code"])
    assert (identity.account, identity.name, identity.gender) == (account, "Eileen", "female")
    assert identity.age >= 27
    # The same preprocessing task as a promoted draft: embedding, face crop, thumbnail.
    assert identity.preprocessing_status == Identity.COMPLETED
    assert identity.embedding and identity.face_crop and identity.thumbnail
    job = alice_api.get(f"/api/v2/jobs/{answer['preprocessing_job_id']}").json()
    assert (job["job_type"], job["status"]) == ("identity_preprocessing", "completed")
    assert Account.objects.get(pk=account.pk).credit_balance == before - identity.credits_charged
    record = identity.consent
    near, far = astronaut_pair
    assert record.statements_version == VERSION
    assert record.accepted_keys == [item.key for item in STATEMENTS]
    assert [item["text"] for item in record.statements] == [item.text for item in STATEMENTS]
    assert (record.accepted_by, record.accepted_by_email) == (alice, "alice@brand.test")
    assert record.ip_address == "127.0.0.1"
    assert record.user_agent == "castless-tests/1"
    kinds = {photo.kind: photo.sha256 for photo in identity.source_photos.all()}
    assert kinds == {"close_up": record.close_up_sha256, "full_body": record.full_body_sha256}
    assert record.close_up_sha256 == hashlib.sha256(near.file.read()).hexdigest()
    statuses = [
        event.data["status"]
        for event in Notification.objects.filter(account=account, name="identity_preprocessing")
    ]
    assert statuses == ["processing", "completed"]


def test_a_missing_statement_is_named_and_nothing_is_created(
    alice, alice_api, body, django_capture_on_commit_callbacks
):
    body["consent"]["accepted"] = [item.key for item in STATEMENTS if item.key != "withdrawal"]
    response = _post(alice_api, django_capture_on_commit_callbacks, body)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert [problem["field"] for problem in detail] == ["consent.accepted"]
    assert "'withdrawal' must be accepted" in detail[0]["message"]
    _nothing_created(alice.membership.account)


def test_an_old_statements_version_is_refused(
    alice, alice_api, body, django_capture_on_commit_callbacks
):
    body["consent"]["version"] = "2020-01-01"
    response = _post(alice_api, django_capture_on_commit_callbacks, body)
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "consent.version"
    _nothing_created(alice.membership.account)


def test_two_different_people_are_refused(
    alice, alice_api, body, upload, django_capture_on_commit_callbacks
):
    other = upload(alice, photos.full_body(photos.hanks(), scale=3), "hanks.jpg")
    body["full_body"] = {"file_id": str(other.file_id)}
    response = _post(alice_api, django_capture_on_commit_callbacks, body)
    assert response.status_code == 400
    problem = response.json()["detail"][0]
    assert problem["field"] == "full_body.file_id"
    assert "do not show the same person" in problem["message"]
    _nothing_created(alice.membership.account)


@pytest.mark.parametrize(
    ("field", "image", "words"),
    [
        ("close_up", photos.blank, "No face found in the close-up"),
        ("full_body", photos.group_full_body, "shows 6 faces"),
        ("close_up", photos.astronaut_full_body, "at least 112 px"),
    ],
)
def test_a_photo_without_one_usable_face_is_refused(
    alice, alice_api, body, upload, field, image, words, django_capture_on_commit_callbacks
):
    body[field] = {"file_id": str(upload(alice, image()).file_id)}
    response = _post(alice_api, django_capture_on_commit_callbacks, body)
    assert response.status_code == 400
    problem = response.json()["detail"][0]
    assert problem["field"] == f"{field}.file_id"
    assert words in problem["message"]
    _nothing_created(alice.membership.account)


@needs_stylegan
def test_a_person_who_may_be_a_minor_is_refused_plainly(
    alice, alice_api, body, upload, django_capture_on_commit_callbacks
):
    body["close_up"] = {"file_id": str(upload(alice, photos.child_close_up()).file_id)}
    body["full_body"] = {"file_id": str(upload(alice, photos.child_full_body()).file_id)}
    response = _post(alice_api, django_capture_on_commit_callbacks, body)
    assert response.status_code == 400
    problem = response.json()["detail"][0]
    assert problem["field"] == "close_up.file_id"
    assert "may be under 18" in problem["message"]
    assert "no way to override" in problem["message"]
    _nothing_created(alice.membership.account)


def test_another_accounts_upload_is_404(
    alice, charlie, alice_api, body, upload, django_capture_on_commit_callbacks
):
    theirs = upload(charlie, photos.astronaut_close_up())
    body["close_up"] = {"file_id": str(theirs.file_id)}
    response = _post(alice_api, django_capture_on_commit_callbacks, body)
    assert response.status_code == 404
    assert response.json()["detail"][0]["field"] == "close_up.file_id"
    body["close_up"] = {"file_id": str(uuid.uuid4())}
    assert _post(alice_api, django_capture_on_commit_callbacks, body).status_code == 404
    _nothing_created(alice.membership.account)


def test_the_free_plan_is_refused_with_403(
    charlie, charlie_api, body, django_capture_on_commit_callbacks
):
    response = _post(charlie_api, django_capture_on_commit_callbacks, body)
    assert response.status_code == 403
    assert "Pro or Enterprise" in response.json()["error"]
    _nothing_created(charlie.membership.account)


def test_the_name_rule_and_a_taken_name(alice, alice_api, body, django_capture_on_commit_callbacks):
    body["name"] = "Bad\u200bname"
    response = _post(alice_api, django_capture_on_commit_callbacks, body)
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "name"
    body["name"] = "Eileen"
    assert _post(alice_api, django_capture_on_commit_callbacks, body).status_code == 201
    again = _post(alice_api, django_capture_on_commit_callbacks, body)
    assert again.status_code == 409
    assert Identity.objects.filter(account=alice.membership.account).count() == 1


def test_full_slots_answer_429_and_create_nothing(
    alice, alice_api, body, django_capture_on_commit_callbacks
):
    plan = alice.membership.account.plan
    plan.identity_slots = 0
    plan.save()
    response = _post(alice_api, django_capture_on_commit_callbacks, body)
    assert response.status_code == 429
    assert response.json()["identity_slots"] == 0
    _nothing_created(alice.membership.account)


def test_too_few_credits_answer_402_and_create_nothing(
    alice, alice_api, body, django_capture_on_commit_callbacks
):
    Account.objects.filter(pk=alice.membership.account.pk).update(credit_balance=0)
    response = _post(alice_api, django_capture_on_commit_callbacks, body)
    assert response.status_code == 402
    _nothing_created(alice.membership.account)


def test_an_idempotency_key_replays_the_first_answer(
    alice, alice_api, body, django_capture_on_commit_callbacks
):
    key = {"Idempotency-Key": "add-eileen-1"}
    first = _post(alice_api, django_capture_on_commit_callbacks, body, key)
    second = _post(alice_api, django_capture_on_commit_callbacks, body, key)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Identity.objects.filter(account=alice.membership.account).count() == 1


def test_the_openapi_document_describes_the_operation(client, db):
    document = client.get("/api/v2/openapi.json").json()
    operation = document["paths"]["/api/v2/identity/add-existing"]["post"]
    assert {"201", "400", "402", "403", "404", "409", "429"} <= set(operation["responses"])
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["consent"]["properties"]["version"]["enum"] == [VERSION]
    assert "/api/v2/identity/consent-statements" in document["paths"]
