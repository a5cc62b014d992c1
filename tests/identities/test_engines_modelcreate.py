import pytest

from identities.engines.base import EngineError
from identities.engines.modelcreate import ModelCreateEngine
from identities.engines.sizes import pixel_size
from tests.identities.fakes.images import data_uri, image_bytes, open_image, reference
from tests.identities.fakes.images import render_request as make_request
from tests.identities.fakes.modelcreate import (
    FakeModelCreate,
    api_error,
    completed,
    failed,
    status_reply,
)
from tests.identities.fakes.server import Reply

POLL = 2.0
DEADLINE = 30.0


class FakeTime:
    """Sleeping advances a fake clock, so deadline tests take no real time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def fake_api(settings):
    with FakeModelCreate() as fake:
        settings.CASTLESS_MODELCREATE_API_KEY = fake.API_KEY
        settings.CASTLESS_MODELCREATE_BASE_URL = fake.base_url
        settings.CASTLESS_MODELCREATE_POLL_SECONDS = POLL
        settings.CASTLESS_MODELCREATE_DEADLINE_SECONDS = DEADLINE
        settings.CASTLESS_ENGINE_MAX_RETRIES = 3
        settings.CASTLESS_ENGINE_TIMEOUT_SECONDS = 5.0
        yield fake
        assert fake.problems == []


@pytest.fixture
def time_():
    return FakeTime()


@pytest.fixture
def engine(time_):
    return ModelCreateEngine(sleep=time_.sleep, clock=time_.clock)


def _error(engine, request=None) -> EngineError:
    with pytest.raises(EngineError) as caught:
        engine.render(request or make_request())
    assert caught.value.engine == "model_create"
    return caught.value


def test_model_create_polls_through_queue_states_until_completed(fake_api, engine, time_):
    fake_api.script(
        "status",
        status_reply("starting"),
        status_reply("in_queue"),
        status_reply("processing"),
        completed(data_uri(image_bytes(600, 800))),
    )

    result = engine.render(make_request(size="1K", ar="3:4", format="jpg"))

    assert (result.width, result.height) == pixel_size("1K", "3:4")
    assert open_image(result.image).format == "JPEG"
    assert result.details["request_id"] == fake_api.issued[0]
    assert len(fake_api.calls("status")) == 4
    assert time_.sleeps == [POLL, POLL, POLL]


def test_model_create_run_request_follows_the_seed(fake_api, engine):
    ref = reference()
    engine.render(make_request(size="2K", ar="4:5", seed=77, references=(ref,), expert=True))

    (run,) = fake_api.calls("run")
    body = run.json()
    assert run.headers["authorization"] == f"Bearer {FakeModelCreate.API_KEY}"
    assert body["model_name"] == "model-create"
    assert body["inputs"] == {
        "prompt": make_request().prompt,
        "aspect_ratio": "4:5",
        "resolution": "2k",
        "seed": 77,
        "num_images": 1,
        "output_format": "png",
        "return_base64": True,
        "image_reference": data_uri(ref.data, "image/jpeg"),
    }
    assert fake_api.calls("status")[0].path == f"/v1/status/{fake_api.issued[0]}"


def test_model_create_url_output_is_downloaded(fake_api, engine):
    url = fake_api.serve_file("output_0.png", Reply.raw(image_bytes(500, 500), "image/png"))
    fake_api.script("status", completed(url))

    result = engine.render(make_request(size="2K", ar="2:3"))

    assert open_image(result.image).size == pixel_size("2K", "2:3")
    assert fake_api.requests[-1].path == "/files/output_0.png"


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        (failed("ContentModerationError", "Prompt flagged"), "refused"),
        (failed("NSFWError", "NSFW content detected"), "refused"),
        (failed("ImageLoadError", "Error loading image"), "invalid"),
        (failed("PipelineError", "Unexpected error"), "unavailable"),
        (status_reply("canceled"), "unavailable"),
        (status_reply("time_out"), "timeout"),
        (status_reply("exploded"), "bad_response"),
    ],
    ids=["moderation", "nsfw", "image-load", "pipeline", "canceled", "time_out", "unknown"],
)
def test_model_create_final_states_map_to_engine_errors(fake_api, engine, answer, kind):
    fake_api.script("status", status_reply("processing"), answer)

    error = _error(engine)
    assert error.kind == kind


def test_model_create_refusal_keeps_the_vendors_reason(fake_api, engine):
    fake_api.script("status", failed("ContentModerationError", "Prompt flagged"))

    assert _error(engine).message == "ContentModerationError: Prompt flagged"


def test_model_create_gives_up_polling_at_the_deadline(fake_api, engine, time_):
    fake_api.script("status", *[status_reply("processing")] * 100)

    error = _error(engine)

    assert error.kind == "timeout" and error.retryable
    assert sum(time_.sleeps) <= DEADLINE
    assert len(fake_api.calls("status")) == DEADLINE / POLL + 1  # at t=0 and at the deadline


def test_model_create_rate_limit_on_run_is_retried(fake_api, engine, time_):
    fake_api.script("run", api_error(429, "ConcurrencyLimitExceeded", "Too many predictions"))

    assert engine.render(make_request()).width == 1024
    assert len(fake_api.calls("run")) == 2 and len(time_.sleeps) == 1


def test_model_create_out_of_credits_is_not_retried(fake_api, engine, time_):
    fake_api.script("run", api_error(429, "OutOfCredits", "No API credits remaining"))

    error = _error(engine)
    assert error.kind == "unavailable" and "OutOfCredits" in error.message
    assert len(fake_api.calls("run")) == 1 and time_.sleeps == []


def test_model_create_server_errors_on_run_give_up_as_unavailable(fake_api, engine, settings):
    settings.CASTLESS_ENGINE_MAX_RETRIES = 2
    fake_api.script("run", *[api_error(500, "InternalServerError", "oops")] * 3)

    assert _error(engine).kind == "unavailable"
    assert len(fake_api.calls("run")) == 3


def test_model_create_status_poll_survives_a_transient_500(fake_api, engine):
    fake_api.script("status", api_error(500, "InternalServerError", "oops"))

    assert engine.render(make_request()).height == 1024
    assert len(fake_api.calls("status")) == 2


def test_model_create_rejected_key_is_a_config_error(fake_api, engine, time_):
    fake_api.script("run", api_error(401, "UnauthorizedAccess", "Unauthorized: Invalid token"))

    assert _error(engine).kind == "config"
    assert time_.sleeps == []


def test_model_create_bad_request_is_invalid(fake_api, engine):
    fake_api.script("run", api_error(400, "BadRequest", "prompt is required"))

    assert _error(engine).kind == "invalid"


def test_model_create_lost_prediction_is_a_bad_response(fake_api, engine):
    fake_api.script("run", Reply.json({"id": "never-issued", "error": None}))

    assert _error(engine).kind == "bad_response"


def test_model_create_slow_status_is_a_timeout(fake_api, engine, settings):
    settings.CASTLESS_ENGINE_TIMEOUT_SECONDS = 0.2
    settings.CASTLESS_ENGINE_MAX_RETRIES = 1
    fake_api.script("status", *[Reply.json({}, delay=3)] * 2)

    assert _error(engine).kind == "timeout"
    assert len(fake_api.calls("status")) == 2  # a GET is safe to repeat


@pytest.mark.parametrize(
    ("route", "reply"),
    [
        ("run", Reply.raw(b"{'id': 1", "application/json")),
        ("run", Reply.json({"id": None, "error": None})),
        ("status", Reply.raw(b"<html>maintenance</html>", "text/html")),
        ("status", completed("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA")),
        ("status", completed("data:image/png;base64,iVBORw0KGgo")),
        ("status", status_reply("completed", output=[])),
    ],
    ids=["garbage-json", "no-id", "html", "truncated-png", "truncated-base64", "no-output"],
)
def test_model_create_unusable_answers_are_bad_responses(fake_api, engine, route, reply):
    fake_api.script(route, reply)

    assert _error(engine).kind == "bad_response"


def test_model_create_takes_one_reference_only(fake_api, engine):
    request = make_request(references=(reference(), reference()), expert=True)

    assert _error(engine, request).kind == "invalid"
    assert fake_api.requests == []


def test_model_create_without_a_key_is_not_configured(fake_api, settings):
    settings.CASTLESS_MODELCREATE_API_KEY = ""

    assert not ModelCreateEngine().is_configured()
    assert _error(ModelCreateEngine()).kind == "config"
