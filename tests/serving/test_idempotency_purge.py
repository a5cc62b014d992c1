"""The reaper's sweep deletes idempotency keys a day old, for every account, and keeps the rest."""

from datetime import timedelta

from django.utils import timezone

from identities.models import IdempotencyKey
from identities.services.jobs.reaping import abandoned_work_reap

CREATE = "/api/v2/identity/create"
BODY = {
    "instructions": [
        {
            "appearance": {"gender": "female", "age": 30},
            "num_variations": 1,
            "options": {"size": "1K"},
        }
    ],
    "options": {"model": "local"},
}


def _create(client, key: str):
    response = client.post(
        CREATE, BODY, content_type="application/json", headers={"Idempotency-Key": key}
    )
    assert response.status_code == 202, response.content
    return response


def test_the_sweep_purges_keys_older_than_a_day_of_every_account(alice_api, charlie_api):
    _create(alice_api, "alice-old")
    _create(alice_api, "alice-new")
    _create(charlie_api, "charlie-old")
    stored = IdempotencyKey.objects.get(key="alice-new")
    assert timedelta(hours=23, minutes=59) < stored.expires_at - stored.created_at

    now = timezone.now()
    IdempotencyKey.objects.filter(key__endswith="-old").update(
        created_at=now - timedelta(hours=25), expires_at=now - timedelta(hours=1)
    )
    assert abandoned_work_reap(now=now)["idempotency_keys"] == 2
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["alice-new"]


def test_a_key_expires_exactly_a_day_after_it_was_stored(alice_api):
    _create(alice_api, "day")
    stored = IdempotencyKey.objects.get()
    assert (
        abandoned_work_reap(now=stored.expires_at - timedelta(seconds=1))["idempotency_keys"] == 0
    )
    assert abandoned_work_reap(now=stored.expires_at)["idempotency_keys"] == 1
    assert not IdempotencyKey.objects.exists()


def test_a_purged_key_answers_a_new_request(alice_api):
    first = _create(alice_api, "again")
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    abandoned_work_reap()
    second = _create(alice_api, "again")
    assert second.json()["job_id"] != first.json()["job_id"]
    assert "Idempotent-Replayed" not in second.headers
