"""The JSON API v2: one NinjaAPI, Bearer auth, the seed's error bodies for every failure."""

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from config.api.auth import BearerToken
from config.api.body import CheckedParser, too_large_error
from config.api.errors import ApiError, FieldError, loc_to_field
from config.api.openapi import openapi_complete
from config.api.refusals import refusal_api_error
from config.refusals import Refusal


class CastlessAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return openapi_complete(schema, prefix=path_prefix)


api = CastlessAPI(
    title="Castless API",
    version="2.0",
    description="Design AI fashion models from briefs, promote drafts into private identities.",
    auth=BearerToken(),
    urls_namespace="api",
    parser=CheckedParser(),
)


def _respond(request, error: ApiError):
    response = api.create_response(request, error.body(), status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


@api.exception_handler(ApiError)
def handle_api_error(request, exc: ApiError):
    return _respond(request, exc)


@api.exception_handler(Refusal)
def handle_refusal(request, exc: Refusal):
    return _respond(request, refusal_api_error(exc))


@api.exception_handler(ValidationError)
def handle_validation_error(request, exc: ValidationError):
    detail = []
    for item in exc.errors:
        field, position = loc_to_field(item.get("loc", ()))
        message = item.get("msg", "Invalid value")
        if item.get("type") == "json_invalid" or field is None and "JSON" in message:
            message = "The request body is not valid JSON."
        detail.append(FieldError(field=field, message=message, position=position))
    return _respond(request, ApiError(status=400, error="Validation error", detail=detail))


@api.exception_handler(AuthenticationError)
def handle_authentication_error(request, exc):
    return _respond(
        request,
        ApiError(
            status=401,
            error="Unauthorized",
            detail=[FieldError("Authorization", "Authentication required.", "header")],
        ),
    )


@api.exception_handler(Http404)
def handle_not_found(request, exc):
    return _respond(request, ApiError(status=404, error="Not found", detail=[]))


@api.exception_handler(RequestDataTooBig)
def handle_too_large(request, exc):
    return _respond(request, too_large_error())


@api.exception_handler(HttpError)
def handle_http_error(request, exc: HttpError):
    # django-ninja wraps whatever its body parser raised in a generic 400: answer the cause.
    if isinstance(exc.__cause__, ApiError):
        return _respond(request, exc.__cause__)
    if isinstance(exc.__cause__, RequestDataTooBig):
        return _respond(request, too_large_error())
    return _respond(request, ApiError(status=exc.status_code, error=str(exc), detail=[]))


def _mount_routers() -> None:
    from accounts.api import router as accounts_router
    from identities.api import (
        add_existing,
        identities,
        jobs,
        notifications,
        presets,
        uploads,
        verify,
        webhooks,
    )

    api.add_router("", accounts_router)
    for area in (uploads, jobs, identities, add_existing, presets, notifications, webhooks, verify):
        api.add_router("", area.router)


_mount_routers()
