"""Seed 002's model-create example runs unchanged against our server: only the base URL and the
key change. Our server renders it on the model-create engine (the painter draws head and
shoulders only, and a full-body prompt is never quietly downgraded), here a real local server
speaking the reference protocol."""

import json
import subprocess
import time
from pathlib import Path

import pytest

from identities.models import ImageRun
from tests.identities.fakes.modelcreate import FakeModelCreate

EXAMPLE = Path(__file__).parent / "seed_examples" / "model_create_run.sh.txt"
SEED_BASE_URL = "https://api.fashn.ai"


@pytest.fixture
def model_create(settings):
    with FakeModelCreate() as fake:
        settings.CASTLESS_MODELCREATE_API_KEY = fake.API_KEY
        settings.CASTLESS_MODELCREATE_BASE_URL = fake.base_url
        settings.CASTLESS_MODELCREATE_POLL_SECONDS = 0.1
        settings.CASTLESS_ENGINE_TIMEOUT_SECONDS = 5.0
        yield fake
        assert fake.problems == []


@pytest.fixture(autouse=True)
def site_url_is_the_live_server(settings, live_server):
    settings.SITE_URL = live_server.url


def curl(*args: str) -> bytes:
    return subprocess.run(["curl", "-sS", *args], check=True, capture_output=True).stdout


def test_the_seeds_curl_example_runs_unchanged(live_server, alice, alice_token, model_create):
    base_url = live_server.url + "/api"
    script = EXAMPLE.read_text()
    assert script.count(SEED_BASE_URL) == 1 and script.count("YOUR_API_KEY") == 1
    script = script.replace(SEED_BASE_URL, base_url).replace("YOUR_API_KEY", alice_token)
    submitted = json.loads(subprocess.run(["bash", "-c", script], check=True,
                                          capture_output=True).stdout)  # fmt: skip
    assert set(submitted) == {"id", "error"} and submitted["error"] is None

    # "Response Polling": GET /v1/status/{id} with the same header until it settles.
    deadline = time.monotonic() + 60
    while True:
        status = json.loads(
            curl(
                "-H",
                f"Authorization: Bearer {alice_token}",
                f"{base_url}/v1/status/{submitted['id']}",
            )
        )
        if status["status"] not in ("starting", "in_queue", "processing"):
            break
        assert time.monotonic() < deadline
        time.sleep(0.5)
    assert status["status"] == "completed" and status["error"] is None
    assert len(status["output"]) == 1
    image = curl(status["output"][0])
    assert image.startswith(b"\x89PNG")
    run = ImageRun.objects.get(public_id=submitted["id"])
    assert run.engine == "model_create" and run.inputs["prompt"].startswith("Full body shot")
    (sent,) = model_create.calls("run")
    assert sent.json()["inputs"]["prompt"].startswith("Full body shot")
