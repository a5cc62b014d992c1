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
    # ?download=1 (the full-size draft page's link) saves the file instead of showing it.
    response = FileResponse(
        default_storage.open(name, "rb"),
        content_type=content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
