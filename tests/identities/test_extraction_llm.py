"""The optional chat-completions reader, against a real HTTP server on 127.0.0.1 that speaks
the OpenAI-compatible protocol (no mock of httpx)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from identities.extraction import ExtractionError, read_paragraph, read_reference
from identities.extraction.llm import SCHEMA
from identities.renderer import render_portrait

pytestmark = pytest.mark.django_db


def _answer(**fields) -> dict:
    empty = {"value": None, "confidence": 0}
    groups = {
        "appearance": dict.fromkeys(SCHEMA["properties"]["appearance"]["required"], empty),
        "face": dict.fromkeys(SCHEMA["properties"]["face"]["required"], empty),
        "hair": dict.fromkeys(SCHEMA["properties"]["hair"]["required"], empty),
    }
    for path, (value, confidence) in fields.items():
        group, name = path.split(".")
        groups[group][name] = {"value": value, "confidence": confidence}
    return {**groups, "faces_seen": 1, "notes": [], "unplaced_text": ""}


class ChatServer:
    """Answers POST /v1/chat/completions with the next queued (status, content) pair."""

    def __init__(self):
        self.requests: list[dict] = []
        self.replies: list[tuple[int, dict | str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                server.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("Authorization"),
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                status, content = server.replies.pop(0)
                if status == 200:
                    text = content if isinstance(content, str) else json.dumps(content)
                    payload = {"choices": [{"message": {"role": "assistant", "content": text}}]}
                else:
                    payload = {"error": {"message": "overloaded"}}
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def chat(settings):
    server = ChatServer()
    settings.CASTLESS_EXTRACT_LLM_BASE_URL = server.url
    settings.CASTLESS_EXTRACT_LLM_MODEL = "test-vision"
    settings.CASTLESS_EXTRACT_LLM_API_KEY = "sk-test"
    settings.CASTLESS_EXTRACT_LLM_TIMEOUT_SECONDS = 5
    yield server
    server.close()


def _portrait() -> Image.Image:
    return render_portrait({"hair": {"color": "black"}}, seed=5, width=512, height=512).image


def test_a_configured_model_reads_the_photo_with_a_json_schema(chat):
    chat.replies.append(
        (200, _answer(**{"hair.color": ("black", 0.9), "appearance.gender": ("female", 0.4)}))
    )
    result = read_reference(_portrait())
    assert result.source == "vlm:test-vision"
    assert result.readings["hair.color"].value == "black"
    assert "appearance.gender" not in result.readings  # under the confidence floor
    request = chat.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["authorization"] == "Bearer sk-test"
    body = request["body"]
    assert body["model"] == "test-vision"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == SCHEMA
    image = body["messages"][1]["content"][1]["image_url"]["url"]
    assert image.startswith("data:image/jpeg;base64,")


def test_several_faces_seen_by_the_model_are_said(chat):
    chat.replies.append((200, {**_answer(**{"hair.color": ("red", 0.8)}), "faces_seen": 3}))
    assert "3 faces found; used the largest." in read_reference(_portrait()).notes


def test_a_model_that_sees_no_face_is_a_clear_error(chat):
    chat.replies.append((200, {**_answer(), "faces_seen": 0}))
    with pytest.raises(ExtractionError) as refused:
        read_reference(_portrait())
    assert refused.value.code == "no_face"


def test_a_configured_model_reads_text_and_returns_what_it_could_not_place(chat):
    answer = _answer(**{"hair.color": ("jet-black", 0.95), "appearance.age": ("31", 0.9)})
    chat.replies.append((200, {**answer, "unplaced_text": "gaze slightly off-camera"}))
    result = read_paragraph("A 31-year-old woman, jet-black hair, gaze slightly off-camera.")
    assert result.source == "llm:test-vision"
    assert result.readings["appearance.age"].value == "31"
    assert result.unplaced_text == "gaze slightly off-camera"
    assert "off-camera" in chat.requests[0]["body"]["messages"][1]["content"][0]["text"]


def test_a_failing_model_hands_over_to_the_embedded_reader_with_a_note(chat):
    chat.replies.append((503, {}))
    result = read_reference(_portrait())
    assert result.source == "photo"
    assert result.readings["hair.color"].value == "black"
    assert "HTTP 503" in result.notes[-1]


def test_an_answer_outside_the_schema_hands_over_to_the_embedded_parser(chat):
    chat.replies.append((200, "not json at all"))
    result = read_paragraph("Long jet-black hair.")
    assert result.source == "parser"
    assert result.readings["hair.color"].value == "jet-black"
    assert "not JSON" in result.notes[-1]


def test_without_settings_nothing_is_sent_anywhere(settings):
    settings.CASTLESS_EXTRACT_LLM_BASE_URL = ""
    assert read_paragraph("Long jet-black hair.").source == "parser"
