"""The Gemini API's generateContent, as Gemini 3 Pro Image answers it."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from tests.identities.fakes.images import BLUE, RED, b64, image_bytes
from tests.identities.fakes.server import FakeServer, Recorded, Reply

RATIOS = {"1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"}
SIZES = {"1K", "2K", "4K"}


def image_reply(data: bytes, mime: str = "image/png", *, thought: bytes | None = None) -> Reply:
    """A success: optional interim "thought" image first, then a text part, then the image."""
    parts: list[dict[str, Any]] = []
    if thought is not None:
        parts.append(
            {"inlineData": {"mimeType": "image/png", "data": b64(thought)}, "thought": True}
        )
    parts.append({"text": "Here is the portrait."})
    parts.append({"inlineData": {"mimeType": mime, "data": b64(data)}})
    return candidate_reply(parts, "STOP")


def candidate_reply(parts: list[dict[str, Any]], finish_reason: str, **extra: Any) -> Reply:
    candidate = {"content": {"role": "model", "parts": parts}, "finishReason": finish_reason}
    candidate.update(extra)
    return Reply.json(
        {
            "candidates": [candidate],
            "modelVersion": "gemini-3-pro-image-preview",
            "responseId": "resp-fake-123",
            "usageMetadata": {"promptTokenCount": 12},
        }
    )


def blocked_reply(reason: str = "PROHIBITED_CONTENT") -> Reply:
    """HTTP 200, no candidates: the prompt itself was blocked."""
    return Reply.json({"promptFeedback": {"blockReason": reason}, "responseId": "resp-blocked"})


def rpc_error(code: int, status: str, message: str, **kwargs: Any) -> Reply:
    """Google's RPC error body."""
    return Reply.json(
        {"error": {"code": code, "message": message, "status": status}}, code, **kwargs
    )


class FakeGemini(FakeServer):
    API_KEY = "test-gemini-key"
    MODEL = "gemini-test-image"

    def route(self, request: Recorded) -> str | None:
        if (
            request.method == "POST"
            and request.path == f"/v1beta/models/{self.MODEL}:generateContent"
        ):
            return "generate"
        return None

    def validate(self, route: str, request: Recorded) -> list[str]:
        problems = []
        if request.headers.get("x-goog-api-key") != self.API_KEY:
            problems.append("x-goog-api-key header missing or wrong")
        if not request.headers.get("content-type", "").startswith("application/json"):
            problems.append("body is not sent as JSON")
            return problems
        body = request.json()
        contents = body.get("contents")
        if not isinstance(contents, list) or len(contents) != 1:
            return [*problems, "contents must hold exactly one turn"]
        parts = contents[0].get("parts") or []
        if not parts or not isinstance(parts[0].get("text"), str) or not parts[0]["text"].strip():
            problems.append("the first part must be the prompt text")
        for part in parts[1:]:
            problems.extend(_inline_problems(part))
        config = body.get("generationConfig") or {}
        if config.get("responseModalities") != ["IMAGE"]:
            problems.append("responseModalities must be ['IMAGE']")
        image_config = config.get("imageConfig") or {}
        if image_config.get("aspectRatio") not in RATIOS:
            problems.append(f"unsupported aspectRatio {image_config.get('aspectRatio')!r}")
        if image_config.get("imageSize") not in SIZES:
            problems.append(f"unsupported imageSize {image_config.get('imageSize')!r}")
        return problems

    def default_reply(self, route: str, request: Recorded) -> Reply:
        # Gemini draws close to, not exactly at, our table's pixels: the ratio in small units.
        ratio = request.json()["generationConfig"]["imageConfig"]["aspectRatio"]
        w_units, h_units = (int(part) for part in ratio.split(":"))
        final = image_bytes(w_units * 40, h_units * 40, RED)
        return image_reply(final, thought=image_bytes(w_units * 8, h_units * 8, BLUE))


def _inline_problems(part: dict[str, Any]) -> list[str]:
    inline = part.get("inline_data") or part.get("inlineData")
    if not isinstance(inline, dict):
        return ["every part after the text must be inline image data"]
    mime = inline.get("mime_type") or inline.get("mimeType")
    if mime not in {"image/jpeg", "image/png", "image/webp"}:
        return [f"unsupported reference mime type {mime!r}"]
    try:
        base64.b64decode(inline.get("data") or "", validate=True)
    except (binascii.Error, ValueError):
        return ["reference data is not base64"]
    return []
