"""Start the deploy servers as deploy/systemd runs them, for the serving bench and the deploy test.

gunicorn runs castless-web.service's ExecStart (pages and API calls), uvicorn
castless-events.service's (the event stream), both pointed at this checkout and virtualenv.
Each gets a listening socket this process bound (port 0, so the kernel picks a free port) and
hands over as a file descriptor (gunicorn `--bind fd://N`, uvicorn `--fd N`): picking a free
port and letting the server bind it later raced with every other process on the machine
("address already in use" when one took the port in between). Connections made before a
server accepts wait in the socket's backlog.
"""

from __future__ import annotations

import contextlib
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
UNITS = ROOT / "deploy/systemd"


def exec_start(unit: str) -> list[str]:
    """The unit's ExecStart as arguments, pointed at this checkout and virtualenv."""
    text = (UNITS / unit).read_text().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    command = line.removeprefix("ExecStart=").replace("/srv/castless/.venv/bin/", f"{BIN}/")
    return shlex.split(command.replace("/srv/castless/", f"{ROOT}/"))


def with_option(args: list[str], option: str, value: str) -> list[str]:
    """`args` with the value after `option` replaced."""
    index = args.index(option)
    return [*args[: index + 1], value, *args[index + 2 :]]


def without_option(args: list[str], option: str) -> list[str]:
    """`args` without `option` and its value."""
    index = args.index(option)
    return [*args[:index], *args[index + 2 :]]


def listening_socket() -> socket.socket:
    """A TCP socket on 127.0.0.1, bound to a port the kernel chose, listening, inheritable."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def web_command(sock: socket.socket) -> list[str]:
    """castless-web.service's gunicorn, serving on `sock`."""
    return with_option(exec_start("castless-web.service"), "--bind", f"fd://{sock.fileno()}")


def events_command(sock: socket.socket, *, workers: int | None = None) -> list[str]:
    """castless-events.service's uvicorn, serving on `sock` (`workers` processes if given)."""
    args = without_option(without_option(exec_start("castless-events.service"), "--host"), "--port")
    if workers is not None:
        args = with_option(args, "--workers", str(workers))
    return [*args, "--fd", str(sock.fileno())]


def manage(env: dict, *args: str, timeout: float = 120) -> str:
    """`manage.py *args` in a child process; its stdout. Raises RuntimeError when it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen
    log: Path

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def wait_until_up(self, path: str, deadline: float) -> None:
        """Until `path` answers; RuntimeError (with the log) if the server exits or is late."""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            try:
                requests.get(self.url + path, timeout=max(1.0, deadline - time.monotonic()))
                return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer {path} in time:\n{self.log_tail()}")


@dataclass
class DeployServers:
    web: Server
    events: Server
    handles: list = field(default_factory=list)

    @property
    def processes(self) -> list[subprocess.Popen]:
        return [self.web.process, self.events.process]


def _start(name: str, args: list[str], sock: socket.socket, env: dict, log: Path, handle):
    process = subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=handle,
        pass_fds=(sock.fileno(),),
    )
    host, port = sock.getsockname()
    return Server(name=name, url=f"http://{host}:{port}", process=process, log=log)


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@contextlib.contextmanager
def deploy_servers(
    env: dict, *, log_dir: Path, events_workers: int | None = None, startup_seconds: float = 120
) -> Iterator[DeployServers]:
    """gunicorn and uvicorn as deployed, each answering its first request before this yields.

    The first request imports the URL configuration and views: slow on a loaded machine.
    """
    logs = [log_dir / "gunicorn.log", log_dir / "uvicorn.log"]
    handles = [log.open("wb") for log in logs]
    sockets = [listening_socket(), listening_socket()]
    started: list[Server] = []
    try:
        commands = [web_command(sockets[0]), events_command(sockets[1], workers=events_workers)]
        for name, args, sock, log, handle in zip(
            ("gunicorn", "uvicorn"), commands, sockets, logs, handles, strict=True
        ):
            started.append(_start(name, args, sock, env, log, handle))
        for sock in sockets:
            sock.close()  # the servers hold their own copies
        servers = DeployServers(web=started[0], events=started[1], handles=handles)
        deadline = time.monotonic() + startup_seconds
        servers.web.wait_until_up("/accounts/login/", deadline)
        servers.events.wait_until_up("/api/v2/notifications/events", deadline)
        yield servers
    finally:
        for sock in sockets:
            sock.close()
        _stop([server.process for server in started])
        for handle in handles:
            handle.close()


def postgres_ensure(url: str) -> None:
    """Create the database DATABASE_URL names when it does not exist yet."""
    import psycopg
    from psycopg import sql

    try:
        psycopg.connect(url, connect_timeout=10).close()
        return
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise
    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
