"""The run's task code as a worker runs it: outputs rendered, signed, measured and stored;
the same seed reproduces, another differs; privacy mode never writes storage and is purged
after 60 minutes; a dead worker's run is finished by the next; every status is an event."""

import base64
import io
import json
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.utils import timezone
from PIL import Image

from accounts.models import Account, CreditReservation
from identities.models import ImageRun, Notification, RunOutput, Webhook, WebhookDelivery
from identities.provenance import verify_image
from identities.selectors_runs import run_status
from identities.services.jobs.reaping import abandoned_work_reap
from identities.services.runs import runs_reap
from identities.services.runs.generation import run_claim
from identities.services.runs.settlement import output_store

PROMPT = "$model in a green wool sweater, soft window light"


def pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def output_bytes(run: ImageRun) -> list[bytes]:
    outputs = run.outputs.order_by("index")
    return [
        o.image.read() if o.image else base64.b64decode(o.data_uri.partition(",")[2])
        for o in outputs
    ]


def media_files() -> list[Path]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def identity_run(start, identity):
    def _run(**inputs):
        return start(prompt=PROMPT, identity_code=identity.code, engine="local", **inputs)

    return _run


def test_the_same_seed_reproduces_and_another_seed_differs(identity_run):
    first = identity_run(seed=7, num_images=2)
    again = identity_run(seed=7, num_images=2)
    other = identity_run(seed=8, num_images=1)
    a, b, c = output_bytes(first), output_bytes(again), output_bytes(other)
    assert first.status == again.status == other.status == ImageRun.COMPLETED
    # Signed images carry their own manifest (time, run id): compare what is drawn.
    assert np.array_equal(pixels(a[0]), pixels(b[0]))
    assert np.array_equal(pixels(a[1]), pixels(b[1]))
    assert not np.array_equal(pixels(a[0]), pixels(a[1]))  # output i uses seed + i
    assert not np.array_equal(pixels(a[0]), pixels(c[0]))
    assert [o.seed for o in first.outputs.order_by("index")] == [7, 8]


def test_outputs_are_signed_measured_and_stored(identity_run, identity, account):
    run = identity_run(num_images=1, output_format="jpeg")
    output = run.outputs.get()
    data = output.image.read()
    assert data.startswith(b"\xff\xd8") and output.image.name.endswith(".jpg")
    verification = verify_image(data=data)
    assert verification.state in ("valid", "untrusted")
    assert verification.job_code == run.public_id
    assert verification.identity_code == identity.code
    assert output.face_similarity is not None and output.face_similarity >= 0.6
    assert output.face_drift is False
    reservation = CreditReservation.objects.get(pk=run.reservation_id)
    assert reservation.state == CreditReservation.CAPTURED and reservation.amount == 4


def test_a_face_far_from_the_identity_is_marked_as_drift(identity_run, identity):
    other_face = np.zeros(128, dtype="<f4")
    other_face[0] = 1.0
    type(identity).objects.filter(pk=identity.pk).update(embedding=other_face.tobytes())
    output = identity_run().outputs.get()
    assert output.face_similarity is not None and output.face_similarity < 0.6
    assert output.face_drift is True


def test_privacy_mode_never_writes_storage_and_purges_after_an_hour(identity_run):
    before = media_files()
    run = identity_run(return_base64=True, num_images=2)
    assert media_files() == before
    outputs = list(run.outputs.order_by("index"))
    assert all(
        o.image.name == "" and o.data_uri.startswith("data:image/png;base64,") for o in outputs
    )
    status = run_status(run=run)
    assert status["output"] == [o.data_uri for o in outputs]

    finished = run.finished_at
    assert runs_reap(now=finished + timedelta(minutes=59))["purged"] == 0
    assert run.outputs.filter(data_uri="").count() == 0
    assert abandoned_work_reap(now=finished + timedelta(minutes=61))["runs"]["purged"] == 1
    run.refresh_from_db()
    assert set(run.outputs.values_list("data_uri", flat=True)) == {""}
    purged = run_status(run=run)
    assert purged["status"] == "completed" and purged["output"] == []
    assert purged["purged_at"] == run.purged_at.isoformat()
    assert "kept for 60 minutes" in purged["message"]
    assert len(purged["face_similarity"]) == 2
    assert media_files() == before


def test_a_dead_workers_run_is_finished_by_the_next_attempt(start, account):
    run = start(execute=False, prompt="a model in a yellow raincoat", engine="local")
    assert run.status == ImageRun.IN_QUEUE
    assert run_claim(run_id=run.pk) == 1  # a worker takes it ... and is killed
    ImageRun.objects.filter(pk=run.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    swept = runs_reap()  # hands it back and queues it; the sync queue runs it here
    run.refresh_from_db()
    assert swept["retried"] == 1
    assert (run.status, run.attempts, run.outputs.count()) == (ImageRun.COMPLETED, 2, 1)


def test_an_output_from_an_attempt_that_lost_its_run_is_not_kept(identity_run):
    run = identity_run()
    stored = output_store(
        run=run, attempt=1, index=0, seed=1, image=b"x", result=_Result(), similarity=None
    )
    assert stored is False and run.outputs.count() == 1


class _Result:
    format, width, height, engine, details = "png", 1, 1, "local", {}


def test_a_run_that_keeps_killing_workers_fails_and_is_refunded(start, account):
    run = start(execute=False, prompt="a model in a blue scarf", engine="local")
    ImageRun.objects.filter(pk=run.pk).update(
        status=ImageRun.PROCESSING, attempts=3, lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert runs_reap()["failed"] == 1
    run.refresh_from_db()
    assert run.status == ImageRun.FAILED and run.error_name == "PipelineError"
    assert CreditReservation.objects.get(pk=run.reservation_id).state == "released"
    assert Account.objects.get(pk=account.pk).credits_reserved == 0


def test_a_run_past_its_deadline_times_out_and_is_refunded(start, account):
    run = start(execute=False, prompt="a model in a blue scarf", engine="local")
    ImageRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    assert runs_reap(requeue_lost=False)["timed_out"] == 1
    run.refresh_from_db()
    assert run_status(run=run)["status"] == "time_out"
    assert run_status(run=run)["error"]["name"] == "TimeoutError"
    assert CreditReservation.objects.get(pk=run.reservation_id).state == "released"


def test_every_status_change_is_an_event(start, account):
    run = start(prompt="a model in a white shirt", engine="local")
    events = Notification.objects.filter(account=account, name="run_status").order_by("pk")
    assert [e.data["status"] for e in events] == ["in_queue", "processing", "completed"]
    assert all(e.data["id"] == run.public_id for e in events)
    assert events[0].data["model_name"] == "model-create"


def test_a_failed_run_keeps_no_output(start, settings):
    settings.CASTLESS_C2PA_SIGNER = ""
    settings.CASTLESS_C2PA_CERT_CHAIN = "/nonexistent/chain.pem"
    run = start(prompt="a model in a white shirt", engine="local")
    assert run.status == ImageRun.FAILED and not RunOutput.objects.filter(run=run).exists()
    event = Notification.objects.filter(name="run_status").order_by("pk").last()
    assert event.data["status"] == "failed" and event.data["error"]["name"] == "PipelineError"


def test_run_events_are_queued_for_the_accounts_webhook(start, account):
    Webhook.objects.create(account=account, url="http://127.0.0.1:9/hook", secret="s" * 32)
    run = start(prompt="a model in a white shirt", engine="local")
    bodies = [json.loads(bytes(d.body)) for d in WebhookDelivery.objects.order_by("pk")]
    assert [b["name"] for b in bodies] == ["run_status"] * 3
    assert [b["data"]["status"] for b in bodies] == ["in_queue", "processing", "completed"]
    assert {b["data"]["id"] for b in bodies} == {run.public_id}
