"""`model_create`: the seeds' model-create API (FASHN's /v1/run, polled on /v1/status).

Submitting only queues a prediction; the image arrives on a later poll. Polling is bounded by
an overall deadline, so a prediction stuck "in_queue" fails the draft instead of a worker.
"""

from __future__ import annotations

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
    decode_data_uri,
    download_image,
    error_detail,
    json_object,
    make_client,
    raise_for_status,
    send,
)
from identities.engines.output import decode_engine_image, finish_render

MODEL_NAME = "model-create"
_PENDING = frozenset({"starting", "in_queue", "processing"})
# Runtime error names that mean the input was judged unacceptable, not that rendering broke.
_REFUSAL_MARKS = ("NSFW", "Moderation")
_INPUT_ERRORS = frozenset({"ImageLoadError", "PhotoTypeError", "InputValidationError"})
# 429 OutOfCredits shares its status with the rate limits but never clears by waiting.
_FINAL_CODES = frozenset({"OutOfCredits"})


class ModelCreateEngine(ExternalEngine):
    name = "model_create"
    # Every tier and all ten ratios are published; `image_reference` takes one image.
    capabilities = Capabilities(
        sizes=frozenset(SIZES),
        aspect_ratios=frozenset(ASPECT_RATIOS),
        max_input_assets=1,
        external=True,
        label="Model Create",
    )
    api_key_setting = "CASTLESS_MODELCREATE_API_KEY"
    final_codes = _FINAL_CODES

    def render(self, request: RenderRequest) -> RenderResult:
        self._check(request)
        headers = {"Authorization": f"Bearer {self._api_key()}"}
        base_url = settings.CASTLESS_MODELCREATE_BASE_URL
        with make_client() as client:
            prediction_id = self._submit(client, base_url, headers, request)
            output = self._poll(client, base_url, headers, prediction_id)
            data = self._output_bytes(client, output, base_url)
        image = decode_engine_image(data, engine=self.name)
        details = {"request_id": prediction_id, "engine_pixels": f"{image.width}x{image.height}"}
        return finish_render(image, request, engine=self.name, details=details)

    def _inputs(self, request: RenderRequest) -> dict[str, Any]:
        inputs: dict[str, Any] = {
            "prompt": request.prompt,
            "aspect_ratio": request.ar,
            "resolution": request.size.lower(),
            "seed": request.seed,
            "num_images": 1,
            # We fit and re-encode every image, so a lossless source avoids a second
            # generation of JPEG artefacts whatever format the draft is stored in.
            "output_format": "png",
            # Brand portraits stay off the vendor's CDN (base64 outputs expire in 60 min).
            "return_base64": True,
        }
        if request.references:
            inputs["image_reference"] = data_uri(request.references[0])
        return inputs

    def _submit(
        self, client: httpx.Client, base_url: str, headers: dict[str, str], request: RenderRequest
    ) -> str:
        reply = send(
            client,
            "POST",
            f"{base_url}/v1/run",
            engine=self.name,
            retry=self._retry(),
            json={"model_name": MODEL_NAME, "inputs": self._inputs(request)},
            headers=headers,
        )
        if reply.status >= 300:
            self._raise(reply)
        payload = json_object(reply, engine=self.name)
        if payload.get("error"):
            raise EngineError("invalid", f"run refused: {payload['error']}", engine=self.name)
        prediction_id = payload.get("id")
        if not isinstance(prediction_id, str) or not prediction_id:
            raise EngineError(
                "bad_response", "the run reply has no prediction id", engine=self.name
            )
        return prediction_id

    def _poll(
        self, client: httpx.Client, base_url: str, headers: dict[str, str], prediction_id: str
    ) -> list[Any]:
        interval = settings.CASTLESS_MODELCREATE_POLL_SECONDS
        deadline = self._clock() + settings.CASTLESS_MODELCREATE_DEADLINE_SECONDS
        while True:
            payload = self._status(client, base_url, headers, prediction_id)
            status = payload.get("status")
            if status == "completed":
                output = payload.get("output")
                if not isinstance(output, list) or not output:
                    raise EngineError("bad_response", "completed without output", engine=self.name)
                return output
            if status not in _PENDING:
                raise self._final_error(status, payload)
            if self._clock() + interval > deadline:
                raise EngineError(
                    "timeout",
                    f"prediction {prediction_id} still {status} at the deadline",
                    engine=self.name,
                    retryable=True,
                )
            self._sleep(interval)

    def _status(
        self, client: httpx.Client, base_url: str, headers: dict[str, str], prediction_id: str
    ) -> dict[str, Any]:
        reply = send(
            client,
            "GET",
            f"{base_url}/v1/status/{prediction_id}",
            engine=self.name,
            retry=self._retry(),
            idempotent=True,
            headers=headers,
        )
        if reply.status == 404:
            # The run was accepted a moment ago, so an unknown id is the vendor losing it.
            raise EngineError(
                "bad_response", f"prediction {prediction_id} is not tracked", engine=self.name
            )
        if reply.status >= 300:
            self._raise(reply)
        return json_object(reply, engine=self.name)

    def _final_error(self, status: object, payload: dict[str, Any]) -> EngineError:
        if status == "time_out":
            return EngineError(
                "timeout", "the vendor timed the prediction out", engine=self.name, retryable=True
            )
        if status == "canceled":
            return EngineError(
                "unavailable", "the prediction was canceled", engine=self.name, retryable=True
            )
        if status != "failed":
            return EngineError("bad_response", f"unknown status {status!r}", engine=self.name)
        error = payload.get("error") if isinstance(payload.get("error"), dict) else {}
        name = str(error.get("name") or "")
        text = f"{name}: {error.get('message') or ''}".strip(": ") or "failed"
        if any(mark in name for mark in _REFUSAL_MARKS):
            return EngineError("refused", text, engine=self.name)
        if name in _INPUT_ERRORS:
            return EngineError("invalid", text, engine=self.name)
        return EngineError("unavailable", text, engine=self.name, retryable=True)

    def _raise(self, reply: Reply) -> None:
        code, message = error_detail(reply)
        if code in _FINAL_CODES:
            raise EngineError("unavailable", f"{code}: {message}", engine=self.name)
        raise_for_status(reply, engine=self.name)

    def _output_bytes(self, client: httpx.Client, output: list[Any], base_url: str) -> bytes:
        first = output[0]
        if not isinstance(first, str) or not first:
            raise EngineError("bad_response", "the output entry is not a string", engine=self.name)
        if first.startswith("data:"):
            return decode_data_uri(first, engine=self.name)
        return download_image(
            client, first, engine=self.name, retry=self._retry(), base_url=base_url
        )
