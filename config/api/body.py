"""Reading JSON bodies ourselves, so every error carries our wording and the exact field.

Every JSON body the API reads goes through `json_parse`, whether a view reads it by hand or
django-ninja binds it to a Schema (through `CheckedParser`), so hostile input is refused once,
here, before any service sees it:
- nesting deeper than MAX_DEPTH (the decoder recurses: thousands of `[` end in RecursionError,
  and every later walk over the value would recurse as well);
- lone surrogates ("\\ud800" is valid JSON but not encodable as UTF-8, so the database would
  fail on it long after validation), in values and in keys alike.
"""

import json
import re
from typing import Any

from django.core.exceptions import RequestDataTooBig
from ninja.parser import Parser

from config.api.errors import ApiError, FieldError

# Far deeper than any request the API documents (a brief is four levels), far below the
# interpreter's recursion limit.
MAX_DEPTH = 32


def _malformed(message: str) -> ApiError:
    return ApiError(status=400, error="Malformed JSON", detail=[FieldError(None, message)])


_SURROGATE = re.compile("[\ud800-\udfff]")


def text_has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def surrogate_error(field: str | None, position: str = "body") -> ApiError:
    return ApiError(
        status=400,
        error="Validation error",
        detail=[
            FieldError(
                field,
                "Contains an unpaired surrogate character (\\ud800–\\udfff), which is not text.",
                position,
            )
        ],
    )


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _check(value: Any) -> None:
    """Depth and surrogates, walked without recursion."""
    pending: list[tuple[Any, str, int]] = [(value, "", 0)]
    while pending:
        item, path, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise _malformed(f"The JSON is nested more than {MAX_DEPTH} levels deep.")
        if isinstance(item, str):
            if text_has_surrogate(item):
                raise surrogate_error(path or None)
        elif isinstance(item, dict):
            for key, child in item.items():
                if text_has_surrogate(key):
                    raise surrogate_error(path or None)
                pending.append((child, _join(path, key), depth + 1))
        elif isinstance(item, list):
            pending.extend((child, _join(path, i), depth + 1) for i, child in enumerate(item))


def json_parse(raw: bytes) -> Any:
    try:
        data = json.loads(raw)
    except RecursionError:
        raise _malformed(f"The JSON is nested more than {MAX_DEPTH} levels deep.") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise _malformed(f"The request body is not valid JSON: {error}") from None
    _check(data)
    return data


class CheckedParser(Parser):
    """django-ninja's body parser, with the checks above."""

    def parse_body(self, request):
        return json_parse(request.body)


def too_large_error() -> ApiError:
    from django.conf import settings

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return ApiError(
        status=413,
        error="Request too large",
        detail=[FieldError(None, f"The request body is larger than {limit} bytes.")],
    )


def json_body(request) -> Any:
    try:
        raw = request.body
    except RequestDataTooBig:
        raise too_large_error() from None
    if not raw:
        raise ApiError(
            status=400,
            error="Validation error",
            detail=[FieldError(None, "The request body is empty; send a JSON object.")],
        )
    return json_parse(raw)


def json_object(request) -> dict:
    data = json_body(request)
    if not isinstance(data, dict):
        raise ApiError(
            status=400,
            error="Validation error",
            detail=[FieldError(None, "The request body must be a JSON object.")],
        )
    return data
