"""Load generators for the serving bench, and what each costs in CPU.

The bench client runs on the same cores as the servers, so every figure comes with the CPU the
client and the servers used while it was taken (cores = CPU seconds / wall seconds): a
Python `requests` client spends about as much CPU per request as a Django view, which caps
what it can measure on a two-core machine. `wrk` (C, event loop; Debian's `wrk` package) costs
a fraction of that and is used beside it when installed.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Measure:
    """One load run: throughput, latency, and the CPU each side spent."""

    client: str
    rate: float
    latencies_ms: list[float]
    p50_ms: float
    p95_ms: float
    errors: int
    client_cores: float
    server_cores: float
    load: str = ""  # the load average when the run ended

    @property
    def per_server_core(self) -> float:
        """Requests per CPU second the servers spent (what one core would serve)."""
        return self.rate / self.server_cores if self.server_cores else 0.0


def load_average() -> str:
    return "load " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def tree_cpu_seconds(root_pids: list[int]) -> float:
    """User + system CPU seconds of the processes `root_pids` and all their descendants,
    including descendants that have exited and been reaped (gunicorn recycles its workers
    after `max_requests`: without their time, a recycle read as negative CPU)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        parents[int(entry.name)] = int(fields[1])
        # utime + stime, and cutime + cstime: the reaped children's (they are in the tree no
        # longer, so nothing is counted twice).
        times[int(entry.name)] = sum(int(value) for value in fields[11:15]) / TICKS
    wanted = set(root_pids)
    grew = True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in wanted} - wanted
        wanted |= more
        grew = bool(more)
    return sum(times.get(pid, 0.0) for pid in wanted)


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def python_load(
    call: Callable[[requests.Session], int],
    *,
    seconds: float,
    clients: int,
    server_pids: list[int],
) -> Measure:
    """`clients` threads, each with its own session, calling `call` for `seconds`."""
    latencies: list[float] = []
    errors: list[int] = []

    def run(stop: float) -> None:
        session = requests.Session()
        while time.monotonic() < stop:
            start = time.perf_counter()
            status = call(session)
            latencies.append((time.perf_counter() - start) * 1000)
            if status >= 400:
                errors.append(status)

    server_before, client_before = tree_cpu_seconds(server_pids), _self_cpu()
    started = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(run, started + seconds) for _ in range(clients)]:
            future.result()
    wall = time.monotonic() - started
    return Measure(
        client="python",
        rate=len(latencies) / wall,
        latencies_ms=latencies,
        p50_ms=statistics.median(latencies),
        p95_ms=p95(latencies),
        errors=len(errors),
        client_cores=(_self_cpu() - client_before) / wall,
        server_cores=(tree_cpu_seconds(server_pids) - server_before) / wall,
        load=load_average(),
    )


_WRK_SCRIPT = """
wrk.method = {method}
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
{headers}
{rotation}
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %.1f %.1f\\n", summary.requests,
    summary.duration, summary.errors.status, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


_WRK_ROTATION = """
local tokens = {{{tokens}}}
local next_token = 0
request = function()
  next_token = next_token % #tokens + 1
  wrk.headers["Authorization"] = "Bearer " .. tokens[next_token]
  return wrk.format()
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _lua(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string literal for ASCII text


def wrk_load(
    url: str,
    *,
    seconds: float,
    clients: int,
    server_pids: list[int],
    headers: dict[str, str],
    method: str = "GET",
    body: dict | None = None,
    tokens: list[str] | None = None,
) -> Measure:
    """wrk with `clients` connections on two threads for `seconds`; with `tokens`, each
    request carries the next of them as its bearer token."""
    script = _WRK_SCRIPT.format(
        method=_lua(method),
        body=_lua(json.dumps(body)) if body is not None else "nil",
        headers="\n".join(f"wrk.headers[{_lua(k)}] = {_lua(v)}" for k, v in headers.items()),
        rotation=_WRK_ROTATION.format(tokens=", ".join(_lua(t) for t in tokens)) if tokens else "",
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    server_before, client_before = tree_cpu_seconds(server_pids), _children_cpu()
    started = time.monotonic()
    result = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds:.0f}s", "--timeout", "30s", "-s", handle.name]
        + [url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    wall = time.monotonic() - started
    os.unlink(handle.name)
    match = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)", result.stdout)
    if match is None:
        raise RuntimeError(f"wrk gave no result:\n{result.stdout}\n{result.stderr}")
    count, duration_us, status_errors, socket_errors = (int(g) for g in match.groups()[:4])
    p50, p95_ms = float(match.group(5)), float(match.group(6))
    return Measure(
        client="wrk",
        rate=count / (duration_us / 1e6),
        latencies_ms=[],
        p50_ms=p50,
        p95_ms=p95_ms,
        errors=status_errors + socket_errors,
        client_cores=(_children_cpu() - client_before) / wall,
        server_cores=(tree_cpu_seconds(server_pids) - server_before) / wall,
        load=load_average(),
    )
