"""The seeds' model-create API: POST /v1/run, then GET /v1/status/{id} until it settles."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from tests.identities.fakes.images import RED, data_uri, image_bytes
from tests.identities.fakes.server import FakeServer, Recorded, Reply

RATIOS = {"21:9", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "4:5", "5:4", "1:1"}
_INPUT_KEYS = {
    "prompt",
    "image_reference",
    "aspect_ratio",
    "face_reference",
    "face_reference_mode",
    "resolution",
    "generation_mode",
    "seed",
    "num_images",
    "output_format",
    "return_base64",
}


def status_reply(status: str, **extra: Any) -> Callable[[Recorded], Reply]:
    """A status poll answer; the prediction id is echoed from the path."""

    def answer(request: Recorded) -> Reply:
        body = {"id": request.path.rsplit("/", 1)[-1], "status": status, "error": None}
        body.update(extra)
        return Reply.json(body)

    return answer


def completed(output: str) -> Callable[[Recorded], Reply]:
    return status_reply("completed", output=[output])


def failed(name: str, message: str) -> Callable[[Recorded], Reply]:
    return status_reply("failed", error={"name": name, "message": message})


def api_error(status: int, error: str, message: str) -> Reply:
    return Reply.json({"error": error, "message": message}, status)


class FakeModelCreate(FakeServer):
    API_KEY = "test-modelcreate-key"

    def __init__(self) -> None:
        super().__init__()
        self._ids = (f"pred-{n:04d}-u1" for n in itertools.count(1))
        self.issued: list[str] = []

    def route(self, request: Recorded) -> str | None:
        if request.method == "POST" and request.path == "/v1/run":
            return "run"
        if request.method == "GET" and request.path.startswith("/v1/status/"):
            return "status"
        return None

    def validate(self, route: str, request: Recorded) -> list[str]:
        problems = []
        if request.headers.get("authorization") != f"Bearer {self.API_KEY}":
            problems.append("Authorization: Bearer <key> missing or wrong")
        if route == "run":
            problems.extend(_run_problems(request.json()))
        return problems

    def default_reply(self, route: str, request: Recorded) -> Reply:
        if route == "run":
            prediction_id = next(self._ids)
            self.issued.append(prediction_id)
            return Reply.json({"id": prediction_id, "error": None})
        prediction_id = request.path.rsplit("/", 1)[-1]
        if prediction_id not in self.issued:
            return api_error(404, "NotFound", f"prediction {prediction_id} is not tracked")
        return completed(data_uri(image_bytes(300, 400, RED)))(request)


def _run_problems(body: dict[str, Any]) -> list[str]:
    if body.get("model_name") != "model-create":
        return ["model_name must be 'model-create'"]
    inputs = body.get("inputs")
    if not isinstance(inputs, dict):
        return ["inputs must be an object"]
    problems = []
    if unknown := set(inputs) - _INPUT_KEYS:
        problems.append(f"unknown inputs {sorted(unknown)}")
    if not isinstance(inputs.get("prompt"), str) or not inputs["prompt"].strip():
        problems.append("prompt is required")
    if inputs.get("aspect_ratio", "1:1") not in RATIOS:
        problems.append(f"unsupported aspect_ratio {inputs.get('aspect_ratio')!r}")
    if inputs.get("resolution", "1k") not in {"1k", "2k", "4k"}:
        problems.append(f"unsupported resolution {inputs.get('resolution')!r}")
    seed = inputs.get("seed", 42)
    if not isinstance(seed, int) or not 0 <= seed < 2**32:
        problems.append(f"seed {seed!r} out of range")
    if inputs.get("num_images", 1) not in range(1, 5):
        problems.append("num_images must be 1-4")
    if inputs.get("output_format", "png") not in {"png", "jpeg"}:
        problems.append("output_format must be png or jpeg")
    if not isinstance(inputs.get("return_base64", False), bool):
        problems.append("return_base64 must be a boolean")
    reference = inputs.get("image_reference")
    if reference is not None and not re.match(r"^(https://|data:image/\w+;base64,)", reference):
        problems.append("image_reference must be a URL or a prefixed base64 data URI")
    return problems
