"""Starting one call in many threads at once (PostgreSQL row-level concurrency tests)."""

import threading
from collections.abc import Callable


def race(call: Callable[[], object], count: int, refusals: dict[type, str], done: str) -> list[str]:
    """Run `call` in `count` threads released together, each on its own database connection;
    the sorted outcomes: `done`, or the name `refusals` gives the exception it raised."""
    barrier = threading.Barrier(count)
    outcomes, lock = [], threading.Lock()

    def attempt():
        from django.db import connection

        try:
            barrier.wait()
            call()
            outcome = done
        except tuple(refusals) as refusal:
            outcome = refusals[type(refusal)]
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)
