"""`seedream`: ByteDance Seedream 4.x through the ModelArk images API.

Two defaults of that API would hurt us: a bare size tier ("2K") lets the model pick the
shape, and `watermark` is on unless sent as false. So every request names explicit pixels
and switches the vendor's watermark off (ours is applied, when asked, after fitting).
"""

from __future__ import annotations

import math
from typing import Any

import httpx
from django.conf import settings

from identities.engines.base import (
    ASPECT_RATIOS,
    SIZES,
    Capabilities,
    EngineError,
    RenderRequest,
    RenderResult,
)
from identities.engines.http import (
    ExternalEngine,
    Reply,
    data_uri,
    decode_base64,
    download_image,
    error_detail,
    json_object,
    make_client,
    raise_for_status,
    send,
)
from identities.engines.output import decode_engine_image, finish_render
from identities.engines.sizes import pixel_size

# Total pixels the API accepts per model generation. 4.0 takes [1024², 4096²]; 4.5 and later
# start at 2560x1440. Unknown (newer) models get the stricter floor.
_PIXELS_4_0 = (1024 * 1024, 4096 * 4096)
_PIXELS_LATER = (2560 * 1440, 4096 * 4096)
# Moderation codes all contain this (Input/OutputImage/TextSensitiveContentDetected, …).
_MODERATION_MARK = "SensitiveContent"
# 429s that waiting does not clear: the account's quota or its self-set spending limit.
_FINAL_CODES = frozenset({"QuotaExceeded", "SetLimitExceeded"})


def request_pixels(size: str, ar: str, model: str) -> tuple[int, int]:
    """Explicit WxH to ask Seedream for: our table's pixels, scaled into the model's range.

    The result is fitted to the table's exact pixels afterwards, so scaling only needs to
    keep the ratio; both sides stay multiples of 16, rounded towards the allowed range.
    """
    width, height = pixel_size(size, ar)
    low, high = _PIXELS_4_0 if "seedream-4-0" in model else _PIXELS_LATER
    area = width * height
    if low <= area <= high:
        return width, height
    scale = math.sqrt((low if area < low else high) / area)
    rounding = math.ceil if area < low else math.floor
    return (rounding(width * scale / 16) * 16, rounding(height * scale / 16) * 16)


class SeedreamEngine(ExternalEngine):
    name = "seedream"
    capabilities = Capabilities(
        sizes=frozenset(SIZES),
        aspect_ratios=frozenset(ASPECT_RATIOS),
        max_input_assets=3,
        external=True,
        label="Seedream",
    )
    api_key_setting = "CASTLESS_SEEDREAM_API_KEY"
    final_codes = _FINAL_CODES

    def render(self, request: RenderRequest) -> RenderResult:
        self._check(request)
        key = self._api_key()
        base_url = settings.CASTLESS_SEEDREAM_BASE_URL
        with make_client() as client:
            reply = send(
                client,
                "POST",
                f"{base_url}/api/v3/images/generations",
                engine=self.name,
                retry=self._retry(),
                json=self._body(request),
                headers={"Authorization": f"Bearer {key}"},
            )
            if reply.status >= 300:
                self._raise(reply)
            payload = json_object(reply, engine=self.name)
            data = self._image_bytes(client, payload, base_url)
        image = decode_engine_image(data, engine=self.name)
        details = {
            "request_id": reply.headers.get("x-request-id", ""),
            "model": payload.get("model", settings.CASTLESS_SEEDREAM_MODEL),
            "engine_pixels": f"{image.width}x{image.height}",
        }
        return finish_render(image, request, engine=self.name, details=details)

    def _body(self, request: RenderRequest) -> dict[str, Any]:
        model = settings.CASTLESS_SEEDREAM_MODEL
        width, height = request_pixels(request.size, request.ar, model)
        body: dict[str, Any] = {
            "model": model,
            "prompt": request.prompt,
            "size": f"{width}x{height}",
            "sequential_image_generation": "disabled",
            "response_format": "b64_json",
            "watermark": False,
            "seed": request.seed,
        }
        if request.references:
            body["image"] = [data_uri(reference) for reference in request.references]
        return body

    def _raise(self, reply: Reply) -> None:
        code, message = error_detail(reply)
        if _MODERATION_MARK in code:
            raise EngineError("refused", f"{code}: {message}", engine=self.name)
        if code in _FINAL_CODES:
            raise EngineError("unavailable", f"{code}: {message}", engine=self.name)
        raise_for_status(reply, engine=self.name)

    def _image_bytes(self, client: httpx.Client, payload: dict[str, Any], base_url: str) -> bytes:
        items = payload.get("data")
        if not isinstance(items, list) or not items or not isinstance(items[0], dict):
            error = payload.get("error")
            if isinstance(error, dict):
                raise self._item_error(error)
            raise EngineError("bad_response", "the reply holds no image", engine=self.name)
        item = items[0]
        if isinstance(item.get("error"), dict):
            raise self._item_error(item["error"])
        if item.get("b64_json"):
            return decode_base64(item["b64_json"], engine=self.name)
        if isinstance(item.get("url"), str):
            return download_image(
                client, item["url"], engine=self.name, retry=self._retry(), base_url=base_url
            )
        raise EngineError(
            "bad_response", "the image item has neither data nor URL", engine=self.name
        )

    def _item_error(self, error: dict[str, Any]) -> EngineError:
        code = str(error.get("code") or "")
        text = f"{code}: {error.get('message') or ''}".strip(": ")
        if _MODERATION_MARK in code:
            return EngineError("refused", text, engine=self.name)
        # A per-image failure other than moderation is the vendor's render failing.
        return EngineError("unavailable", text, engine=self.name, retryable=True)
