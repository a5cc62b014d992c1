"""`nano_banana_pro`: Gemini 3 Pro Image through the Gemini API's generateContent.

One image per call. Safety refusals come back as HTTP 200 (a blocked prompt has no
candidates; a blocked image is a candidate without image data and a finishReason), so a 200
is not a success until an image is found.
"""

from __future__ import annotations

import base64
from typing import Any

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
    decode_base64,
    error_detail,
    json_object,
    make_client,
    raise_for_status,
    send,
)
from identities.engines.output import decode_engine_image, finish_render

# Finish reasons that mean "finished normally"; any other reason without an image is the
# model declining (IMAGE_SAFETY, SAFETY, PROHIBITED_CONTENT, NO_IMAGE, RECITATION, …).
_NORMAL_FINISH = frozenset({"STOP", "FINISH_REASON_UNSPECIFIED", "MAX_TOKENS", ""})
# Gemini reports a bad key as 400 INVALID_ARGUMENT, and an unsupported region as 400
# FAILED_PRECONDITION: both are ours to fix in configuration, not the brief's fault.
_CONFIG_REASONS = ("API_KEY_INVALID", "API key not valid", "FAILED_PRECONDITION")


class GeminiEngine(ExternalEngine):
    name = "nano_banana_pro"
    # Gemini 3 Pro Image publishes all ten of our ratios and the three tiers; three
    # references is our product limit (the model takes more).
    capabilities = Capabilities(
        sizes=frozenset(SIZES),
        aspect_ratios=frozenset(ASPECT_RATIOS),
        max_input_assets=3,
        external=True,
        label="Nano Banana Pro",
    )
    api_key_setting = "CASTLESS_GEMINI_API_KEY"
    # Google's guidance: 429 and 500/503/504 are transient; 502 is not in its list.
    retry_statuses = frozenset({429, 500, 503, 504})

    def render(self, request: RenderRequest) -> RenderResult:
        self._check(request)
        key = self._api_key()
        url = (
            f"{settings.CASTLESS_GEMINI_BASE_URL}/v1beta/models/"
            f"{settings.CASTLESS_GEMINI_MODEL}:generateContent"
        )
        with make_client() as client:
            reply = send(
                client,
                "POST",
                url,
                engine=self.name,
                retry=self._retry(),
                json=self._body(request),
                headers={"x-goog-api-key": key},
            )
        if reply.status >= 300:
            self._raise(reply)
        payload = json_object(reply, engine=self.name)
        image = decode_engine_image(self._image_bytes(payload), engine=self.name)
        details = {
            "request_id": payload.get("responseId", ""),
            "model": payload.get("modelVersion", settings.CASTLESS_GEMINI_MODEL),
            "engine_pixels": f"{image.width}x{image.height}",
        }
        return finish_render(image, request, engine=self.name, details=details)

    def _body(self, request: RenderRequest) -> dict[str, Any]:
        parts: list[dict[str, Any]] = [{"text": request.prompt}]
        for reference in request.references:
            encoded = base64.b64encode(reference.data).decode("ascii")
            parts.append({"inline_data": {"mime_type": reference.mime_type, "data": encoded}})
        return {
            "contents": [{"role": "user", "parts": parts}],
            "generationConfig": {
                "responseModalities": ["IMAGE"],
                "imageConfig": {"aspectRatio": request.ar, "imageSize": request.size},
            },
        }

    def _raise(self, reply: Reply) -> None:
        status, message = error_detail(reply)
        raw = reply.body[:2000].decode("utf-8", "replace")
        if reply.status == 400 and any(reason in raw for reason in _CONFIG_REASONS):
            raise EngineError("config", f"{status}: {message}", engine=self.name)
        raise_for_status(reply, engine=self.name)

    def _image_bytes(self, payload: dict[str, Any]) -> bytes:
        candidates = payload.get("candidates") or []
        if not candidates:
            feedback = payload.get("promptFeedback") or {}
            reason = feedback.get("blockReason")
            if reason:
                detail = feedback.get("blockReasonMessage") or ""
                raise EngineError(
                    "refused", f"prompt blocked: {reason} {detail}".strip(), engine=self.name
                )
            raise EngineError("bad_response", "the reply has no candidates", engine=self.name)
        candidate = candidates[0] if isinstance(candidates[0], dict) else {}
        parts = (candidate.get("content") or {}).get("parts") or []
        images = [
            part.get("inlineData") or part.get("inline_data")
            for part in parts
            if isinstance(part, dict)
            and (part.get("inlineData") or part.get("inline_data"))
            and not part.get("thought")  # interim "thinking" drafts precede the final image
        ]
        if images and isinstance(images[-1], dict):
            return decode_base64(images[-1].get("data"), engine=self.name)
        raise self._no_image(candidate, parts)

    def _no_image(self, candidate: dict[str, Any], parts: list[Any]) -> EngineError:
        reason = str(candidate.get("finishReason") or "")
        text = " ".join(
            str(part["text"]) for part in parts if isinstance(part, dict) and part.get("text")
        )
        explanation = str(candidate.get("finishMessage") or text)[:300]
        if reason not in _NORMAL_FINISH:
            return EngineError("refused", f"{reason} {explanation}".strip(), engine=self.name)
        if text and reason != "MAX_TOKENS":
            # The model answered in words instead of drawing: that is a decline, too.
            return EngineError("refused", f"no image: {explanation}", engine=self.name)
        return EngineError("bad_response", "the candidate holds no image", engine=self.name)
