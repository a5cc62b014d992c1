"""Every response carries a Content-Security-Policy: pages run only this site's script files
and style sheets (no inline code of any kind), the JSON API lets nothing load at all."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from identities.services.promotion import identity_promote
from tests.pipeline import run_job

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"

PAGE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
API_POLICY = {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


# --- the headers --------------------------------------------------------------------------------


def test_pages_for_visitors_carry_the_page_policy(client, reference_data):
    for name in ("accounts:login", "accounts:signup"):
        assert policy(client.get(reverse(name))) == PAGE_POLICY


def test_pages_of_a_workspace_carry_the_page_policy(alice_client):
    for name in ("identities:library", "accounts:settings", "accounts:credits"):
        response = alice_client.get(reverse(name))
        assert response.status_code == 200
        assert policy(response) == PAGE_POLICY


def test_a_paused_login_page_carries_the_page_policy(alice, settings):
    settings.AXES_FAILURE_LIMIT = 1
    response = Client().post(
        reverse("accounts:login"), {"username": alice.email, "password": "not-hers-1"}
    )
    assert response.status_code == 429
    assert policy(response) == PAGE_POLICY


def test_the_api_lets_nothing_load(alice_api, client, reference_data):
    answers = [
        alice_api.get("/api/v2/me"),
        alice_api.get("/api/v2/jobs/does-not-exist"),
        client.get("/api/v2/me"),
        client.get("/api/v2/openapi.json"),
    ]
    assert [answer.status_code for answer in answers] == [200, 404, 401, 200]
    assert all(policy(answer) == API_POLICY for answer in answers)


def test_the_api_docs_are_a_page_served_from_static_files(client, reference_data):
    response = client.get("/api/v2/docs")
    assert response.status_code == 200
    assert policy(response) == PAGE_POLICY
    page = BeautifulSoup(response.content.decode(), "html.parser")
    sources = [script.get("src") for script in page.select("script") if script.get("src")]
    sheets = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert sources and sheets
    # Same site (static files), never a CDN: the policy would block one, and offline it would
    # not load anyway.
    assert all(urlsplit(url).netloc == "" for url in sources + sheets)
    # The only inline script is swagger's settings as JSON data, which never runs.
    inline = [script for script in page.select("script") if not script.get("src")]
    assert [script.get("type") for script in inline] == ["application/json"]


def _settings_policy(**env) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CASTLESS_", "AWS_"))
    }
    clean.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_images_may_come_from_the_s3_bucket_and_extra_origins():
    base = ["'self'", "data:", "blob:"]
    assert _settings_policy() == base
    assert _settings_policy(
        AWS_STORAGE_BUCKET_NAME="castless-media", AWS_S3_REGION_NAME="eu-west-1"
    ) == [
        *base,
        "https://s3.amazonaws.com",
        "https://castless-media.s3.amazonaws.com",
        "https://s3.eu-west-1.amazonaws.com",
        "https://castless-media.s3.eu-west-1.amazonaws.com",
    ]
    assert _settings_policy(
        AWS_STORAGE_BUCKET_NAME="media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_S3_ADDRESSING_STYLE="path",
        CASTLESS_CSP_IMG_SOURCES="https://cdn.example.com",
    ) == [*base, "http://127.0.0.1:9000", "https://cdn.example.com"]


# --- no inline code in any page -------------------------------------------------------------

# Attributes htmx runs through eval (refused by the policy, and by htmx's allowEval=false).
EVAL_ATTRIBUTES = re.compile(r"^(data-)?hx-(on|vars)\b")


def inline_code(html: str) -> list[str]:
    """What the policy would refuse in a page: inline scripts, style attributes, event handler
    attributes, javascript: URLs and the htmx features that need eval."""
    page = BeautifulSoup(html, "html.parser")
    found = []
    for script in page.find_all("script"):
        if not script.get("src"):
            found.append(f"inline <script>: {str(script)[:80]}")
    for tag in page.find_all("style"):
        found.append(f"inline <style>: {str(tag)[:80]}")
    for element in page.find_all(True):
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            problem = _attribute_problem(name, text.strip().lower())
            if problem:
                found.append(f"<{element.name}> {name}={text[:60]!r}: {problem}")
    return found


def _attribute_problem(name: str, value: str) -> str:
    if name == "style":
        return "inline style"
    if name.startswith("on"):
        return "inline event handler"
    if EVAL_ATTRIBUTES.match(name):
        return "htmx evaluates it"
    if name in ("hx-trigger", "data-hx-trigger") and "[" in value:
        return "htmx evaluates the trigger filter"
    if name in ("hx-vals", "data-hx-vals") and value.startswith(("js:", "javascript:")):
        return "htmx evaluates it"
    if name in ("href", "src", "action") and value.startswith("javascript:"):
        return "javascript: URL"
    return ""


def _links(html: str) -> list[tuple[str, bool]]:
    """Same-site GET targets of a page: (url, as htmx asks for it)."""
    page = BeautifulSoup(html, "html.parser")
    targets = [(a["href"], False) for a in page.select("a[href]")]
    targets += [(element["hx-get"], True) for element in page.select("[hx-get]")]
    return [
        (url, partial)
        for url, partial in targets
        if url.startswith("/")
        and not url.startswith(("/static/", "/m/", "/admin/", "/api/"))
        and "/logout" not in url
    ]


@pytest.fixture
def workspace(alice, alice_client, django_capture_on_commit_callbacks):
    """Alice's workspace with a finished job, an identity and a fresh API token."""
    account = alice.membership.account
    job = run_job(account, capture=django_capture_on_commit_callbacks, variations=2)
    with django_capture_on_commit_callbacks(execute=True):
        identity = identity_promote(draft=job.drafts.first(), user=alice, name="Astrid")[0]
    return {"job": job, "identity": identity}


def test_no_page_of_the_site_has_inline_code(alice_client, client, workspace):
    start = [
        reverse("identities:library"),
        "/create/",
        reverse("identities:job_detail", args=[workspace["job"].public_id]),
        reverse("identities:identity_detail", args=[workspace["identity"].code]),
        reverse("accounts:settings"),
        reverse("accounts:credits"),
    ]
    seen: dict[str, list[str]] = {}
    queue = [(url, False) for url in start]
    while queue and len(seen) < 80:
        url, partial = queue.pop(0)
        key = f"{url} (htmx)" if partial else url
        if key in seen:
            continue
        headers = {"HX-Request": "true"} if partial else {}
        response = alice_client.get(url, headers=headers, follow=True)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        seen[key] = inline_code(html)
        queue += _links(html)

    # The pages a new token and a sign-up show, too.
    token_page = alice_client.post(reverse("accounts:token_create"), {"name": "CSP"})
    assert token_page.status_code == 200
    seen["token created"] = inline_code(token_page.content.decode())
    for name in ("accounts:login", "accounts:signup"):
        seen[name] = inline_code(client.get(reverse(name)).content.decode())

    assert {"/create/", reverse("accounts:settings")} <= set(seen)
    assert any("/review/" in url for url in seen), sorted(seen)
    assert {url: found for url, found in seen.items() if found} == {}


def test_no_template_has_inline_code():
    # Also the states a crawl rarely meets (an identity being prepared, an error panel).
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        if "admin" in path.relative_to(TEMPLATES).parts:
            continue
        text = re.sub(
            r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", path.read_text(), flags=re.S
        )
        problems = inline_code(text)
        if problems:
            found[str(path.relative_to(ROOT))] = problems
    assert found == {}
