"""The images a run was shown (face, pose, products): decoded from data-URIs or fetched.

A reference URL is the client's choice, so fetching it could be aimed at our own network: the
host is resolved and checked like a webhook's (`webhook_url_addresses`: every address public,
unless private addresses are allowed for development), the connection goes to the checked
address, redirects are not followed and the body is capped. Anything that does not give an
image raises `ReferenceUnreadable`, which the run reports as the reference's `ImageLoadError`.
"""

from __future__ import annotations

import base64
import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from identities.imaging import MAX_UPLOAD_BYTES, ImageError, load_image
from identities.notifications.webhooks.transport import UnsafeWebhookUrl, webhook_url_addresses

FETCH_TIMEOUT_SECONDS = 15.0


class ReferenceUnreadable(Exception):
    """`field`'s image could not be read; the message says why in plain words."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class LoadedImage:
    data: bytes
    mime: str
    width: int
    height: int


def reference_load(*, field: str, value: str) -> LoadedImage:
    """The image behind a data-URI or URL, decoded once to prove it is one."""
    data = _data_uri_bytes(value) if value.startswith("data:") else _fetch(field, value)
    try:
        image = load_image(data)
    except ImageError as error:
        raise ReferenceUnreadable(field, f"not a readable image ({error})") from None
    return LoadedImage(data=data, mime=_sniff(data), width=image.width, height=image.height)


def _sniff(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"


def _data_uri_bytes(value: str) -> bytes:
    return base64.b64decode(value.partition(",")[2])


def _fetch(field: str, url: str) -> bytes:
    try:
        addresses = webhook_url_addresses(url=url)
    except UnsafeWebhookUrl as error:
        raise ReferenceUnreadable(field, str(error)) from None
    parts = urlsplit(url)
    address = addresses[0]
    host = f"[{address}]" if isinstance(address, ipaddress.IPv6Address) else str(address)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    pinned = parts._replace(netloc=f"{host}:{port}", fragment="").geturl()
    name = parts.hostname or ""
    extensions = {"sni_hostname": name} if parts.scheme.lower() == "https" else {}
    headers = {"Host": f"{name}:{parts.port}" if parts.port else name}
    try:
        with (
            httpx.Client(
                timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=False, trust_env=False
            ) as client,
            client.stream("GET", pinned, headers=headers, extensions=extensions) as response,
        ):
            if response.status_code != 200:
                raise ReferenceUnreadable(field, f"the URL answered HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > MAX_UPLOAD_BYTES:
                    raise ReferenceUnreadable(
                        field, f"the image is larger than {MAX_UPLOAD_BYTES} bytes"
                    )
    except httpx.HTTPError as error:
        raise ReferenceUnreadable(field, f"the URL could not be fetched ({error})") from None
    return bytes(body)
