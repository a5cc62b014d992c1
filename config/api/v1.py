"""The JSON API v1: model-create compatible (seeds 001/002), beside v2.

`POST /api/v1/run` and `GET /api/v1/status/{id}` answer as the reference does, so a client
written for it runs with only the base URL and the key changed: the same Bearer tokens as v2
(`config.api.auth`), the reference's error body (`config.api.v1_errors`) for every failure.
"""

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from config.api.auth import BearerToken
from config.api.body import CheckedParser, too_large_error
from config.api.errors import ApiError, loc_to_field
from config.api.v1_errors import from_v2, refusal_v1, v1_body
from config.refusals import Refusal

logger = logging.getLogger(__name__)

api_v1 = NinjaAPI(
    title="Castless API v1 (model-create compatible)",
    version="1.0",
    description="Generate on-model images of your identities, the model-create way.",
    auth=BearerToken(),
    urls_namespace="api_v1",
    parser=CheckedParser(),
)


def _respond(request, status: int, body: dict, headers: dict | None = None):
    response = api_v1.create_response(request, body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api_v1.exception_handler(ApiError)
def handle_api_error(request, exc: ApiError):
    return _respond(request, *from_v2(exc))


@api_v1.exception_handler(Refusal)
def handle_refusal(request, exc: Refusal):
    return _respond(request, *refusal_v1(exc))


@api_v1.exception_handler(ValidationError)
def handle_validation_error(request, exc: ValidationError):
    item = exc.errors[0] if exc.errors else {}
    field, _ = loc_to_field(item.get("loc", ()))
    body = v1_body(status=400, message=item.get("msg", "Invalid request"), field=field)
    return _respond(request, 400, body)


@api_v1.exception_handler(AuthenticationError)
def handle_authentication_error(request, exc):
    body = v1_body(status=401, message="Unauthorized: send 'Authorization: Bearer <key>'.")
    return _respond(request, 401, body, {"WWW-Authenticate": 'Bearer realm="castless"'})


@api_v1.exception_handler(Http404)
def handle_not_found(request, exc):
    return _respond(request, 404, v1_body(status=404, message=str(exc) or "Not found"))


@api_v1.exception_handler(RequestDataTooBig)
def handle_too_large(request, exc):
    return _respond(request, *from_v2(too_large_error()))


@api_v1.exception_handler(HttpError)
def handle_http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, ApiError):
        return _respond(request, *from_v2(exc.__cause__))
    if isinstance(exc.__cause__, RequestDataTooBig):
        return _respond(request, *from_v2(too_large_error()))
    return _respond(request, exc.status_code, v1_body(status=exc.status_code, message=str(exc)))


@api_v1.exception_handler(Exception)
def handle_unexpected(request, exc: Exception):
    logger.exception("api v1: unhandled error on %s", request.path)
    body = v1_body(status=500, message="Something went wrong on our side; retry with backoff.")
    return _respond(request, 500, body)


def _mount_routers() -> None:
    from identities.api import runs

    api_v1.add_router("", runs.router)


_mount_routers()
