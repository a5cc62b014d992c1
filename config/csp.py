"""The Content-Security-Policy of every response: django-csp's, with a second policy for the API.

Pages get CONTENT_SECURITY_POLICY (scripts, styles and images from this site only, no inline
code). The JSON API's answers are never rendered as documents, so they get
CASTLESS_API_CSP, which lets nothing load and nothing frame them. The API's interactive
docs are a page (swagger UI, served from django-ninja's static files) and keep the page policy.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

API_NAMESPACE = "api"
# The one API route that is a page: the swagger UI.
API_DOCS_URL_NAME = "openapi-view"


def is_api_document(request) -> bool:
    """The request was routed to the JSON API (its JSON answers and its OpenAPI document)."""
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and API_NAMESPACE in match.namespaces
        and match.url_name != API_DOCS_URL_NAME
    )


class CastlessCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        # A view's own @csp decorator (parts.config) still wins.
        if not report_only and parts.config is None and is_api_document(request):
            parts.config = settings.CASTLESS_API_CSP
        return parts
