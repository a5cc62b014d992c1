import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_nginx_site_passes_nginx_t(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("nginx is missing: `make test` installs nginx-light")
    certs = tmp_path / "certs"
    certs.mkdir()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=castless.test",
            "-keyout",
            str(certs / "privkey.pem"),
            "-out",
            str(certs / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    site = (
        (ROOT / "deploy/nginx/castless.conf").read_text().replace("/etc/ssl/castless", str(certs))
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ access_log off; include {tmp_path}/site.conf; }}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_the_sse_location_is_unbuffered():
    site = (ROOT / "deploy/nginx/castless.conf").read_text()
    block = site.split("location = /api/v2/notifications/events", 1)[1].split("}", 1)[0]
    assert "proxy_buffering off;" in block
    assert "proxy_read_timeout 1h;" in block


def test_the_sse_location_goes_to_uvicorn_and_the_rest_to_gunicorn():
    site = (ROOT / "deploy/nginx/castless.conf").read_text()
    events = site.split("location = /api/v2/notifications/events", 1)[1].split("}", 1)[0]
    rest = site.split("location / {", 1)[1].split("}", 1)[0]
    assert "proxy_pass http://castless_events;" in events
    assert "proxy_pass http://castless_web;" in rest
    assert "server 127.0.0.1:8001;" in site.split("upstream castless_events", 1)[1]
    assert "server 127.0.0.1:8000;" in site.split("upstream castless_web", 1)[1]


def test_systemd_units_serve_pages_under_wsgi_streams_under_asgi_and_run_the_worker():
    web = (ROOT / "deploy/systemd/castless-web.service").read_text()
    events = (ROOT / "deploy/systemd/castless-events.service").read_text()
    worker = (ROOT / "deploy/systemd/castless-worker.service").read_text()
    assert "gunicorn config.wsgi:application" in web and "--bind 127.0.0.1:8000" in web
    assert "uvicorn config.asgi:application" in events and "--port 8001" in events
    assert "manage.py worker" in worker
    # SIGTERM to the worker's main process only: django-q2 stops its own processes.
    assert "KillMode=mixed" in worker


def test_compose_runs_the_same_split():
    compose = (ROOT / "deploy/compose.yaml").read_text()
    assert '"gunicorn", "--config", "deploy/gunicorn.conf.py"' in compose
    assert '"uvicorn", "config.asgi:application"' in compose
    assert '"manage.py", "worker"' in compose
