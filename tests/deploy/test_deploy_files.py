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


def test_systemd_units_start_web_under_asgi_and_the_worker():
    web = (ROOT / "deploy/systemd/castless-web.service").read_text()
    worker = (ROOT / "deploy/systemd/castless-worker.service").read_text()
    assert "uvicorn config.asgi:application" in web
    assert "manage.py qcluster" in worker
