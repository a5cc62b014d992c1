import pytest

from identities.models import Identity
from identities.services.library import catalog_publish
from tests.pipeline import run_job


@pytest.fixture
def drafts(alice, django_capture_on_commit_callbacks):
    job = run_job(
        alice.membership.account, capture=django_capture_on_commit_callbacks, variations=3
    )
    return list(job.drafts.order_by("variation"))


def _promote(client, capture, **body):
    with capture(execute=True):
        return client.post(
            "/api/v2/identity/promote-generated", body, content_type="application/json"
        )


def test_promote_answers_201_then_409_with_the_same_code(
    alice_api, drafts, django_capture_on_commit_callbacks
):
    first = _promote(
        alice_api, django_capture_on_commit_callbacks, image_result_id=drafts[0].pk, name="Astrid"
    )
    assert first.status_code == 201
    body = first.json()
    assert body["status"] == "pending"
    assert body["preprocessing_job_id"].startswith("job_")
    assert body["message"] == "Identity promoted; preprocessing dispatched."
    again = _promote(alice_api, django_capture_on_commit_callbacks, image_result_id=drafts[0].pk)
    assert again.status_code == 409
    assert again.json()["identity_code"] == body["identity_code"]
    job = alice_api.get(f"/api/v2/jobs/{body['preprocessing_job_id']}").json()
    assert job["job_type"] == "identity_preprocessing"
    assert job["status"] == "completed"
    assert job["identity_code"] == body["identity_code"]


def test_promote_validates_its_body(alice_api, drafts, django_capture_on_commit_callbacks):
    response = _promote(
        alice_api, django_capture_on_commit_callbacks, image_result_id="12", colour="red"
    )
    assert response.status_code == 400
    assert [d["field"] for d in response.json()["detail"]] == ["image_result_id", "colour"]


def test_promote_someone_elses_draft_is_404(
    charlie_api, drafts, django_capture_on_commit_callbacks
):
    response = _promote(
        charlie_api, django_capture_on_commit_callbacks, image_result_id=drafts[0].pk
    )
    assert response.status_code == 404
    assert not Identity.objects.exists()


def test_list_detail_status_and_delete(
    alice_api, alice, drafts, django_capture_on_commit_callbacks
):
    code = _promote(
        alice_api, django_capture_on_commit_callbacks, image_result_id=drafts[0].pk, name="Astrid"
    ).json()["identity_code"]
    listing = alice_api.get("/api/v2/identities?ownership=mine").json()
    assert listing["pagination"] == {
        "page": 1,
        "per_page": 20,
        "total": 1,
        "pages": 1,
        "has_next": False,
        "has_prev": False,
    }
    item = listing["identities"][0]
    assert item["identity_code"] == code
    assert item["name"] == "Astrid"
    assert item["preprocessing_status"] == "completed"
    assert item["locked"] is False
    assert item["link"].startswith("http://testserver/m/")
    detail = alice_api.get(f"/api/v2/identities/{code}").json()
    assert detail["brief"]["hair"]["color"] == "ash blonde"
    assert detail["image_result_id"] == drafts[0].pk
    assert detail["engine"] == "local"
    assert alice_api.get(f"/api/v2/identities/{code}/status").json() == {
        "preprocessing_status": "completed",
        "error_message": None,
    }
    assert alice_api.delete(f"/api/v2/identities/{code}").status_code == 204
    assert alice_api.get(f"/api/v2/identities/{code}").status_code == 404
    assert alice_api.get("/api/v2/identities?ownership=mine").json()["pagination"]["total"] == 0
    # The slot and the name are free again: the same draft can be promoted anew.
    again = _promote(
        alice_api, django_capture_on_commit_callbacks, image_result_id=drafts[0].pk, name="Astrid"
    )
    assert again.status_code == 201


def test_strangers_get_404_on_another_accounts_identity(
    alice_api, charlie_api, drafts, django_capture_on_commit_callbacks
):
    code = _promote(
        alice_api, django_capture_on_commit_callbacks, image_result_id=drafts[0].pk
    ).json()["identity_code"]
    for method, path in (
        ("get", f"/api/v2/identities/{code}"),
        ("get", f"/api/v2/identities/{code}/status"),
        ("delete", f"/api/v2/identities/{code}"),
    ):
        assert getattr(charlie_api, method)(path).status_code == 404
    assert Identity.objects.get(code=code).deleted_at is None


def test_catalog_listing_locks_tiers_above_the_plan(
    charlie_api, alice, drafts, django_capture_on_commit_callbacks, alice_api
):
    codes = []
    for draft, tier in zip(drafts, ("free", "basic", "pro"), strict=True):
        code = _promote(
            alice_api,
            django_capture_on_commit_callbacks,
            image_result_id=draft.pk,
            name=f"Cat {tier}",
        ).json()["identity_code"]
        catalog_publish(identity=Identity.objects.get(code=code), tier=tier)
        codes.append(code)
    default = charlie_api.get("/api/v2/identities").json()  # free plan
    assert [i["tier"] for i in default["identities"]] == ["free"]
    locked = charlie_api.get("/api/v2/identities?include_locked=true&sort_by=name&order=asc").json()
    assert [(i["tier"], i["locked"]) for i in locked["identities"]] == [
        ("basic", True),
        ("free", False),
        ("pro", True),
    ]
    shared = charlie_api.get("/api/v2/identities?ownership=shared").json()
    assert [i["tier"] for i in shared["identities"]] == ["free"]
    # A catalog identity's detail is visible to everyone, without its provenance.
    detail = charlie_api.get(f"/api/v2/identities/{codes[2]}").json()
    assert detail["locked"] is True and detail["seed"] is None and detail["image_result_id"] is None


def test_list_filters_search_and_pagination(alice_api, drafts, django_capture_on_commit_callbacks):
    for draft, name in zip(drafts, ("Astrid", "Bea", "Cora"), strict=True):
        _promote(alice_api, django_capture_on_commit_callbacks, image_result_id=draft.pk, name=name)
    page = alice_api.get(
        "/api/v2/identities?ownership=mine&per_page=2&sort_by=name&order=asc"
    ).json()
    assert [i["name"] for i in page["identities"]] == ["Astrid", "Bea"]
    assert page["pagination"]["has_next"] is True and page["pagination"]["pages"] == 2
    assert [
        i["name"]
        for i in alice_api.get("/api/v2/identities?ownership=mine&search=cor").json()["identities"]
    ] == ["Cora"]
    assert (
        alice_api.get("/api/v2/identities?ownership=mine&gender=male").json()["pagination"]["total"]
        == 0
    )
    assert (
        alice_api.get("/api/v2/identities?ownership=mine&min_age=25&max_age=30").json()[
            "pagination"
        ]["total"]
        == 3
    )
    bad = alice_api.get("/api/v2/identities?per_page=500")
    assert bad.status_code == 400
    assert bad.json()["detail"][0] == {
        "field": "per_page",
        "message": bad.json()["detail"][0]["message"],
        "position": "query",
    }


def test_list_query_count_does_not_grow_with_the_library(
    alice_api, drafts, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for draft in drafts:
        _promote(alice_api, django_capture_on_commit_callbacks, image_result_id=draft.pk)
    with django_assert_max_num_queries(6):
        response = alice_api.get("/api/v2/identities?ownership=mine")
    assert response.json()["pagination"]["total"] == 3


def test_ownership_omitted_lists_own_first_then_the_catalog_and_default_is_the_catalog(
    alice_api, drafts, django_capture_on_commit_callbacks
):
    codes = [
        _promote(
            alice_api, django_capture_on_commit_callbacks, image_result_id=draft.pk, name=name
        ).json()["identity_code"]
        for draft, name in zip(drafts, ("Astrid", "Bea", "Cora"), strict=True)
    ]
    # Sorted by name descending, Cora would come first: own-first must beat the sort.
    catalog_publish(identity=Identity.objects.get(code=codes[2]), tier="free")
    everything = alice_api.get("/api/v2/identities?sort_by=name&order=desc").json()
    assert [(i["name"], i["ownership"]) for i in everything["identities"]] == [
        ("Bea", "mine"),
        ("Astrid", "mine"),
        ("Cora", "catalog"),
    ]
    for value in ("default", "shared"):
        catalog = alice_api.get(f"/api/v2/identities?ownership={value}").json()
        assert [i["name"] for i in catalog["identities"]] == ["Cora"], value
    schema = alice_api.get("/api/v2/openapi.json").json()
    (parameter,) = [
        p
        for p in schema["paths"]["/api/v2/identities"]["get"]["parameters"]
        if p["name"] == "ownership"
    ]
    assert "default" in str(parameter["schema"])
