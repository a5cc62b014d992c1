"""ModelArk's Seedream 4.x images/generations endpoint."""

from __future__ import annotations

import re
from typing import Any

from tests.identities.fakes.images import RED, b64, image_bytes
from tests.identities.fakes.server import FakeServer, Recorded, Reply

_SIZE = re.compile(r"^(\d+)x(\d+)$")
_KNOWN_KEYS = {
    "model",
    "prompt",
    "image",
    "size",
    "seed",
    "sequential_image_generation",
    "sequential_image_generation_options",
    "stream",
    "response_format",
    "watermark",
}


def b64_reply(data: bytes, size: str = "") -> Reply:
    return Reply.json(_envelope([{"b64_json": b64(data), "size": size}]))


def url_reply(url: str) -> Reply:
    return Reply.json(_envelope([{"url": url, "size": ""}]))


def item_error_reply(code: str, message: str) -> Reply:
    """HTTP 200 with the one image replaced by an error, as Seedream reports moderation."""
    return Reply.json(_envelope([{"error": {"code": code, "message": message}}]))


def api_error(status: int, code: str, message: str) -> Reply:
    body = {"error": {"code": code, "message": message, "param": "", "type": "BadRequest"}}
    return Reply.json(body, status, headers={"x-request-id": "req-error"})


def _envelope(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "model": "seedream-4-0-250828",
        "created": 1757323224,
        "data": items,
        "usage": {"generated_images": len(items), "output_tokens": 16384, "total_tokens": 16384},
    }


class FakeSeedream(FakeServer):
    API_KEY = "test-seedream-key"
    MODEL = "seedream-4-0-250828"
    MIN_PIXELS, MAX_PIXELS = 1024 * 1024, 4096 * 4096

    def route(self, request: Recorded) -> str | None:
        if request.method == "POST" and request.path == "/api/v3/images/generations":
            return "generate"
        return None

    def validate(self, route: str, request: Recorded) -> list[str]:
        problems = []
        if request.headers.get("authorization") != f"Bearer {self.API_KEY}":
            problems.append("Authorization: Bearer <key> missing or wrong")
        body = request.json()
        if unknown := set(body) - _KNOWN_KEYS:
            problems.append(f"unknown fields {sorted(unknown)}")
        if body.get("model") != self.MODEL:
            problems.append(f"model {body.get('model')!r} is not the configured one")
        if not isinstance(body.get("prompt"), str) or not body["prompt"].strip():
            problems.append("prompt missing")
        problems.extend(self._size_problems(body.get("size")))
        if body.get("sequential_image_generation") != "disabled":
            problems.append("sequential_image_generation must be 'disabled'")
        if body.get("response_format") != "b64_json":
            problems.append("response_format must be 'b64_json'")
        if body.get("watermark") is not False:
            problems.append("watermark must be sent as false (it defaults to true)")
        seed = body.get("seed")
        if seed is not None and (not isinstance(seed, int) or not 0 <= seed < 2**32):
            problems.append(f"seed {seed!r} out of range")
        for uri in body.get("image", []):
            if not re.match(r"^data:image/(jpeg|png|webp);base64,[A-Za-z0-9+/=]+$", uri):
                problems.append("image entries must be data:image/<fmt>;base64 URIs")
        return problems

    def _size_problems(self, size: object) -> list[str]:
        match = _SIZE.match(size) if isinstance(size, str) else None
        if match is None:
            return [f"size must be explicit 'WxH' pixels, not {size!r}"]
        width, height = int(match[1]), int(match[2])
        if not self.MIN_PIXELS <= width * height <= self.MAX_PIXELS:
            return [f"size {size} outside the model's pixel range"]
        if not 1 / 16 <= width / height <= 16:
            return [f"size {size} outside the ratio range"]
        return []

    def default_reply(self, route: str, request: Recorded) -> Reply:
        width, height = (int(side) for side in request.json()["size"].split("x"))
        # Seedream delivers JPEG at exactly the pixels asked for.
        return b64_reply(image_bytes(width, height, RED, "JPEG"), f"{width}x{height}")
