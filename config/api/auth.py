from ninja.security import HttpBearer

from accounts.services import api_token_authenticate
from config.api.errors import ApiError, FieldError

_HEADER_HELP = "Send the header 'Authorization: Bearer <token>' with a token from Settings."


class BearerToken(HttpBearer):
    """Authenticates /api/v2 requests as the account owning the token."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            raise _unauthorized("Missing Authorization header. " + _HEADER_HELP)
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise _unauthorized("Malformed Authorization header. " + _HEADER_HELP)
        return self.authenticate(request, raw.strip())

    def authenticate(self, request, token: str):
        api_token = api_token_authenticate(raw=token, request=request)
        if api_token is None:
            raise _unauthorized("The token is unknown or has been revoked.")
        request.api_token = api_token
        request.account = api_token.account
        return api_token


def _unauthorized(message: str) -> ApiError:
    return ApiError(
        status=401,
        error="Unauthorized",
        detail=[FieldError(field="Authorization", message=message, position="header")],
        headers={"WWW-Authenticate": 'Bearer realm="castless"'},
    )
