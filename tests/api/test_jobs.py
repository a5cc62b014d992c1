import pytest

from accounts.models import Account
from identities.models import Job
from tests.pipeline import SEED_003_BODY as SEED_BODY
from tests.pipeline import run_job


def _post(client, body, **kwargs):
    return client.post("/api/v2/identity/create", body, content_type="application/json", **kwargs)


def test_create_answers_202_with_the_seed_body(alice_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(alice_api, SEED_BODY)
    assert response.status_code == 202
    body = response.json()
    assert body["job_id"].startswith("job_")
    assert body == {
        "job_id": body["job_id"],
        "status": "pending",
        "num_instructions": 1,
        "total_variations": 3,
        "message": "Identity creation job dispatched: 1 instruction(s), 3 total variation(s)",
    }
    job = Job.objects.get(public_id=body["job_id"])
    assert job.status == Job.COMPLETED  # tasks ran in-process
    assert job.name == "Spring catalog model"


def test_status_and_results_follow_the_job(alice_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job_id = _post(alice_api, SEED_BODY).json()["job_id"]
    for path in (f"/api/v2/jobs/{job_id}", f"/api/v2/jobs/{job_id}/status"):
        status = alice_api.get(path).json()
        assert status["job_id"] == job_id
        assert status["job_type"] == "identity_creation"
        assert status["status"] == "completed"
        assert (status["progress"], status["total_images"], status["processed_images"]) == (
            100,
            3,
            3,
        )
        assert status["error_message"] is None
    results = alice_api.get(f"/api/v2/jobs/{job_id}/results").json()
    assert results["status"] == "completed"
    assert [r["image_index"] for r in results["results"]] == [0, 0, 0]
    assert len({r["image_result_id"] for r in results["results"]}) == 3
    url = results["results"][0]["url"]
    assert url.startswith("http://testserver/m/")


def test_results_are_partial_while_the_job_runs(alice_api):
    job_id = _post(alice_api, SEED_BODY).json()["job_id"]  # tasks not run: still pending
    results = alice_api.get(f"/api/v2/jobs/{job_id}/results").json()
    assert results == {
        "job_id": job_id,
        "job_type": "identity_creation",
        "status": "pending",
        "results": [],
    }
    status = alice_api.get(f"/api/v2/jobs/{job_id}").json()
    assert (status["progress"], status["processed_images"]) == (0, 0)


def test_a_draft_url_works_without_a_session_and_a_forged_one_does_not(
    alice_api, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        job_id = _post(alice_api, SEED_BODY).json()["job_id"]
    url = alice_api.get(f"/api/v2/jobs/{job_id}/results").json()["results"][0]["url"]
    path = url.removeprefix("http://testserver")
    image = client.get(path)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"
    assert client.get(path[:-3] + "xyz").status_code == 404


def test_another_accounts_job_is_404(alice_api, charlie_api):
    job_id = _post(alice_api, SEED_BODY).json()["job_id"]
    for path in (f"/api/v2/jobs/{job_id}", f"/api/v2/jobs/{job_id}/results"):
        response = charlie_api.get(path)
        assert response.status_code == 404
        assert response.json()["error"] == "Not found"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**SEED_BODY, "instructions": [SEED_BODY["instructions"][0]] * 6}, "instructions"),
        (
            {"instructions": [{**SEED_BODY["instructions"][0], "num_variations": 9}]},
            "instructions[0].num_variations",
        ),
        (
            {"instructions": [{**SEED_BODY["instructions"][0], "options": {"ar": "7:3"}}]},
            "instructions[0].options.ar",
        ),
        (
            {"instructions": [{**SEED_BODY["instructions"][0], "options": {"size": "8K"}}]},
            "instructions[0].options.size",
        ),
        (
            {"instructions": [{**SEED_BODY["instructions"][0], "options": {"format": "gif"}}]},
            "instructions[0].options.format",
        ),
        ({"instructions": [{"num_variations": 2}]}, "instructions[0]"),
        ({"instructions": [{"face": {"eye_colour": "blue"}}]}, "instructions[0].face.eye_colour"),
        (
            {"instructions": [{"appearance": {"age": "twenty"}, "num_variations": "2"}]},
            "instructions[0].num_variations",
        ),
    ],
)
def test_bad_requests_answer_400_naming_the_field_and_create_nothing(alice_api, body, field):
    response = _post(alice_api, body)
    assert response.status_code == 400
    payload = response.json()
    assert field in [d["field"] for d in payload["detail"]]
    assert all(d["position"] == "body" for d in payload["detail"])
    assert not Job.objects.exists()
    assert Account.objects.get(name="Alice Studio").credits_reserved == 0


def test_malformed_json_is_refused(alice_api):
    response = alice_api.post(
        "/api/v2/identity/create", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "Malformed JSON"


def test_a_real_person_in_the_prompt_is_refused_with_the_blocked_term(alice_api):
    body = {
        "instructions": [
            {"prompt": "A portrait that looks like Zendaya's cousin", "num_variations": 1}
        ]
    }
    response = _post(alice_api, body)
    assert response.status_code == 400
    assert response.json()["blocked_term"] == "Zendaya"
    assert response.json()["detail"][0]["field"] == "instructions[0].prompt"


def test_orbita_limits_are_enforced(alice_api):
    body = {
        "instructions": [{**SEED_BODY["instructions"][0], "options": {"size": "1K", "ar": "4:5"}}],
        "options": {"model": "orbita"},
    }
    response = _post(alice_api, body)
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "instructions[0].options.ar"


def test_402_carries_the_credit_amounts(alice_api, alice):
    Account.objects.filter(pk=alice.membership.account.pk).update(credit_balance=5)
    response = _post(alice_api, SEED_BODY)  # 3 × 2K in-house = 6
    assert response.status_code == 402
    assert response.json() == {
        "error": "Insufficient credits",
        "detail": [],
        "required_credits": 6,
        "in_progress_credits": 0,
        "user_credits": 5,
    }


def test_403_for_a_size_above_the_plan(charlie_api):
    response = _post(charlie_api, SEED_BODY)  # free plan, 2K
    assert response.status_code == 403
    assert response.json()["detail"][0]["field"] == "instructions[0].options.size"


def test_429_carries_retry_after(charlie_api):
    body = {
        **SEED_BODY,
        "instructions": [
            {**SEED_BODY["instructions"][0], "options": {"size": "1K"}, "num_variations": 1}
        ],
    }
    for _ in range(5):
        assert _post(charlie_api, body).status_code == 202
    response = _post(charlie_api, body)
    assert response.status_code == 429
    assert response["Retry-After"] == "30"


def test_503_when_the_feature_flag_is_off(alice_api):
    from identities.models import FeatureFlag

    FeatureFlag.objects.filter(name="identity_creation").update(enabled=False)
    response = _post(alice_api, SEED_BODY)
    assert response.status_code == 503
    assert "switched off" in response.json()["error"]


def test_promoting_another_accounts_draft_is_404_naming_the_field(
    alice, charlie_api, django_capture_on_commit_callbacks
):
    job = run_job(alice.membership.account, capture=django_capture_on_commit_callbacks)
    response = charlie_api.post(
        "/api/v2/identity/promote-generated",
        {"image_result_id": job.drafts.first().pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json() == {
        "error": "Not found",
        "detail": [
            {
                "field": "image_result_id",
                "message": "No draft with this id in your workspace.",
                "position": "body",
            }
        ],
    }
