"""Seed 003's notification examples, run unchanged against a live server.

The code below is the seed's, character for character (its indentation restored: the seed text
lost it); only the values of `api_url`, `access_token` and the job id are swapped at run time,
and the receivers' last line, `app.run(port=8000)`, is replaced by serving the same `app` on a
free port in a thread. The SSE examples run in a thread while the test emits notifications the
way the job pipeline does.
"""

import threading
import time
from collections.abc import Callable

import httpx
import pytest
from django.utils import timezone
from werkzeug.serving import make_server

from identities.models import Job, WebhookDelivery
from identities.notifications.emit import notification_emit
from identities.notifications.webhooks.deliveries import webhook_deliver_due
from identities.notifications.webhooks.signing import webhook_headers

TRACK_DRAFTS = """
import json
import requests

api_url = "https://v2.api.piktid.com"
access_token = "your_access_token"
job_id = "job_abc123..."
headers = {"Authorization": "Bearer " + access_token}

with requests.get(
    api_url + "/notifications/events",
    headers=headers,
    stream=True,
    timeout=600,
) as response:
    response.raise_for_status()
    for raw_line in response.iter_lines(decode_unicode=True):
        if not raw_line or raw_line.startswith(":"):
            continue
        if not raw_line.startswith("data: "):
            continue
        notification = json.loads(raw_line[6:])
        data = notification.get("data", {})
        task_id = data.get("id_task") or data.get("job_id")
        if task_id != job_id:
            continue
        if notification["name"] == "completed":
            break
        if notification["name"] == "error":
            raise RuntimeError("Identity creation failed")

# Fetch draft results
results = requests.get(
    api_url + f"/jobs/{job_id}/results",
    headers={"Authorization": "Bearer " + access_token},
).json()

for draft in results["results"]:
    print(f"Draft #{draft['image_result_id']}: {draft['url']}")
"""

TRACK_PREPROCESSING = """
import json
import requests

api_url = "https://v2.api.piktid.com"
access_token = "your_access_token"
preprocessing_job_id = "job_pre456..."
headers = {"Authorization": "Bearer " + access_token}

with requests.get(
    api_url + "/notifications/events",
    headers=headers,
    stream=True,
    timeout=600,
) as response:
    response.raise_for_status()
    for raw_line in response.iter_lines(decode_unicode=True):
        if not raw_line or raw_line.startswith(":"):
            continue
        if not raw_line.startswith("data: "):
            continue
        notification = json.loads(raw_line[6:])
        data = notification.get("data", {})
        if notification["name"] != "identity_preprocessing":
            continue
        task_id = data.get("id_task") or data.get("job_id")
        if task_id != preprocessing_job_id:
            continue
        status = data.get("status")
        if status == "completed":
            print("Identity preprocessing completed")
            break
        if status == "failed":
            raise RuntimeError(data.get("error_message", "Preprocessing failed"))
"""

DRAFTS_RECEIVER = """
import hashlib
import hmac
import requests
from flask import Flask, abort, request

api_url = "https://v2.api.piktid.com"
access_token = "your_access_token"
job_id = "job_abc123..."
public_webhook_url = "https://example.com/webhooks/piktid"

setup = requests.put(
    api_url + "/webhooks",
    headers={"Authorization": "Bearer " + access_token},
    json={"url": public_webhook_url},
).json()
webhook_secret = setup["secret"]

app = Flask(__name__)


def verify_signature(secret: str, body: bytes, signature_header: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature_header)


@app.post("/webhooks/piktid")
def handle_piktid_webhook():
    body = request.get_data()
    signature = request.headers.get("X-Webhook-Signature", "")
    if not verify_signature(webhook_secret, body, signature):
        abort(401)

    notification = request.get_json()
    data = notification.get("data", {})
    task_id = data.get("id_task") or data.get("job_id")
    if task_id != job_id:
        return "", 204

    if notification["name"] == "completed":
        print("Creation job completed")
    elif notification["name"] == "error":
        print("Identity creation failed")

    return "", 204


app.run(port=8000)
"""

PREPROCESSING_RECEIVER = """
import hashlib
import hmac
import requests
from flask import Flask, abort, request

api_url = "https://v2.api.piktid.com"
access_token = "your_access_token"
preprocessing_job_id = "job_pre456..."
public_webhook_url = "https://example.com/webhooks/piktid"

setup = requests.put(
    api_url + "/webhooks",
    headers={"Authorization": "Bearer " + access_token},
    json={"url": public_webhook_url},
).json()
webhook_secret = setup["secret"]

app = Flask(__name__)


def verify_signature(secret: str, body: bytes, signature_header: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature_header)


@app.post("/webhooks/piktid")
def handle_piktid_webhook():
    body = request.get_data()
    signature = request.headers.get("X-Webhook-Signature", "")
    if not verify_signature(webhook_secret, body, signature):
        abort(401)

    notification = request.get_json()
    data = notification.get("data", {})
    if notification.get("name") != "identity_preprocessing":
        return "", 204

    task_id = data.get("id_task") or data.get("job_id")
    if task_id != preprocessing_job_id:
        return "", 204

    status = data.get("status")
    if status == "completed":
        print("Identity preprocessing completed")
    elif status == "failed":
        print(f"Preprocessing failed: {data.get('error_message')}")

    return "", 204


app.run(port=8000)
"""


def _swap(code: str, **values: str) -> str:
    """Replace the seed's placeholder values (and nothing else) with ours."""
    for name, value in values.items():
        lines = [line for line in code.splitlines() if line.startswith(f"{name} = ")]
        assert len(lines) == 1, name
        code = code.replace(lines[0], f"{name} = {value!r}")
    return code


@pytest.fixture
def api_url(live_server, settings):
    # Long enough that only a `break` in the seed's loop ends a stream within the test.
    settings.CASTLESS_SSE_POLL_SECONDS = 0.02
    settings.CASTLESS_SSE_HEARTBEAT_SECONDS = 0.2
    settings.CASTLESS_SSE_MAX_SECONDS = 20
    return live_server.url + "/api/v2"


@pytest.fixture
def account(alice):
    return alice.membership.account


def _in_thread(code: str) -> Callable[[float], BaseException | None]:
    """Run `code` in a thread; the returned join() gives what it raised, if anything."""
    outcome: dict = {}

    def run():
        try:
            exec(code, {"__name__": "seed_example"})
        except BaseException as error:  # noqa: BLE001 — handed to the test to assert on
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def join(timeout: float) -> BaseException | None:
        thread.join(timeout)
        assert not thread.is_alive(), "the seed's loop did not end"
        return outcome.get("error")

    return join


def _job(account, job_type: str = Job.CREATION) -> Job:
    return Job.objects.create(account=account, job_type=job_type, status=Job.COMPLETED)


@pytest.mark.django_db(transaction=True)
def test_the_seeds_draft_tracking_ends_on_completed(api_url, alice_token, account, capsys):
    job = _job(account)
    code = _swap(TRACK_DRAFTS, api_url=api_url, access_token=alice_token, job_id=job.public_id)
    other = {"id_task": "job_other", "job_id": "job_other", "status": "completed"}
    notification_emit(account=account, name="completed", data=other)  # replayed, not ours
    started = time.monotonic()
    join = _in_thread(code)
    time.sleep(0.3)
    own = {"id_task": job.public_id, "job_id": job.public_id}
    notification_emit(account=account, name="progress", data={**own, "status": "completed"})
    notification_emit(account=account, name="completed", data={**own, "status": "completed"})
    assert join(10) is None
    # Ended by its `break` as soon as the event came, long before the server ends the stream.
    assert time.monotonic() - started < 5
    assert capsys.readouterr().out == ""  # the job has no drafts to list


@pytest.mark.django_db(transaction=True)
def test_the_seeds_draft_tracking_raises_on_error(api_url, alice_token, account):
    job = _job(account)
    data = {"id_task": job.public_id, "job_id": job.public_id, "status": "failed"}
    notification_emit(account=account, name="error", data=data)  # replay delivers it
    code = _swap(TRACK_DRAFTS, api_url=api_url, access_token=alice_token, job_id=job.public_id)
    error = _in_thread(code)(10)
    assert isinstance(error, RuntimeError)
    assert str(error) == "Identity creation failed"


@pytest.mark.django_db(transaction=True)
def test_the_seeds_preprocessing_tracking_ends_on_completed(api_url, alice_token, account, capsys):
    code = _swap(
        TRACK_PREPROCESSING,
        api_url=api_url,
        access_token=alice_token,
        preprocessing_job_id="job_pre1",
    )
    join = _in_thread(code)
    time.sleep(0.3)
    data = {"id_task": "job_pre1", "job_id": "job_pre1", "identity_code": "abc1234567xy"}
    notification_emit(
        account=account, name="identity_preprocessing", data={**data, "status": "processing"}
    )
    notification_emit(
        account=account, name="identity_preprocessing", data={**data, "status": "completed"}
    )
    assert join(10) is None
    assert "Identity preprocessing completed" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_the_seeds_preprocessing_tracking_raises_the_error_message(api_url, alice_token, account):
    data = {"id_task": "job_pre1", "job_id": "job_pre1", "status": "failed"}
    notification_emit(
        account=account,
        name="identity_preprocessing",
        data={**data, "error_message": "No face found in the portrait."},
    )
    code = _swap(
        TRACK_PREPROCESSING,
        api_url=api_url,
        access_token=alice_token,
        preprocessing_job_id="job_pre1",
    )
    error = _in_thread(code)(10)
    assert isinstance(error, RuntimeError)
    assert str(error) == "No face found in the portrait."


class _SeedReceiver:
    """Listens before the seed's code runs (its PUT needs the URL); serves the seed's `app`
    once the code has defined it."""

    def __init__(self) -> None:
        self.namespace: dict = {"__name__": "seed_receiver"}
        self.server = make_server("127.0.0.1", 0, self._dispatch, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/webhooks/piktid"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def _dispatch(self, environ, start_response):
        app = self.namespace.get("app")
        if app is None:
            start_response("503 Service Unavailable", [("Content-Length", "0")])
            return [b""]
        return app(environ, start_response)

    def run(self, code: str) -> None:
        lines = code.rstrip().splitlines()
        assert lines[-1] == "app.run(port=8000)"
        exec("\n".join(lines[:-1]), self.namespace)

    def __enter__(self) -> "_SeedReceiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _tampered_status(url: str, secret: str, body: bytes) -> int:
    headers = webhook_headers(secret=secret, event_id="1", body=body, timestamp=int(time.time()))
    tampered = body[:-1] + b',"name":"completed"}'
    return httpx.post(url, content=tampered, headers=headers).status_code


@pytest.mark.django_db(transaction=True)
def test_the_seeds_flask_receiver_accepts_our_deliveries(api_url, alice_token, account, capsys):
    job = _job(account)
    with _SeedReceiver() as receiver:
        receiver.run(
            _swap(
                DRAFTS_RECEIVER,
                api_url=api_url,
                access_token=alice_token,
                job_id=job.public_id,
                public_webhook_url=receiver.url,
            )
        )
        data = {"id_task": job.public_id, "job_id": job.public_id, "status": "completed"}
        notification = notification_emit(account=account, name="completed", data=data)
        delivery = WebhookDelivery.objects.get(event_id=str(notification.pk))
        assert (delivery.status, delivery.last_status) == ("delivered", 204)
        assert "Creation job completed" in capsys.readouterr().out
        # The ping went out while the seed's code was still starting (503); its retry is
        # answered like any other event the receiver does not track.
        ping = WebhookDelivery.objects.get(event_id__startswith="ping_")
        assert (ping.status, ping.last_status) == ("pending", 503)
        WebhookDelivery.objects.filter(pk=ping.pk).update(next_attempt_at=timezone.now())
        assert webhook_deliver_due() == 1
        ping.refresh_from_db()
        assert (ping.status, ping.last_status) == ("delivered", 204)
        secret = receiver.namespace["webhook_secret"]
        assert _tampered_status(receiver.url, secret, bytes(delivery.body)) == 401


@pytest.mark.django_db(transaction=True)
def test_the_seeds_preprocessing_receiver_accepts_our_deliveries(
    api_url, alice_token, account, capsys
):
    with _SeedReceiver() as receiver:
        receiver.run(
            _swap(
                PREPROCESSING_RECEIVER,
                api_url=api_url,
                access_token=alice_token,
                preprocessing_job_id="job_pre1",
                public_webhook_url=receiver.url,
            )
        )
        data = {"id_task": "job_pre1", "job_id": "job_pre1", "status": "failed"}
        notification = notification_emit(
            account=account,
            name="identity_preprocessing",
            data={**data, "error_message": "No face found in the portrait."},
        )
        delivery = WebhookDelivery.objects.get(event_id=str(notification.pk))
        assert (delivery.status, delivery.last_status) == ("delivered", 204)
        assert "Preprocessing failed: No face found in the portrait." in capsys.readouterr().out
        secret = receiver.namespace["webhook_secret"]
        assert _tampered_status(receiver.url, secret, bytes(delivery.body)) == 401
