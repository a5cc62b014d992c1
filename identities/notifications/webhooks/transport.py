"""Sending one delivery: which addresses a webhook URL may reach, and the HTTP POST itself.

A webhook URL is chosen by a customer, so every send could be aimed at our own network:
- every address the host resolves to is checked (an attacker's DNS may answer with one public
  and one internal address), and refused when private, loopback, link-local, multicast,
  reserved or unspecified;
- DNS rebinding: the host is resolved again at delivery time and the connection goes to the
  checked address (Host header and TLS SNI keep the real name), so a second lookup by the HTTP
  client cannot swap in a private address;
- redirects are not followed (a 3xx could point inside the network) and count as failures;
  response bodies are never read.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from functools import cache
from urllib.parse import SplitResult, urlsplit

import httpx
from django.conf import settings

from identities.models import Webhook

URL_MAX_LENGTH = Webhook._meta.get_field("url").max_length

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeWebhookUrl(Exception):
    """The URL cannot be used as a webhook; the message says why, for the API's `url` field."""


def _is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv4 address wrapped in IPv6 (::ffff:10.0.0.1, 6to4) is judged as that address.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return _is_public(embedded)
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def webhook_url_parts(*, url: str) -> tuple[SplitResult, int]:
    """The URL split, and the port it connects to; UnsafeWebhookUrl when it is not an http(s)
    URL with a host and a valid port that fits the column."""
    if len(url) > URL_MAX_LENGTH:
        raise UnsafeWebhookUrl(f"The URL is longer than {URL_MAX_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:
        # An unclosed "[" or a bracketed host that is not an IPv6 address.
        raise UnsafeWebhookUrl("The URL's host is not a valid host name or address.") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsafeWebhookUrl("Use an http:// or https:// URL.")
    if not hostname:
        raise UnsafeWebhookUrl("The URL has no host.")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise UnsafeWebhookUrl("The URL's port is not a valid port number.") from None
    return parts, port


def webhook_url_addresses(*, url: str) -> list[IPAddress]:
    """The addresses `url`'s host resolves to, all of them checked.

    Refuses the URL when any address is not public, unless CASTLESS_ALLOW_PRIVATE_WEBHOOKS is
    on (tests, development). Resolves only; never connects.
    """
    parts, port = webhook_url_parts(url=url)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeWebhookUrl(f"The host {parts.hostname!r} does not resolve.") from None
    addresses: list[IPAddress] = []
    for family, _, _, _, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise UnsafeWebhookUrl(f"The host {parts.hostname!r} does not resolve.")
    if not settings.CASTLESS_ALLOW_PRIVATE_WEBHOOKS:
        for address in addresses:
            if not _is_public(address):
                raise UnsafeWebhookUrl(
                    f"The host resolves to {address}, a private or reserved address; "
                    "webhooks must reach a public host."
                )
    return addresses


def webhook_post(*, url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST `body` to `url` once, trying each checked address in turn until one connects;
    (HTTP status or None, error text or "")."""
    try:
        addresses = webhook_url_addresses(url=url)
        parts, port = webhook_url_parts(url=url)
    except UnsafeWebhookUrl as error:
        return None, str(error)
    host = _ascii_host(parts.hostname)
    headers = {**headers, "Host": f"{host}:{parts.port}" if parts.port else host}
    # TLS is checked against the real name (an IPv6 literal goes without brackets).
    sni = parts.hostname if ":" in parts.hostname else host
    extensions = {"sni_hostname": sni} if parts.scheme.lower() == "https" else {}
    error = ""
    for address in addresses:
        pinned = _pinned(parts=parts, port=port, address=address)
        try:
            with (
                httpx.Client(
                    timeout=settings.CASTLESS_WEBHOOK_TIMEOUT_SECONDS,
                    verify=_tls_context(),
                    follow_redirects=False,
                    trust_env=False,
                ) as client,
                client.stream(
                    "POST", pinned, content=body, headers=headers, extensions=extensions
                ) as response,
            ):
                status = response.status_code
        except httpx.ConnectError as exc:
            # Nothing was sent; the host's next address may answer.
            error = f"Could not connect: {exc}"
            continue
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return None, f"{type(exc).__name__}: {exc}"
        return status, "" if 200 <= status < 300 else f"HTTP {status}"
    return None, error


def _ascii_host(hostname: str) -> str:
    if ":" in hostname:  # an IPv6 literal
        return f"[{hostname}]"
    return hostname.encode("idna").decode("ascii")


@cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~30 ms; a worker sends many deliveries.
    return httpx.create_ssl_context()


def _pinned(*, parts: SplitResult, port: int, address: IPAddress) -> str:
    userinfo = parts.netloc.rpartition("@")[0]
    host = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{userinfo}@{host}:{port}" if userinfo else f"{host}:{port}"
    return parts._replace(netloc=netloc, fragment="").geturl()
