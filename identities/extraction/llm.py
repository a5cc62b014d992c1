"""The optional reader: any OpenAI-compatible chat-completions API with image input and
JSON-schema answers (`response_format: {"type": "json_schema", …}`), over httpx.

Configured by CASTLESS_EXTRACT_LLM_* settings; `LlmUnavailable` on any failure (network,
status, an answer outside the schema), so the caller can fall back to the embedded readers.
The model is told the chip vocabulary, so its values land in the chips like ours do.
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass
from typing import Any

import httpx
from PIL import Image

from identities.briefs.vocabulary import FIELDS, GROUPS, chip_values, field, field_names
from identities.extraction.result import Extraction, ExtractionError

# The photo sent to the model: enough to read a face, small enough to upload fast.
SEND_SIDE = 1536
MAX_NOTES = 5


class LlmUnavailable(Exception):
    """The API could not give a usable answer; the message says why (for a note)."""


@dataclass(frozen=True)
class LlmClient:
    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 60.0
    transport: httpx.BaseTransport | None = None

    def read_photo(self, image: Image.Image) -> Extraction:
        content = [
            {"type": "text", "text": PHOTO_TASK},
            {"type": "image_url", "image_url": {"url": _data_url(image)}},
        ]
        answer = self._complete(content)
        faces = answer.get("faces_seen")
        if faces == 0:
            raise ExtractionError(
                "no_face",
                "No face found in this photo. Use a photo where one person faces the camera.",
                field="file_id",
            )
        result = _extraction(answer, source=f"vlm:{self.model}")
        if isinstance(faces, int) and faces > 1:
            result.notes.insert(0, f"{faces} faces found; used the largest.")
        return result

    def read_text(self, text: str) -> Extraction:
        answer = self._complete([{"type": "text", "text": f"{TEXT_TASK}\n\nBrief:\n{text}"}])
        result = _extraction(answer, source=f"llm:{self.model}")
        unplaced = answer.get("unplaced_text")
        result.unplaced_text = unplaced.strip() if isinstance(unplaced, str) else ""
        return result

    def _complete(self, content: list[dict]) -> dict[str, Any]:
        body = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": content},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "castless_brief", "strict": True, "schema": SCHEMA},
            },
        }
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            with httpx.Client(timeout=self.timeout, transport=self.transport) as client:
                response = client.post(
                    f"{self.base_url}/chat/completions", json=body, headers=headers
                )
        except httpx.HTTPError as error:
            raise LlmUnavailable(f"the extraction model could not be reached ({error})") from None
        if response.status_code != 200:
            raise LlmUnavailable(f"the extraction model answered HTTP {response.status_code}")
        return _answer(response)


def _answer(response: httpx.Response) -> dict[str, Any]:
    try:
        message = response.json()["choices"][0]["message"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise LlmUnavailable("the extraction model's answer was not a chat completion") from None
    if message.get("refusal"):
        raise LlmUnavailable(f"the extraction model refused: {message['refusal']}")
    try:
        answer = json.loads(message.get("content") or "")
    except (TypeError, ValueError):
        raise LlmUnavailable("the extraction model's answer was not JSON") from None
    if not isinstance(answer, dict):
        raise LlmUnavailable("the extraction model's answer was not a JSON object")
    return answer


def _extraction(answer: dict[str, Any], *, source: str) -> Extraction:
    result = Extraction(source=source)
    for group in GROUPS:
        values = answer.get(group) if isinstance(answer.get(group), dict) else {}
        for name in field_names(group):
            reading = values.get(name)
            if not isinstance(reading, dict):
                continue
            value, confidence = reading.get("value"), reading.get("confidence")
            if not isinstance(value, str) or not value.strip():
                continue
            if not isinstance(confidence, int | float) or isinstance(confidence, bool):
                confidence = 0.0
            limit = field(group, name).max_length
            result.put(f"{group}.{name}", value.strip()[:limit], max(0.0, min(1.0, confidence)))
    notes = answer.get("notes")
    if isinstance(notes, list):
        result.notes.extend(str(note)[:200] for note in notes[:MAX_NOTES] if str(note).strip())
    return result


def _data_url(image: Image.Image) -> str:
    picture = image.convert("RGB")
    picture.thumbnail((SEND_SIDE, SEND_SIDE))
    buffer = io.BytesIO()
    # Re-encoded from pixels: nothing of the upload's metadata leaves the server.
    picture.save(buffer, format="JPEG", quality=90)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _field_schema() -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["value", "confidence"],
        "properties": {"value": {"type": ["string", "null"]}, "confidence": {"type": "number"}},
    }


def _group_schema(group: str) -> dict:
    names = field_names(group)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(names),
        "properties": {name: _field_schema() for name in names},
    }


SCHEMA: dict = {
    "type": "object",
    "additionalProperties": False,
    "required": [*GROUPS, "faces_seen", "notes", "unplaced_text"],
    "properties": {
        **{group: _group_schema(group) for group in GROUPS},
        "faces_seen": {"type": "integer"},
        "notes": {"type": "array", "items": {"type": "string"}},
        "unplaced_text": {"type": "string"},
    },
}


def _vocabulary() -> str:
    lines = [f"- {f.path}: {', '.join(chip_values(f.group, f.name))}" for f in FIELDS]
    return "\n".join(lines)


SYSTEM_PROMPT = f"""You fill casting briefs for AI-generated fashion models.
Answer only with JSON matching the schema. For every field give a value and your confidence
from 0 to 1; give null (confidence 0) for anything you cannot tell reliably: an empty field is
better than a guess. Prefer these suggestion values, combined with ", " when several apply, and
plain short words otherwise:
{_vocabulary()}
Ages are 18 or over, as a number or a range ("early 30s"). Never describe clothing, accessories
other than piercings, background, props, lighting or camera."""

PHOTO_TASK = """Read the subject of this reference photo into the brief fields: gender, apparent
age range, skin tone, eye colour and shape, eyebrows, hair colour, length and style, facial
hair and visible marks. If several people are visible, describe the one with the largest face
and set faces_seen to how many faces you see (0 if none). Leave unplaced_text empty. Notes may
say what limited the reading (a small or turned face, strong colour cast)."""

TEXT_TASK = """Read this brief into the fields. Put in unplaced_text, verbatim, the parts of the
brief that no field can hold (gaze, mood of the shoot, hair details beyond colour, length and
style, …), joined with "; ", or "" when everything was placed. Set faces_seen to 1."""
