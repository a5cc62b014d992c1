"""Private image links: absolute, unguessable and expiring.

On S3 the storage presigns its own URLs. On local storage we sign the file name with Django's
signing (SECRET_KEY, a salt, a timestamp) and serve it from `media_signed`; a link works in an
<img> or an API client without a session, and a stranger without the link gets nothing.
"""

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage, default_storage
from django.urls import reverse

_SALT = "castless.media"


def _is_local(storage) -> bool:
    return isinstance(storage, FileSystemStorage)


def private_url(name: str, *, request=None) -> str:
    """An absolute URL for a stored file name ("" for none)."""
    if not name:
        return ""
    if not _is_local(default_storage):
        return default_storage.url(name)
    token = signing.dumps(name, salt=_SALT, compress=True)
    path = reverse("identities:media_signed", args=[token])
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL + path


def signed_name(token: str) -> str | None:
    """The file name a token grants, or None when it is forged or expired."""
    try:
        return signing.loads(token, salt=_SALT, max_age=settings.MEDIA_URL_TTL_SECONDS)
    except signing.BadSignature:
        return None
