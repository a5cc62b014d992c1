"""The OpenAPI document is the truth: schemathesis calls every operation with requests drawn
from the document and finds no 5xx, no status the document does not list, and no request the
document calls valid refused as invalid."""

import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import positive_data_acceptance, status_code_conformance

from accounts.models import Account

# A long-lived event stream has nothing for a request-per-example tester to check.
SKIPPED_PATHS = ["/api/v2/notifications/events"]
EXAMPLES_PER_OPERATION = 5
BYTE_UPLOADS = {"POST /api/v2/upload", "PUT /api/v2/upload/content/{token}", "POST /api/v2/verify"}


# Refusals of schema-valid requests that no JSON Schema can express: content rules and facts
# of the world. Each is (operation, field, words of the message); any other 400/413/422 of a
# schema-valid request fails the test.
CONTENT_REFUSALS = [
    # A brief's rules span fields and engines (a prompt or a structured field, references
    # only on engines that take them, the variation budget, real-person names, minors).
    ("POST /api/v2/identity/create", "instructions", ""),
    ("POST /api/v2/identity/create", "options", ""),
    ("GET /api/v2/identities", "min_age", "min_age is above max_age"),
    ("POST /api/v2/preset/extract-from-text", "text", "Nothing in this paragraph"),
    ("PUT /api/v2/webhooks", "url", "does not resolve"),
]


def _content_refusal(operation, response) -> bool:
    if response.status_code != 400:
        return False
    problems = response.json().get("detail") or [{}]
    return all(
        any(
            label == operation.label
            and (problem.get("field") or "").startswith(field)
            and words in problem.get("message", "")
            for label, field, words in CONTENT_REFUSALS
        )
        for problem in problems
    )


def _positive_data_acceptance(ctx, response, case):
    if _content_refusal(case.operation, response):
        return None
    return positive_data_acceptance(ctx, response, case)


def _checks(operation) -> list:
    checks = [not_a_server_error, status_code_conformance]
    # A JSON Schema can say "binary", not "a decodable image": drawn bytes are rightly
    # refused, so only the two byte-carrying upload operations skip this check.
    if operation.label not in BYTE_UPLOADS:
        checks.append(_positive_data_acceptance)
    return checks


@pytest.fixture
def connections_kept_open():
    """Calling the real WSGI handler fires request_started/finished, whose
    close_old_connections would close the test's connection mid-transaction on PostgreSQL (it
    is not in autocommit). Django's own test client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def limits_out_of_the_way(settings, alice, connections_kept_open):
    # Drawn requests may ask for many variations, many times: neither credits nor the
    # per-minute limits must be what refuses them.
    Account.objects.filter(pk=alice.membership.account.pk).update(credit_balance=10**6)
    settings.CASTLESS_CREATE_PER_MINUTE = 10**6
    settings.CASTLESS_PROMOTE_PER_MINUTE = 10**6
    settings.CASTLESS_UPLOAD_PER_MINUTE = 10**6


@pytest.mark.parametrize(
    "mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)
def test_every_operation_keeps_the_documents_promises(alice_token, limits_out_of_the_way, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v2/openapi.json", get_wsgi_application())
    headers = {"Authorization": f"Bearer {alice_token}"}
    failures = {}
    for result in schema.exclude(path=SKIPPED_PATHS).get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            if case.headers and "Idempotency-Key" in case.headers:
                # Drawn keys repeat across examples with other bodies (rightly 422): a fresh
                # key per request keeps the header exercised without replaying.
                case.headers["Idempotency-Key"] = str(uuid.uuid4())
            case.call_and_validate(headers=headers, checks=_checks(case.operation))

        try:
            check()
        except Unsatisfiable:
            # Negative mode: an operation whose every input is valid (raw bytes) has none.
            assert mode == schemathesis.GenerationMode.NEGATIVE, operation.label
        except BaseException as failure:  # every operation's failure is reported, not one
            failures[operation.label] = f"{type(failure).__name__}: {failure}"[:2000]
    assert failures == {}, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())


def _refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_every_ref_resolves_and_every_body_and_error_is_documented(client, db):
    document = client.get("/api/v2/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert {
        ref for ref in _refs(document) if ref.removeprefix("#/components/schemas/") not in schemas
    } == set()
    paths = document["paths"]
    for path in (
        "/api/v2/identity/create",
        "/api/v2/identity/promote-generated",
        "/api/v2/preset/extract-from-image",
        "/api/v2/preset/extract-from-text",
        "/api/v2/upload",
    ):
        operation = paths[path]["post"]
        assert operation["requestBody"]["content"]["application/json"]["schema"], path
        for status in ("400", "401", "413", "429"):
            error = operation["responses"][status]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/Error"}, (path, status)
    assert "multipart/form-data" in paths["/api/v2/upload"]["post"]["requestBody"]["content"]
    assert {"402", "403", "409", "422", "503"} <= set(
        paths["/api/v2/identity/create"]["post"]["responses"]
    )
