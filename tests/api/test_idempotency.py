"""Idempotency-Key on create and promote: a retried request gets the first answer again."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import Account
from identities.models import IdempotencyKey, Identity, Job
from identities.services.idempotency import idempotency_keys_purge
from tests.conftest import require_postgres
from tests.pipeline import SEED_003_BODY as SEED_BODY
from tests.pipeline import run_job

CREATE = "/api/v2/identity/create"
PROMOTE = "/api/v2/identity/promote-generated"


def _post(client, path, body, key=None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(path, body, content_type="application/json", headers=headers)


def test_a_retried_create_answers_the_first_job_again(alice_api, alice, charlie_api):
    first = _post(alice_api, CREATE, SEED_BODY, key="create-1")
    assert first.status_code == 202
    balance = Account.objects.get(pk=alice.membership.account.pk).credits_reserved
    again = _post(alice_api, CREATE, SEED_BODY, key='"create-1"')  # the draft's sf-string form
    assert again.status_code == 202
    assert again.json() == first.json()
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Idempotent-Replayed"] == "true"
    assert Job.objects.count() == 1
    assert Account.objects.get(pk=alice.membership.account.pk).credits_reserved == balance
    # Keys are per account: another workspace's same key is a new request.
    other = _post(charlie_api, CREATE, SEED_BODY, key="create-1")
    assert "Idempotent-Replayed" not in other
    assert other.json() != first.json()
    # Without a key every request is new.
    assert _post(alice_api, CREATE, SEED_BODY).json()["job_id"] != first.json()["job_id"]


def test_the_same_key_with_another_body_is_422(alice_api):
    assert _post(alice_api, CREATE, SEED_BODY, key="k").status_code == 202
    changed = {**SEED_BODY, "name": "Another name"}
    response = _post(alice_api, CREATE, changed, key="k")
    assert response.status_code == 422
    assert response.json()["error"] == "Idempotency key reused"
    assert response.json()["detail"][0] == {
        "field": "Idempotency-Key",
        "message": "This key was used for another request; use a new key for a new request.",
        "position": "header",
    }
    # Another endpoint with the key is another request too.
    assert _post(alice_api, PROMOTE, {"image_result_id": 1}, key="k").status_code == 422
    assert Job.objects.count() == 1


def test_a_retried_promotion_answers_the_first_identity_again(
    alice, alice_api, django_capture_on_commit_callbacks
):
    job = run_job(
        alice.membership.account, capture=django_capture_on_commit_callbacks, variations=1
    )
    body = {"image_result_id": job.drafts.get().pk, "name": "Nora"}
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(alice_api, PROMOTE, body, key="promote-1")
    assert first.status_code == 201
    again = _post(alice_api, PROMOTE, body, key="promote-1")
    assert (again.status_code, again.json()) == (201, first.json())
    assert Identity.objects.count() == 1
    # A new key is a new promotion: the draft is already promoted.
    assert _post(alice_api, PROMOTE, body, key="promote-2").status_code == 409


def test_refused_answers_are_replayed_but_try_again_later_ones_are_not(alice_api, settings):
    invalid = _post(alice_api, CREATE, {"instructions": []}, key="bad")
    assert invalid.status_code == 400
    assert _post(alice_api, CREATE, {"instructions": []}, key="bad").json() == invalid.json()
    settings.CASTLESS_CREATE_PER_MINUTE = 1
    assert _post(alice_api, CREATE, SEED_BODY, key="a").status_code == 202
    assert _post(alice_api, CREATE, SEED_BODY, key="b").status_code == 429
    settings.CASTLESS_CREATE_PER_MINUTE = 30
    assert _post(alice_api, CREATE, SEED_BODY, key="b").status_code == 202


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve"])
def test_a_malformed_key_is_a_400_naming_the_header(alice_api, key):
    response = _post(alice_api, CREATE, SEED_BODY, key=key)
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "Idempotency-Key"
    assert Job.objects.count() == 0


def test_an_unknown_token_with_a_key_is_401_and_stores_nothing(db):
    response = _post(Client(headers={"Authorization": "Bearer nope"}), CREATE, SEED_BODY, key="k")
    assert response.status_code == 401
    assert IdempotencyKey.objects.count() == 0


def test_keys_are_kept_a_day(alice_api, alice):
    first = _post(alice_api, CREATE, SEED_BODY, key="day")
    stored = IdempotencyKey.objects.get()
    assert (
        timedelta(hours=23, minutes=59)
        < stored.expires_at - stored.created_at
        <= timedelta(hours=24)
    )
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    later = _post(alice_api, CREATE, SEED_BODY, key="day")
    assert later.json()["job_id"] != first.json()["job_id"]  # expired: a new request
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert idempotency_keys_purge() == 1
    assert IdempotencyKey.objects.count() == 0


def test_the_openapi_document_names_the_header(alice_api):
    paths = alice_api.get("/api/v2/openapi.json").json()["paths"]
    for path in (CREATE, PROMOTE):
        names = [p["name"] for p in paths[path]["post"].get("parameters", [])]
        assert "Idempotency-Key" in names, path


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_request_with_the_same_key_is_409_until_the_first_answers(
    alice_token, monkeypatch
):
    require_postgres()
    import identities.api.jobs as jobs_api

    entered, release = threading.Event(), threading.Event()
    real_job_create = jobs_api.job_create

    def slow_job_create(**kwargs):
        entered.set()
        assert release.wait(20)
        return real_job_create(**kwargs, enqueue=False)

    monkeypatch.setattr(jobs_api, "job_create", slow_job_create)
    api = Client(headers={"Authorization": f"Bearer {alice_token}"})
    answers = {}

    def first():
        try:
            answers["first"] = _post(api, CREATE, SEED_BODY, key="race")
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert entered.wait(20)
    try:
        racing = _post(api, CREATE, SEED_BODY, key="race")
    finally:
        release.set()
        thread.join()
    assert racing.status_code == 409
    assert racing["Retry-After"] == "1"
    assert racing.json()["error"] == "Request in progress"
    assert answers["first"].status_code == 202
    retried = _post(api, CREATE, SEED_BODY, key="race")
    assert retried.json() == answers["first"].json()
    assert Job.objects.count() == 1
