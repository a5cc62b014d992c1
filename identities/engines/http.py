"""The one way external engines talk HTTP.

A client with timeouts, a bounded retry loop with capped, jittered exponential back-off, a
size-capped body read, vendors' error bodies turned into `EngineError`s, and the wire formats
images travel in (base64, data URIs, download URLs). Every failure leaves here as an
`EngineError`; no httpx or JSON exception reaches the job pipeline.
"""

from __future__ import annotations

import base64
import binascii
import functools
import ipaddress
import json
import random
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings

from identities.engines.base import Capabilities, EngineError, Reference, RenderRequest

Sleep = Callable[[float], None]
Clock = Callable[[], float]

BACKOFF_BASE_SECONDS = 1.0
# Past ~20 s a retry no longer rescues a draft the user is watching; the job fails it instead.
BACKOFF_CAP_SECONDS = 20.0
JITTER = 0.2
# A 4K PNG in base64 inside JSON runs to ~60 MB; anything far beyond is not an image reply.
MAX_RESPONSE_BYTES = 160 * 1024 * 1024
# Rate limits and the server errors that clear with time (not 501 Not Implemented).
_TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Reply:
    """A fully read HTTP response (body capped at MAX_RESPONSE_BYTES)."""

    status: int
    headers: httpx.Headers
    body: bytes
    url: str

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int
    sleep: Sleep
    statuses: frozenset[int] = _TRANSIENT_STATUSES
    # Codes that arrive with a retryable status yet never clear by waiting (out of credits).
    final_codes: frozenset[str] = frozenset()

    def should_retry(self, reply: Reply) -> bool:
        if reply.status not in self.statuses:
            return False
        return error_detail(reply)[0] not in self.final_codes


class ExternalEngine:
    """What the three vendor adapters share: settings at call time, injectable waiting."""

    name: str
    capabilities: Capabilities
    api_key_setting: str
    retry_statuses: frozenset[int] = _TRANSIENT_STATUSES
    final_codes: frozenset[str] = frozenset()

    def __init__(self, *, sleep: Sleep = time.sleep, clock: Clock = time.monotonic) -> None:
        self._sleep = sleep
        self._clock = clock

    def is_configured(self) -> bool:
        return bool(getattr(settings, self.api_key_setting, ""))

    def _api_key(self) -> str:
        key = getattr(settings, self.api_key_setting, "")
        if not key:
            raise EngineError("config", f"{self.api_key_setting} is not set", engine=self.name)
        return key

    def _check(self, request: RenderRequest) -> None:
        problems = self.capabilities.refusal(
            size=request.size, ar=request.ar, input_assets=len(request.references)
        )
        if problems:
            message = "; ".join(text for _, text in problems)
            raise EngineError("invalid", message, engine=self.name)

    def _retry(self) -> RetryPolicy:
        return RetryPolicy(
            max_retries=settings.CASTLESS_ENGINE_MAX_RETRIES,
            sleep=self._sleep,
            statuses=self.retry_statuses,
            final_codes=self.final_codes,
        )


def make_client(*, timeout: float | None = None) -> httpx.Client:
    """A client whose every phase is bounded; read timeout = CASTLESS_ENGINE_TIMEOUT_SECONDS."""
    seconds = timeout if timeout is not None else settings.CASTLESS_ENGINE_TIMEOUT_SECONDS
    return httpx.Client(
        timeout=httpx.Timeout(seconds, connect=min(10.0, seconds)),
        headers={"User-Agent": "castless-engines/1"},
        verify=_tls_context(),
    )


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle costs 50-100 ms; one context serves every client in the process.
    return httpx.create_ssl_context()


def backoff_delay(attempt: int, retry_after: float | None = None) -> float:
    """Seconds before retry number `attempt` (0-based): 1, 2, 4 … capped, ±20 % jitter.

    Retry-After is honoured, but only up to the cap: a user is watching the draft.
    """
    delay = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt)
    delay *= random.uniform(1 - JITTER, 1 + JITTER)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, BACKOFF_CAP_SECONDS)


def send(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    engine: str,
    retry: RetryPolicy,
    idempotent: bool = False,
    **kwargs: Any,
) -> Reply:
    """The final reply after retrying what the policy allows; EngineError for transport failures.

    A POST that may have reached the engine (read timeout, dropped connection) is not sent
    again: the engine may already be rendering, and charging, for it. Connection failures
    happen before anything is sent, so they are retried like a 503; GETs retry on anything.
    """
    attempt = 0
    while True:
        try:
            reply = _send_once(client, method, url, engine=engine, **kwargs)
        except httpx.UnsupportedProtocol as exc:
            raise EngineError("config", f"bad engine URL {url!r}: {exc}", engine=engine) from exc
        except httpx.TransportError as exc:
            nothing_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
            if (idempotent or nothing_sent) and attempt < retry.max_retries:
                retry.sleep(backoff_delay(attempt))
                attempt += 1
                continue
            raise _transport_error(exc, engine=engine) from exc
        except httpx.RequestError as exc:  # e.g. an undecodable content encoding
            raise EngineError(
                "bad_response", f"{type(exc).__name__}: {exc}", engine=engine
            ) from exc
        if attempt < retry.max_retries and retry.should_retry(reply):
            retry.sleep(backoff_delay(attempt, _retry_after(reply)))
            attempt += 1
            continue
        return reply


def _send_once(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    engine: str,
    **kwargs: Any,
) -> Reply:
    try:
        request = client.build_request(method, url, **kwargs)
    except httpx.InvalidURL as exc:
        raise EngineError("config", f"bad engine URL {url!r}: {exc}", engine=engine) from exc
    response = client.send(request, stream=True)
    try:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES:
            raise EngineError("bad_response", "the engine's reply is too large", engine=engine)
        chunks, total = [], 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > MAX_RESPONSE_BYTES:
                raise EngineError("bad_response", "the engine's reply is too large", engine=engine)
            chunks.append(chunk)
    finally:
        response.close()
    return Reply(response.status_code, response.headers, b"".join(chunks), str(response.url))


def _transport_error(exc: httpx.TransportError, *, engine: str) -> EngineError:
    if isinstance(exc, httpx.TimeoutException):
        message = f"no answer in time ({type(exc).__name__})"
        return EngineError("timeout", message, engine=engine, retryable=True)
    message = f"cannot reach the engine ({type(exc).__name__}: {exc})"
    return EngineError("unavailable", message, engine=engine, retryable=True)


def _retry_after(reply: Reply) -> float | None:
    value = reply.headers.get("retry-after", "").strip()
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: rare from these APIs, and the back-off covers it


def error_detail(reply: Reply) -> tuple[str, str]:
    """(code, message) from any of our vendors' error bodies.

    Google RPC `{error: {code, message, status}}`, Seedream `{error: {code, message, type}}`,
    model-create `{error, message}`; otherwise the start of the body as the message.
    """
    try:
        payload = json.loads(reply.body)
    except (ValueError, UnicodeDecodeError):
        payload = None
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, dict):
            code = error.get("status") or error.get("code") or error.get("type") or ""
            return str(code), str(error.get("message") or "")
        if isinstance(error, str):
            return error, str(payload.get("message") or "")
    return "", reply.body[:200].decode("utf-8", "replace").strip()


def raise_for_status(reply: Reply, *, engine: str) -> None:
    """EngineError for a non-2xx reply by status; adapters handle their special cases first."""
    if reply.status < 300:
        return
    code, message = error_detail(reply)
    text = (
        f"HTTP {reply.status}" + (f" {code}" if code else "") + (f": {message}" if message else "")
    )
    if reply.status in (401, 403):
        raise EngineError("config", f"credentials refused ({text})", engine=engine)
    if reply.status == 404:
        raise EngineError("config", f"endpoint or model not found ({text})", engine=engine)
    if reply.status in (408, 504):
        raise EngineError("timeout", text, engine=engine, retryable=True)
    if reply.status == 429:
        raise EngineError("rate_limited", text, engine=engine, retryable=True)
    if reply.status >= 500:
        raise EngineError("unavailable", text, engine=engine, retryable=True)
    raise EngineError("invalid", text, engine=engine)


def json_object(reply: Reply, *, engine: str) -> dict[str, Any]:
    """The reply's JSON object; bad_response for another content type or malformed JSON."""
    if reply.content_type != "application/json" and not reply.content_type.endswith("+json"):
        raise EngineError(
            "bad_response",
            f"expected JSON, got {reply.content_type or 'no content type'} (HTTP {reply.status})",
            engine=engine,
        )
    try:
        payload = json.loads(reply.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise EngineError("bad_response", f"malformed JSON ({exc})", engine=engine) from exc
    if not isinstance(payload, dict):
        raise EngineError("bad_response", "the JSON reply is not an object", engine=engine)
    return payload


def decode_base64(value: object, *, engine: str) -> bytes:
    """Strict base64 (padding and alphabet checked): a truncated payload is a bad_response."""
    if not isinstance(value, str) or not value:
        raise EngineError("bad_response", "the image data is missing", engine=engine)
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EngineError(
            "bad_response", f"the image base64 is corrupt ({exc})", engine=engine
        ) from exc


def decode_data_uri(value: str, *, engine: str) -> bytes:
    """Bytes of a `data:image/...;base64,...` URI."""
    header, _, data = value.partition(",")
    if not header.startswith("data:image/") or not header.endswith(";base64"):
        raise EngineError("bad_response", "the image data URI is malformed", engine=engine)
    return decode_base64(data, engine=engine)


def data_uri(reference: Reference) -> str:
    """A reference image as a data URI, the form Seedream and model-create accept inline."""
    encoded = base64.b64encode(reference.data).decode("ascii")
    return f"data:{reference.mime_type};base64,{encoded}"


def download_image(
    client: httpx.Client, url: str, *, engine: str, retry: RetryPolicy, base_url: str
) -> bytes:
    """The bytes behind an output URL an engine handed us.

    The URL comes from a response body, so every hop (redirects are followed by hand) must be
    https to a named or public host, or the engine's own configured origin (a self-hosted
    gateway, the test fakes): cloud metadata and internal services are plain http or private
    addresses. An output URL that answers 4xx has expired or never existed: the engine's
    answer is unusable, our credentials are not at fault.
    """
    for _ in range(_MAX_REDIRECTS + 1):
        _check_output_url(url, base_url=base_url, engine=engine)
        reply = send(client, "GET", url, engine=engine, retry=retry, idempotent=True)
        location = reply.headers.get("location")
        if reply.status not in _REDIRECTS or not location:
            break
        url = urljoin(url, location)
    else:
        raise EngineError("bad_response", "the output URL redirects too often", engine=engine)
    if 400 <= reply.status < 500 and reply.status != 429:
        raise EngineError(
            "bad_response", f"the output URL answered HTTP {reply.status}", engine=engine
        )
    raise_for_status(reply, engine=engine)
    if not (reply.content_type.startswith("image/") or reply.content_type in _BINARY_TYPES):
        raise EngineError(
            "bad_response",
            f"the output URL served {reply.content_type or 'no content type'}, not an image",
            engine=engine,
        )
    return reply.body


def _check_output_url(url: str, *, base_url: str, engine: str) -> None:
    parts, base = urlsplit(url), urlsplit(base_url)
    if (parts.scheme, parts.netloc) == (base.scheme, base.netloc):
        return
    try:
        private = not ipaddress.ip_address(parts.hostname or "").is_global
    except ValueError:
        private = False  # a host name, not a literal address
    if parts.scheme != "https" or private or not parts.hostname:
        raise EngineError("bad_response", f"refusing to fetch output URL {url!r}", engine=engine)


_MAX_REDIRECTS = 3
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Object stores often serve generated files without a specific image type.
_BINARY_TYPES = frozenset({"application/octet-stream", "binary/octet-stream"})
