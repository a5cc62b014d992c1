"""A real HTTP server on 127.0.0.1 that plays one vendor's API in tests.

Each fake validates every request against the documented protocol (a violation is recorded in
`problems` and answered 400, so the test fails twice over) and answers from a per-route script
of `Reply`s, falling back to the protocol's normal success.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to sit on the request before answering

    @classmethod
    def json(cls, payload: Any, status: int = 200, **kwargs: Any) -> Reply:
        return cls(status=status, body=json.dumps(payload).encode(), **kwargs)

    @classmethod
    def raw(cls, body: bytes, content_type: str, status: int = 200) -> Reply:
        return cls(status=status, body=body, content_type=content_type)


Scripted = Reply | Callable[[Recorded], Reply]


class FakeServer:
    """Subclasses implement `route`, `validate` and `default_reply`."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.problems: list[str] = []
        self.files: dict[str, Reply] = {}
        self._scripts: dict[str, deque[Scripted]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        # A short poll keeps shutdown (one per test) from waiting out the default half second.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()  # wakes handlers sitting on a delay
        self._httpd.shutdown()
        self._httpd.server_close()

    def script(self, route: str, *replies: Scripted) -> None:
        """Answer the next requests on `route` with these replies, in order."""
        with self._lock:
            self._scripts[route].extend(replies)

    def serve_file(self, name: str, reply: Reply) -> str:
        """A URL on this server that answers with `reply` (an engine's output URL)."""
        self.files[name] = reply
        return f"{self.base_url}/files/{name}"

    def calls(self, route: str) -> list[Recorded]:
        return [request for request in self.requests if self.route(request) == route]

    # --- protocol, per vendor ---------------------------------------------------------------

    def route(self, request: Recorded) -> str | None:
        raise NotImplementedError

    def validate(self, route: str, request: Recorded) -> list[str]:
        raise NotImplementedError

    def default_reply(self, route: str, request: Recorded) -> Reply:
        raise NotImplementedError

    # --- dispatch ---------------------------------------------------------------------------

    def handle(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
        if request.path.startswith("/files/"):
            return self.files.get(request.path.removeprefix("/files/"), Reply(status=404))
        route = self.route(request)
        if route is None:
            self.problems.append(f"unexpected {request.method} {request.path}")
            return Reply.json({"error": "no such endpoint"}, status=404)
        problems = self.validate(route, request)
        if problems:
            self.problems.extend(problems)
            return Reply.json({"error": "fake rejected the request", "problems": problems}, 400)
        with self._lock:
            scripted = self._scripts[route].popleft() if self._scripts[route] else None
        if scripted is None:
            return self.default_reply(route, request)
        return scripted(request) if callable(scripted) else scripted

    def wait(self, seconds: float) -> None:
        self._stopping.wait(seconds)


def _handler_for(fake: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body leave in separate writes; with Nagle on, each reply waits ~40 ms
        # for a delayed ACK.
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            path = urlsplit(self.path).path
            reply = fake.handle(Recorded(self.command, path, headers, body))
            if reply.delay:
                fake.wait(reply.delay)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (a timeout test)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
