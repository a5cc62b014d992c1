"""A real webhook receiver for tests: an HTTP server on 127.0.0.1 in a thread, and the
signature check receivers are documented to run."""

import hashlib
import hmac
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from identities.models import Webhook
from identities.notifications.emit import notification_emit


def verify_signature(secret: str, body: bytes, signature_header: str) -> bool:
    # The receiver's check as the API documentation gives it, verbatim.
    expected = "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature_header)


class Receiver:
    """A real HTTP server on 127.0.0.1 in a thread: records every POST and answers with the next
    of `statuses` (the last one repeats), optionally after `delay` seconds."""

    def __init__(self, statuses=(204,), delay: float = 0.0) -> None:
        self.statuses = list(statuses)
        self.delay = delay
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                time.sleep(receiver.delay)
                status = (
                    receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/castless"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


SECRET = "whsec_test-secret"
JOB = {"id_task": "job_abc", "job_id": "job_abc", "status": "completed"}


def hook_for(account, receiver: Receiver, secret: str = SECRET):
    return Webhook.objects.create(account=account, url=receiver.url, secret=secret)


def emit_and_send(account, capture, name="completed"):
    """Emit an event and run its on-commit delivery task at once (the sync django-q cluster)."""
    with capture(execute=True):
        return notification_emit(account=account, name=name, data=JOB)
