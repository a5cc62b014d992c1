"""The seed API's error body, produced in one place.

{"error": "<summary>", "detail": [{"field": "<dotted path or null>", "message": "…",
                                   "position": "body|query|path|header"}], ...extra}
"""

import json
from dataclasses import dataclass, field

from django.http import HttpResponse
from ninja.responses import NinjaJSONEncoder

# Defined with the domain refusals (services report problems without importing the API); named
# here too so the API's modules keep one import for the whole envelope.
from config.refusals import FieldError

__all__ = ["ApiError", "FieldError", "loc_to_field"]


@dataclass
class ApiError(Exception):
    status: int
    error: str
    detail: list[FieldError] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)

    def body(self) -> dict:
        return {"error": self.error, "detail": [d.as_dict() for d in self.detail], **self.extra}


def loc_to_field(loc: tuple | list) -> tuple[str | None, str]:
    """pydantic's ('body', 'payload', 'instructions', 1, 'options', 'ar') →
    ('instructions[1].options.ar', 'body')."""
    parts = list(loc)
    position = "body"
    if parts and parts[0] in ("body", "query", "path", "header", "form", "file"):
        position = {"form": "body", "file": "body"}.get(parts[0], parts[0])
        parts = parts[1:]
    # ninja wraps the body model under the parameter name ("payload", "data"...).
    if position == "body" and parts and parts[0] in ("payload", "data", "body"):
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return (path or None), position


def error_response(error: ApiError) -> HttpResponse:
    """`error` as the API answers it, for code that runs outside an operation's handlers (the
    same JSON and content type as NinjaAPI.create_response, without importing the API object:
    that would tie this module to every router)."""
    response = HttpResponse(
        json.dumps(error.body(), cls=NinjaJSONEncoder),
        status=error.status,
        content_type="application/json; charset=utf-8",
    )
    for name, value in error.headers.items():
        response[name] = value
    return response
