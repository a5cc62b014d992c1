import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_revoke


def _error(response) -> dict:
    body = response.json()
    assert set(body) >= {"error", "detail"}
    return body


def test_a_valid_token_acts_as_its_workspace(alice_api, alice):
    response = alice_api.get("/api/v2/me")
    assert response.status_code == 200
    assert response.json() == {
        "account": "Alice Studio",
        "plan": "pro",
        "credits": {"balance": 500, "in_progress": 0},
        "token": "Alice CI",
    }


def test_another_workspaces_token_sees_only_that_workspace(charlie_api, alice):
    body = charlie_api.get("/api/v2/me").json()
    assert body["account"] == "Charlie Co"
    assert body["credits"]["balance"] == 100


def test_using_a_token_records_when_it_was_last_used(alice_api, alice):
    token = ApiToken.objects.get(name="Alice CI")
    assert token.last_used_at is None
    alice_api.get("/api/v2/me")
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert (timezone.now() - token.last_used_at).total_seconds() < 60


def test_missing_header_gets_401_with_the_seed_error_body(db):
    response = Client().get("/api/v2/me")
    assert response.status_code == 401
    body = _error(response)
    assert body["error"] == "Unauthorized"
    assert body["detail"][0]["field"] == "Authorization"
    assert body["detail"][0]["position"] == "header"
    assert "Missing Authorization header" in body["detail"][0]["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer   ", "Token cl_abc", "Basic dXNlcjpwYXNz", "cl_abc"],
)
def test_malformed_header_gets_401_naming_the_problem(db, header):
    response = Client(headers={"Authorization": header}).get("/api/v2/me")
    assert response.status_code == 401
    assert "Malformed Authorization header" in _error(response)["detail"][0]["message"]


def test_unknown_token_gets_401(db):
    response = Client(headers={"Authorization": "Bearer cl_" + "x" * 43}).get("/api/v2/me")
    assert response.status_code == 401
    assert "unknown or has been revoked" in _error(response)["detail"][0]["message"]


def test_revoked_token_gets_401(alice, alice_token):
    token = ApiToken.objects.get(name="Alice CI")
    api_token_revoke(token=token, user=alice)
    response = Client(headers={"Authorization": f"Bearer {alice_token}"}).get("/api/v2/me")
    assert response.status_code == 401


def test_the_openapi_document_is_served(db):
    response = Client().get("/api/v2/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Castless API"
    assert "/api/v2/me" in document["paths"]
