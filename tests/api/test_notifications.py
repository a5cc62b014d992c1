import asyncio
import json
import threading
import time

import pytest
import requests
from asgiref.sync import async_to_sync
from django.core.asgi import get_asgi_application
from django.test import AsyncClient, Client

from identities.models import Notification
from identities.notifications.emit import notification_emit

JOB = {"id_task": "job_abc", "job_id": "job_abc", "status": "completed"}


@pytest.fixture
def fast_streams(settings):
    """Streams that poll often, go quiet briefly and end soon, so tests read them to the end."""
    settings.CASTLESS_SSE_POLL_SECONDS = 0.01
    settings.CASTLESS_SSE_HEARTBEAT_SECONDS = 0.1
    settings.CASTLESS_SSE_MAX_SECONDS = 0.3
    return settings


@pytest.fixture
def account(alice):
    return alice.membership.account


def _emit(account, name="completed", **data):
    return notification_emit(account=account, name=name, data={**JOB, **data})


def _frames(raw: bytes) -> list[dict]:
    """Server-sent events as {"id", "data", "comments"} dicts, comment-only blocks included."""
    frames = []
    for block in raw.decode().split("\n\n"):
        if not block:
            continue
        frame = {"id": None, "data": None, "comments": []}
        for line in block.split("\n"):
            field, _, value = line.partition(": ")
            if line.startswith(":"):
                frame["comments"].append(line[1:].strip())
            elif field == "id":
                frame["id"] = int(value)
            elif field == "data":
                frame["data"] = json.loads(value)
        frames.append(frame)
    return frames


def _events(raw: bytes) -> list[dict]:
    return [frame["data"] for frame in _frames(raw) if frame["data"] is not None]


def _read(client: Client, **kwargs) -> bytes:
    response = client.get("/api/v2/notifications/events", **kwargs)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_stream_replays_undismissed_notifications_oldest_first(
    alice_api, account, charlie, fast_streams
):
    first = _emit(account, name="progress", status="running")
    _emit(charlie.membership.account)
    last = _emit(account)
    frames = [f for f in _frames(_read(alice_api)) if f["data"] is not None]
    assert [f["id"] for f in frames] == [first.pk, last.pk]
    assert frames[1]["data"] == {
        "id": last.pk,
        "name": "completed",
        "data": JOB,
        "timestamp": last.created_at.timestamp(),
    }


def test_the_stream_is_sse_with_no_buffering(alice_api, fast_streams):
    response = alice_api.get("/api/v2/notifications/events")
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"] == "no-cache"
    assert response["X-Accel-Buffering"] == "no"
    assert response.streaming
    b"".join(response.streaming_content)


def test_the_stream_goes_live_after_the_replay(alice_api, account, fast_streams):
    fast_streams.CASTLESS_SSE_MAX_SECONDS = 5
    replayed = _emit(account, name="progress")
    chunks = iter(alice_api.get("/api/v2/notifications/events").streaming_content)
    assert b"retry: " in next(chunks)
    assert [e["id"] for e in _events(next(chunks))] == [replayed.pk]
    live = _emit(account)
    received = []
    for chunk in chunks:  # bounded: the stream ends after CASTLESS_SSE_MAX_SECONDS
        received += _events(chunk)
        if received:
            break
    assert [e["id"] for e in received] == [live.pk]


def test_an_idle_stream_sends_keep_alive_comments_and_then_ends(alice_api, fast_streams):
    frames = _frames(_read(alice_api))
    comments = [c for f in frames for c in f["comments"]]
    assert comments.count("keep-alive") >= 2
    assert all(f["data"] is None for f in frames)


@pytest.mark.parametrize("how", ["header", "query"])
def test_last_event_id_resumes_without_duplicates(alice_api, account, fast_streams, how):
    seen = [_emit(account, name="progress") for _ in range(3)]
    newer = _emit(account)
    if how == "header":
        raw = _read(alice_api, headers={"Last-Event-ID": str(seen[-1].pk)})
    else:
        raw = _read(alice_api, query_params={"last_event_id": seen[-1].pk})
    assert [e["id"] for e in _events(raw)] == [newer.pk]


def test_the_header_wins_over_the_query_on_reconnect(alice_api, account, fast_streams):
    first, second, third = (_emit(account) for _ in range(3))
    raw = _read(
        alice_api,
        query_params={"last_event_id": first.pk},
        headers={"Last-Event-ID": str(second.pk)},
    )
    assert [e["id"] for e in _events(raw)] == [third.pk]


def test_a_malformed_last_event_id_gets_400_naming_it(alice_api, fast_streams):
    response = alice_api.get("/api/v2/notifications/events", headers={"Last-Event-ID": "abc"})
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "Last-Event-ID"


def test_the_stream_needs_a_token(db):
    response = Client().get("/api/v2/notifications/events")
    assert response.status_code == 401


def test_deleting_a_notification_stops_its_replay(alice_api, account, fast_streams):
    kept, dismissed = _emit(account), _emit(account)
    response = alice_api.delete(f"/api/v2/notifications/{dismissed.pk}")
    assert response.status_code == 204
    assert response.content == b""
    assert [e["id"] for e in _events(_read(alice_api))] == [kept.pk]
    assert Notification.objects.get(pk=dismissed.pk).deleted_at is not None


def test_a_stranger_gets_404_deleting_a_notification(charlie_api, account):
    notification = _emit(account)
    response = charlie_api.delete(f"/api/v2/notifications/{notification.pk}")
    assert response.status_code == 404
    assert set(response.json()) >= {"error", "detail"}
    assert Notification.objects.get(pk=notification.pk).deleted_at is None


def test_deleting_an_unknown_or_already_deleted_notification_gets_404(alice_api, account):
    notification = _emit(account)
    assert alice_api.delete("/api/v2/notifications/999999").status_code == 404
    assert alice_api.delete(f"/api/v2/notifications/{notification.pk}").status_code == 204
    assert alice_api.delete(f"/api/v2/notifications/{notification.pk}").status_code == 404


def test_the_openapi_document_describes_the_event_stream(db):
    document = Client().get("/api/v2/openapi.json").json()
    operation = document["paths"]["/api/v2/notifications/events"]["get"]
    assert "text/event-stream" in operation["responses"]["200"]["content"]
    assert "/api/v2/notifications/{notification_id}" in document["paths"]


@pytest.mark.django_db(transaction=True)
def test_under_asgi_the_stream_is_an_async_iterator(alice_token, account, fast_streams):
    """uvicorn serves config.asgi: the stream must be async there, or Django would buffer it."""
    replayed = _emit(account)

    async def read() -> tuple[bool, bytes]:
        response = await AsyncClient().get(
            "/api/v2/notifications/events", headers={"Authorization": f"Bearer {alice_token}"}
        )
        return response.is_async, b"".join([chunk async for chunk in response.streaming_content])

    is_async, raw = async_to_sync(read)()
    assert is_async
    assert [e["id"] for e in _events(raw)] == [replayed.pk]
    assert b": keep-alive" in raw


@pytest.mark.django_db(transaction=True)
def test_a_real_http_client_gets_replay_live_events_and_resumes(
    live_server, alice_token, account, fast_streams
):
    fast_streams.CASTLESS_SSE_MAX_SECONDS = 1.5
    url = live_server.url + "/api/v2/notifications/events"
    headers = {"Authorization": f"Bearer {alice_token}"}
    replayed = _emit(account, name="progress")
    live: list = []
    timer = threading.Timer(0.3, lambda: live.append(_emit(account)))
    lines = []
    with requests.get(url, headers=headers, stream=True, timeout=10) as response:
        assert response.headers["Content-Type"] == "text/event-stream"
        timer.start()
        # Read to the end: the server closes the stream after CASTLESS_SSE_MAX_SECONDS.
        lines = list(response.iter_lines(decode_unicode=True))
    timer.join()
    events = [json.loads(line[6:]) for line in lines if line.startswith("data: ")]
    assert [e["id"] for e in events] == [replayed.pk, live[0].pk]
    assert ": keep-alive" in lines
    resumed = _emit(account)
    headers["Last-Event-ID"] = str(live[0].pk)
    with requests.get(url, headers=headers, stream=True, timeout=10) as response:
        lines = list(response.iter_lines(decode_unicode=True))
    assert [json.loads(line[6:])["id"] for line in lines if line.startswith("data: ")] == [
        resumed.pk
    ]


@pytest.mark.django_db(transaction=True)
def test_under_asgi_a_client_that_disconnects_ends_its_stream(alice_token, fast_streams):
    """The stream's coroutine is cancelled on disconnect instead of polling until it expires."""
    fast_streams.CASTLESS_SSE_MAX_SECONDS = 30
    application = get_asgi_application()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/v2/notifications/events",
        "raw_path": b"/api/v2/notifications/events",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"authorization", f"Bearer {alice_token}".encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }

    async def serve() -> list[dict]:
        sent: list[dict] = []
        first_body = asyncio.Event()
        requested = False

        async def receive() -> dict:
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await first_body.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)
            if message["type"] == "http.response.body":
                first_body.set()

        await asyncio.wait_for(application(scope, receive, send), timeout=5)
        return sent

    started = time.monotonic()
    sent = async_to_sync(serve)()
    assert time.monotonic() - started < 5
    assert sent[0]["status"] == 200
    headers = {name.lower(): value for name, value in sent[0]["headers"]}
    assert headers[b"content-type"] == b"text/event-stream"
