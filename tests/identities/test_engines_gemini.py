import pytest
from PIL import ImageChops

from identities.engines.base import EngineError
from identities.engines.gemini import GeminiEngine
from identities.engines.sizes import pixel_size
from tests.identities.fakes.gemini import (
    FakeGemini,
    blocked_reply,
    candidate_reply,
    rpc_error,
)
from tests.identities.fakes.images import BLUE, RED, b64, image_bytes, open_image, reference
from tests.identities.fakes.images import render_request as make_request
from tests.identities.fakes.server import Reply


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def engine(sleeps):
    return GeminiEngine(sleep=sleeps.append)


def _error(engine, request=None) -> EngineError:
    with pytest.raises(EngineError) as caught:
        engine.render(request or make_request())
    assert caught.value.engine == "nano_banana_pro"
    return caught.value


@pytest.mark.parametrize(
    ("size", "ar", "fmt", "pil_format"),
    [("1K", "1:1", "png", "PNG"), ("2K", "3:4", "jpg", "JPEG"), ("1K", "21:9", "jpg", "JPEG")],
)
def test_gemini_image_comes_back_at_exact_pixels_and_format(
    gemini, engine, size, ar, fmt, pil_format
):
    result = engine.render(make_request(size=size, ar=ar, format=fmt))

    image = open_image(result.image)
    assert (result.width, result.height) == pixel_size(size, ar) == image.size
    assert image.format == pil_format and image.mode == "RGB"
    assert (result.engine, result.format, result.seed) == ("nano_banana_pro", fmt, 1234)
    assert result.details["request_id"] == "resp-fake-123"


def test_gemini_request_carries_prompt_ratio_size_and_key(gemini, engine):
    engine.render(make_request(size="2K", ar="4:5", prompt="A portrait, verbatim"))

    (call,) = gemini.calls("generate")
    body = call.json()
    assert call.headers["x-goog-api-key"] == FakeGemini.API_KEY
    assert body["contents"][0]["parts"] == [{"text": "A portrait, verbatim"}]
    assert body["generationConfig"] == {
        "responseModalities": ["IMAGE"],
        "imageConfig": {"aspectRatio": "4:5", "imageSize": "2K"},
    }


def test_gemini_sends_references_inline_after_the_prompt(gemini, engine):
    refs = (reference(BLUE), reference(RED))
    engine.render(make_request(references=refs, expert=True))

    parts = gemini.calls("generate")[0].json()["contents"][0]["parts"]
    assert [part["inline_data"] for part in parts[1:]] == [
        {"mime_type": "image/jpeg", "data": b64(ref.data)} for ref in refs
    ]


def test_gemini_final_image_wins_over_interim_thought_image(gemini, engine):
    result = engine.render(make_request())

    assert open_image(result.image).getpixel((5, 5)) == pytest.approx(RED, abs=3)


def test_gemini_rate_limit_is_retried_then_succeeds(gemini, engine, sleeps):
    gemini.script("generate", rpc_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded"))

    result = engine.render(make_request())

    assert result.width == 1024
    assert len(gemini.calls("generate")) == 2
    assert len(sleeps) == 1 and 0.8 <= sleeps[0] <= 1.2


def test_gemini_server_errors_give_up_after_max_retries_as_unavailable(
    gemini, engine, sleeps, settings
):
    settings.CASTLESS_ENGINE_MAX_RETRIES = 2
    gemini.script("generate", *[rpc_error(503, "UNAVAILABLE", "The model is overloaded")] * 3)

    error = _error(engine)

    assert error.kind == "unavailable" and error.retryable
    assert "overloaded" in error.message
    assert len(gemini.calls("generate")) == 3
    assert sleeps[1] > sleeps[0]


def test_gemini_502_is_not_in_googles_retry_list(gemini, engine, sleeps):
    gemini.script("generate", rpc_error(502, "BAD_GATEWAY", "bad gateway"))

    assert _error(engine).kind == "unavailable"
    assert len(gemini.calls("generate")) == 1 and sleeps == []


@pytest.mark.parametrize(
    "reply",
    [
        rpc_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."),
        rpc_error(403, "PERMISSION_DENIED", "Permission denied"),
        Reply.json(
            {
                "error": {
                    "code": 400,
                    "message": "API key not valid. Please pass a valid API key.",
                    "status": "INVALID_ARGUMENT",
                    "details": [{"reason": "API_KEY_INVALID"}],
                }
            },
            400,
        ),
    ],
)
def test_gemini_rejected_credentials_are_config_errors_without_retry(gemini, engine, sleeps, reply):
    gemini.script("generate", reply)

    assert _error(engine).kind == "config"
    assert len(gemini.calls("generate")) == 1 and sleeps == []


def test_gemini_bad_argument_is_invalid(gemini, engine):
    gemini.script("generate", rpc_error(400, "INVALID_ARGUMENT", "Unsupported aspect ratio"))

    error = _error(engine)
    assert error.kind == "invalid" and "Unsupported aspect ratio" in error.message


def test_gemini_slow_answer_is_a_timeout_and_is_not_resent(gemini, engine, settings):
    settings.CASTLESS_ENGINE_TIMEOUT_SECONDS = 0.3
    gemini.script("generate", Reply.json({}, delay=3))

    assert _error(engine).kind == "timeout"
    assert len(gemini.calls("generate")) == 1


def test_gemini_blocked_prompt_is_refused_with_the_reason(gemini, engine):
    gemini.script("generate", blocked_reply("PROHIBITED_CONTENT"))

    error = _error(engine)
    assert error.kind == "refused" and "PROHIBITED_CONTENT" in error.message


def test_gemini_image_safety_finish_is_refused(gemini, engine):
    gemini.script("generate", candidate_reply([], "IMAGE_SAFETY", finishMessage="Unsafe image"))

    error = _error(engine)
    assert error.kind == "refused" and "IMAGE_SAFETY" in error.message


def test_gemini_answering_in_words_instead_of_an_image_is_refused(gemini, engine):
    gemini.script("generate", candidate_reply([{"text": "I can't draw that person."}], "STOP"))

    error = _error(engine)
    assert error.kind == "refused" and "can't draw" in error.message


@pytest.mark.parametrize(
    "reply",
    [
        Reply.raw(b'{"candidates": [', "application/json"),
        Reply.raw(b"<html><body>Gateway</body></html>", "text/html"),
        Reply.json({"responseId": "x"}),
        candidate_reply([{"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo"}}], "STOP"),
        candidate_reply(
            [{"inlineData": {"mimeType": "image/png", "data": b64(image_bytes(64, 64)[:60])}}],
            "STOP",
        ),
    ],
    ids=["garbage-json", "html", "no-candidates", "truncated-base64", "truncated-png"],
)
def test_gemini_unusable_answers_are_bad_responses(gemini, engine, reply):
    gemini.script("generate", reply)

    assert _error(engine).kind == "bad_response"


def test_gemini_watermark_changes_only_the_corner(gemini, engine):
    plain = open_image(engine.render(make_request(size="1K", ar="3:4")).image)
    marked = open_image(engine.render(make_request(size="1K", ar="3:4", watermark=True)).image)

    changed = ImageChops.difference(plain, marked).getbbox()
    assert plain.size == marked.size
    assert changed is not None
    assert changed[0] > plain.width * 0.6 and changed[1] > plain.height * 0.8


def test_gemini_without_a_key_is_not_configured_and_sends_nothing(gemini, settings):
    settings.CASTLESS_GEMINI_API_KEY = ""
    engine = GeminiEngine()

    assert not engine.is_configured()
    assert _error(engine).kind == "config"
    assert gemini.requests == []


def test_gemini_refuses_more_references_than_our_limit_before_calling(gemini, engine):
    request = make_request(references=(reference(),) * 4, expert=True)

    assert _error(engine, request).kind == "invalid"
    assert gemini.requests == []
