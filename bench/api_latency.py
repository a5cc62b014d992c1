"""Create-endpoint throughput next to a trivial endpoint, and job-status latency, in one run.

Run: `.venv/bin/python bench/api_latency.py`. In-process through Django's test client (no
network), SQLite, ORM broker (tasks are enqueued, not run), enterprise plan (no job cap).
Prints medians and the create / trivial ratio.
"""

from __future__ import annotations

import os
import statistics
import time

# As production runs (DEBUG keeps every query's SQL, which costs a create more than a /me).
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_HTTPS"] = "false"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-api-latency-" + os.urandom(8).hex())

import _scratch  # noqa: E402, F401  (sets up Django)
from django.test import Client  # noqa: E402

ROUNDS = 60
BODY = {
    "instructions": [
        {
            "appearance": {"gender": "female", "age": 28, "skin": "light"},
            "hair": {"color": "ash blonde", "length": "long"},
            "num_variations": 8,
            "options": {"ar": "3:4", "size": "1K", "format": "jpg"},
        }
    ],
    "options": {"model": "local"},
    "name": "Bench model",
}


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    _, _, token = _scratch.prepare()
    client = Client(headers={"Authorization": f"Bearer {token}"})
    for _ in range(5):  # warm imports and caches
        client.get("/api/v2/me")
        client.post("/api/v2/identity/create", BODY, content_type="application/json")

    trivial, create, status = [], [], []
    for _ in range(ROUNDS):
        trivial.append(timed(lambda: client.get("/api/v2/me")))
        response = None

        def post():
            nonlocal response
            response = client.post("/api/v2/identity/create", BODY, content_type="application/json")

        create.append(timed(post))
        assert response.status_code == 202, response.content
        job_id = response.json()["job_id"]
        status_path = f"/api/v2/jobs/{job_id}"
        status.append(timed(lambda path=status_path: client.get(path)))

    t, c, s = (statistics.median(x) for x in (trivial, create, status))
    print(f"rounds                          {ROUNDS}")
    print(f"GET /api/v2/me (trivial)        median {t:7.2f} ms")
    print(f"POST /identity/create (8 drafts) median {c:7.2f} ms  → {1000 / c:6.1f} jobs/s")
    print(f"GET /jobs/{{id}} (status)        median {s:7.2f} ms")
    print(f"ratio create / trivial          {c / t:7.1f}x")
    print(f"ratio status / trivial          {s / t:7.1f}x")


if __name__ == "__main__":
    main()
