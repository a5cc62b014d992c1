"""The OpenAPI document completed with what django-ninja cannot see from the signatures.

- every error status an operation can answer, with the one error body (`ApiError`): the
  statuses come from the refusals its services raise, so they are listed per operation here,
  beside the ones every operation shares (a malformed request, the token, the token throttle);
- request bodies written as plain JSON Schema (`openapi_extra`) bring their own `$defs`; those
  are moved to `components/schemas`, so every `$ref` in the document resolves.
"""

from __future__ import annotations

import copy
from typing import Any

ERROR_SCHEMA_NAME = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "title": "Error",
    "description": "Every error: a summary and one entry per problem, naming the field.",
    "required": ["error", "detail"],
    "properties": {
        "error": {"type": "string"},
        "detail": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message", "position"],
                "properties": {
                    "field": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                    "position": {"type": "string", "enum": ["body", "query", "path", "header"]},
                },
            },
        },
    },
    # Some refusals add keys clients read (retry_after, identity_code, user_credits, …).
    "additionalProperties": True,
}

DESCRIPTIONS = {
    400: "Invalid request: each problem names its field",
    401: "Missing, unknown or revoked token",
    402: "Not enough credits",
    403: "Not allowed on this plan, or the link expired",
    404: "Not found in this workspace",
    409: "Conflicts with the current state (already done, name taken, request in progress)",
    413: "Request body too large",
    422: "Idempotency-Key already used for another request",
    429: "Too many requests: wait Retry-After seconds",
    503: "Temporarily unavailable",
}

# Beyond the shared ones: the refusals each operation's services can raise.
_CREATES = {402, 403, 409, 422, 429, 503}
EXTRA_STATUSES: dict[tuple[str, str], set[int]] = {
    ("post", "/identity/create"): _CREATES,
    ("post", "/identity/promote-generated"): {402, 403, 404, 409, 422, 429, 503},
    ("post", "/identity/add-existing"): {402, 403, 404, 409, 422, 429},
    ("post", "/upload"): {429},
    ("put", "/upload/content/{token}"): {403, 404, 409},
    ("post", "/preset/extract-from-image"): {402, 403, 404, 429, 503},
    ("post", "/preset/extract-from-text"): {402, 403, 429, 503},
    ("get", "/webhooks"): {404},
    ("delete", "/webhooks"): {404},
}


def json_request_body(schema: dict) -> dict:
    """`openapi_extra` for an operation that reads its JSON body by hand (for its wording)."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def _hoist_defs(node: Any, components: dict) -> Any:
    if isinstance(node, dict):
        for name, definition in node.pop("$defs", {}).items():
            components.setdefault(name, _hoist_defs(definition, components))
        return {
            key: (
                value.replace("#/$defs/", "#/components/schemas/")
                if key == "$ref" and isinstance(value, str)
                else _hoist_defs(value, components)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_hoist_defs(item, components) for item in node]
    return node


def _statuses(method: str, path: str, operation: dict) -> set[int]:
    statuses = set(EXTRA_STATUSES.get((method, path), set()))
    parameters = operation.get("parameters", [])
    if operation.get("security"):
        statuses |= {401, 429}  # the token, and the throttle on guessed tokens
    if parameters or "requestBody" in operation:
        statuses.add(400)
    if any(parameter["in"] == "path" for parameter in parameters):
        statuses.add(404)
    if "requestBody" in operation:
        statuses.add(413)
    return statuses


def openapi_complete(schema: dict, *, prefix: str) -> dict:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_SCHEMA_NAME] = ERROR_SCHEMA
    error_ref = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
    for full_path, operations in schema.get("paths", {}).items():
        path = full_path.removeprefix(prefix.rstrip("/"))
        for method, operation in operations.items():
            if "requestBody" in operation:
                # A copy: the operation's `openapi_extra` serves every later document too.
                body = copy.deepcopy(operation["requestBody"])
                operation["requestBody"] = _hoist_defs(body, components)
            responses = operation.setdefault("responses", {})
            for status in sorted(_statuses(method, path, operation)):
                responses.setdefault(
                    status,
                    {
                        "description": DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": error_ref}},
                    },
                )
    return schema
