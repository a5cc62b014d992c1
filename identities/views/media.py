import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from identities.media import signed_name


@require_safe
def media_signed(request, token: str):
    name = signed_name(token)
    if name is None or not default_storage.exists(name):
        raise Http404("This link is invalid or has expired.")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
