"""The seed's Python examples — submit a job, track its drafts over SSE, fetch the results,
promote one — run unchanged against a live server; only the placeholders get real values."""

import contextlib
import io
import re
from pathlib import Path

import pytest

from identities.models import Draft, Identity, Job

EXAMPLES = Path(__file__).parent / "seed_examples"


def run_example(name: str, **values) -> tuple[dict, str]:
    """Run a seed example with its placeholder assignments replaced; returns (globals, stdout)."""
    source = (EXAMPLES / f"{name}.py.txt").read_text()
    for variable, value in values.items():
        pattern = rf'^{variable} = ".*"$|^"{variable}": \d+,'
        replacement = (
            f'"{variable}": {value},' if isinstance(value, int) else f"{variable} = {value!r}"
        )
        source, count = re.subn(pattern, replacement, source, count=1, flags=re.M)
        assert count == 1, f"{variable} not found in {name}"
    namespace: dict = {"__name__": "seed_example"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, f"seed:{name}", "exec"), namespace)
    return namespace, out.getvalue()


@pytest.fixture(autouse=True)
def site_url_is_the_live_server(settings, live_server):
    settings.SITE_URL = live_server.url


def test_the_seed_examples_run_unchanged_end_to_end(live_server, alice, alice_token):
    api_url = live_server.url + "/api/v2"

    created, out = run_example("create_job", api_url=api_url, access_token=alice_token)
    job_id = created["job_id"]
    assert out.strip() == f"Creation job dispatched: {job_id}"
    assert Job.objects.get(public_id=job_id).name == "Spring catalog model"

    tracked, out = run_example(
        "track_drafts", api_url=api_url, access_token=alice_token, job_id=job_id
    )
    lines = out.strip().splitlines()
    assert len(lines) == 3
    drafts = list(Draft.objects.filter(job__public_id=job_id).order_by("image_index", "variation"))
    for line, draft in zip(lines, drafts, strict=True):
        assert line.startswith(f"Draft #{draft.pk}: {live_server.url}/m/")

    promoted, out = run_example(
        "promote_draft", api_url=api_url, access_token=alice_token, image_result_id=drafts[1].pk
    )
    identity = Identity.objects.get(code=promoted["identity_code"])
    assert identity.name == "Spring catalog model"
    assert identity.source_draft == drafts[1]
    assert out.strip() == (
        f"Promoted to identity {identity.code}; preprocessing {promoted['preprocessing_job_id']}"
    )
    assert identity.preprocessing_status == Identity.COMPLETED


def test_the_tracking_example_raises_when_the_job_failed(live_server, alice, alice_token):
    from identities.notifications.emit import notification_emit

    account = alice.membership.account
    notification_emit(
        account=account, name="error", data={"id_task": "job_failed1", "status": "failed"}
    )
    with pytest.raises(RuntimeError, match="Identity creation failed"):
        run_example(
            "track_drafts",
            api_url=live_server.url + "/api/v2",
            access_token=alice_token,
            job_id="job_failed1",
        )
