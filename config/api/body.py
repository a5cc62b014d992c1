"""Reading JSON bodies ourselves, so every error carries our wording and the exact field."""

import json
from typing import Any

from config.api.errors import ApiError, FieldError


def json_body(request) -> Any:
    if not request.body:
        raise ApiError(
            status=400,
            error="Validation error",
            detail=[FieldError(None, "The request body is empty; send a JSON object.")],
        )
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(
            status=400,
            error="Malformed JSON",
            detail=[FieldError(None, f"The request body is not valid JSON: {error}")],
        ) from None


def json_object(request) -> dict:
    data = json_body(request)
    if not isinstance(data, dict):
        raise ApiError(
            status=400,
            error="Validation error",
            detail=[FieldError(None, "The request body must be a JSON object.")],
        )
    return data
