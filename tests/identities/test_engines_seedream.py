import pytest

from identities.engines.base import EngineError
from identities.engines.seedream import SeedreamEngine, request_pixels
from identities.engines.sizes import pixel_size
from tests.identities.fakes.images import (
    BLUE,
    b64,
    data_uri,
    image_bytes,
    open_image,
    reference,
)
from tests.identities.fakes.images import render_request as make_request
from tests.identities.fakes.seedream import (
    FakeSeedream,
    api_error,
    b64_reply,
    item_error_reply,
    url_reply,
)
from tests.identities.fakes.server import Reply


@pytest.fixture
def seedream(settings):
    with FakeSeedream() as fake:
        settings.CASTLESS_SEEDREAM_API_KEY = fake.API_KEY
        settings.CASTLESS_SEEDREAM_BASE_URL = fake.base_url
        settings.CASTLESS_SEEDREAM_MODEL = fake.MODEL
        settings.CASTLESS_ENGINE_MAX_RETRIES = 3
        settings.CASTLESS_ENGINE_TIMEOUT_SECONDS = 5.0
        yield fake
        assert fake.problems == []


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def engine(sleeps):
    return SeedreamEngine(sleep=sleeps.append)


def _error(engine, request=None) -> EngineError:
    with pytest.raises(EngineError) as caught:
        engine.render(request or make_request())
    assert caught.value.engine == "seedream"
    return caught.value


@pytest.mark.parametrize(
    ("size", "ar", "fmt", "pil_format"),
    [("1K", "1:1", "jpg", "JPEG"), ("2K", "3:4", "png", "PNG"), ("1K", "9:16", "jpg", "JPEG")],
)
def test_seedream_image_comes_back_at_exact_pixels_and_format(
    seedream, engine, size, ar, fmt, pil_format
):
    result = engine.render(make_request(size=size, ar=ar, format=fmt))

    image = open_image(result.image)
    assert (result.width, result.height) == pixel_size(size, ar) == image.size
    assert image.format == pil_format
    assert result.engine == "seedream"


def test_seedream_asks_for_explicit_pixels_and_no_vendor_watermark(seedream, engine):
    engine.render(make_request(size="2K", ar="3:4", seed=987654321))

    body = seedream.calls("generate")[0].json()
    assert body["size"] == "1728x2304"  # FINDINGS' published 2K 3:4, never a bare "2K"
    assert body["watermark"] is False
    assert body["seed"] == 987654321
    assert body["sequential_image_generation"] == "disabled"
    assert body["response_format"] == "b64_json"
    assert "image" not in body


def test_seedream_small_tiers_are_asked_within_the_models_range_then_fitted(seedream, engine):
    result = engine.render(make_request(size="1K", ar="3:4"))

    sent = seedream.calls("generate")[0].json()["size"]
    assert sent == "x".join(map(str, request_pixels("1K", "3:4", FakeSeedream.MODEL)))
    assert (result.width, result.height) == (864, 1152)


def test_seedream_sends_references_as_data_uris(seedream, engine):
    refs = (reference(), reference(BLUE))
    engine.render(make_request(references=refs, expert=True))

    body = seedream.calls("generate")[0].json()
    assert body["image"] == [data_uri(ref.data, "image/jpeg") for ref in refs]


def test_seedream_url_output_is_downloaded(seedream, engine):
    url = seedream.serve_file(
        "out.jpeg", Reply.raw(image_bytes(1000, 1000, fmt="JPEG"), "image/jpeg")
    )
    seedream.script("generate", url_reply(url))

    result = engine.render(make_request(format="png"))

    assert (result.width, result.height) == (1024, 1024)
    assert [call.path for call in seedream.requests] == [
        "/api/v3/images/generations",
        "/files/out.jpeg",
    ]


@pytest.mark.parametrize(
    "file_reply",
    [Reply.raw(b"<html>expired</html>", "text/html"), Reply(status=403, content_type="text/xml")],
    ids=["html", "expired"],
)
def test_seedream_unusable_output_url_is_a_bad_response(seedream, engine, file_reply):
    seedream.script("generate", url_reply(seedream.serve_file("out.png", file_reply)))

    assert _error(engine).kind == "bad_response"


def test_seedream_moderated_image_is_refused_with_the_code(seedream, engine):
    seedream.script(
        "generate",
        item_error_reply(
            "OutputImageSensitiveContentDetected",
            "The generated image may contain sensitive content",
        ),
    )

    error = _error(engine)
    assert error.kind == "refused" and "OutputImageSensitiveContentDetected" in error.message


def test_seedream_moderated_prompt_is_refused(seedream, engine, sleeps):
    seedream.script("generate", api_error(400, "InputTextSensitiveContentDetected", "sensitive"))

    assert _error(engine).kind == "refused"
    assert sleeps == []


def test_seedream_rate_limit_is_retried_then_succeeds(seedream, engine, sleeps):
    seedream.script("generate", api_error(429, "ModelAccountRpmRateLimitExceeded", "slow down"))

    assert engine.render(make_request()).width == 1024
    assert len(seedream.calls("generate")) == 2 and len(sleeps) == 1


def test_seedream_exhausted_quota_is_not_retried(seedream, engine, sleeps):
    seedream.script("generate", api_error(429, "QuotaExceeded", "quota used up"))

    error = _error(engine)
    assert error.kind == "unavailable" and not error.retryable
    assert sleeps == []


def test_seedream_server_errors_give_up_after_max_retries(seedream, engine, sleeps, settings):
    settings.CASTLESS_ENGINE_MAX_RETRIES = 1
    seedream.script("generate", *[api_error(500, "InternalServiceError", "boom")] * 2)

    assert _error(engine).kind == "unavailable"
    assert len(seedream.calls("generate")) == 2 and len(sleeps) == 1


def test_seedream_rejected_key_is_a_config_error_without_retry(seedream, engine, sleeps):
    seedream.script("generate", api_error(401, "AuthenticationError", "the API key is invalid"))

    assert _error(engine).kind == "config"
    assert sleeps == []


def test_seedream_slow_answer_is_a_timeout(seedream, engine, settings):
    settings.CASTLESS_ENGINE_TIMEOUT_SECONDS = 0.3
    seedream.script("generate", Reply.json({}, delay=3))

    assert _error(engine).kind == "timeout"
    assert len(seedream.calls("generate")) == 1


@pytest.mark.parametrize(
    "reply",
    [
        Reply.raw(b"not json at all", "application/json"),
        Reply.raw(b"<html>502 Bad Gateway</html>", "text/html"),
        b64_reply(b""),
        Reply.json({"data": [{"b64_json": b64(image_bytes(64, 64))[:-7]}]}),
        Reply.json({"data": []}),
    ],
    ids=["garbage-json", "html", "empty", "truncated-base64", "no-items"],
)
def test_seedream_unusable_answers_are_bad_responses(seedream, engine, reply):
    seedream.script("generate", reply)

    assert _error(engine).kind == "bad_response"


def test_seedream_without_a_key_is_not_configured(seedream, settings):
    settings.CASTLESS_SEEDREAM_API_KEY = ""

    assert not SeedreamEngine().is_configured()
    assert _error(SeedreamEngine()).kind == "config"
    assert seedream.requests == []


@pytest.mark.parametrize("model", ["seedream-4-0-250828", "seedream-4-5-251128"])
def test_seedream_request_pixels_stay_within_each_models_range(model):
    low = 1024 * 1024 if "4-0" in model else 2560 * 1440
    for size in ("1K", "2K", "4K"):
        for ar in ("1:1", "3:4", "4:5", "9:16", "16:9", "21:9"):
            width, height = request_pixels(size, ar, model)
            target_w, target_h = pixel_size(size, ar)
            assert low <= width * height <= 4096 * 4096
            assert width % 16 == 0 and height % 16 == 0
            assert width / height == pytest.approx(target_w / target_h, rel=0.01)
