"""Issue 12: every render's details are kept on its draft and carried to the identity.

The stylegan path draws one real 1K draft (skipped, as the stylegan engine tests are, where the
`openvino` runtime or the `random-face` model files are not installed); the painter path runs
everywhere. Both go through the real job → draft → promote → preprocess task code.
"""

import json

import numpy as np
from django.urls import reverse

from identities.briefs.validation import validate_creation_request
from identities.engines.labels import PHOTOREAL_NOTICE, render_notes
from identities.engines.stylegan.latent import decode_latent
from identities.engines.stylegan.model import LAYERS, STYLE_DIM
from identities.models import Identity
from identities.services.jobs import job_create
from identities.services.promotion import identity_promote
from tests.html import soup as page
from tests.stylegan import needs_stylegan


def _payload(brief: dict, *, model: str, ar: str = "3:4") -> dict:
    return {
        "instructions": [
            {**brief, "num_variations": 1, "options": {"ar": ar, "size": "1K", "format": "png"}}
        ],
        "options": {"model": model},
        "name": "Details model",
    }


def _run(account, capture, payload):
    with capture(execute=True):
        job = job_create(account=account, user=None, request=validate_creation_request(payload))
    job.refresh_from_db()
    return job


def _promote(draft, capture) -> Identity:
    with capture(execute=True):
        identity, _ = identity_promote(draft=draft, user=None, name="Kept details")
    identity.refresh_from_db()
    return identity


def test_render_notes_read_both_engines_wording():
    notes = render_notes(
        {
            "not_drawn": ["hair.style: braids"],
            "not_depicted": ["appearance.height", "hair.style: braids"],
            "non_commercial": True,
            "weights": "photoreal preview, non-commercial weights: MobileStyleGAN",
            "native_size": [1024, 1024],
            "upscaled": 1.094,
        }
    )

    assert notes["not_drawn"] == ["hair.style: braids", "appearance.height"]
    assert notes["non_commercial"] == PHOTOREAL_NOTICE
    assert notes["native_size"] == "1024 × 1024 px" and notes["upscaled"] == "1.09×"
    assert notes["weights"] == "MobileStyleGAN"
    assert render_notes({}) == {
        "not_drawn": [],
        "non_commercial": None,
        "weights": "",
        "native_size": None,
        "upscaled": None,
    }
    assert render_notes(None)["not_drawn"] == []


def test_painter_details_reach_the_draft_the_identity_and_their_pages(
    alice, alice_client, django_capture_on_commit_callbacks
):
    account = alice.membership.account
    brief = {"appearance": {"gender": "male", "age": 40, "height": "190 cm"}}
    job = _run(account, django_capture_on_commit_callbacks, _payload(brief, model="local"))
    draft = job.drafts.get()

    assert draft.status == "completed"
    assert draft.render_details["renderer"].startswith("castless-portrait")
    assert draft.render_details["not_depicted"] == ["appearance.height"]
    assert "non_commercial" not in draft.render_details

    response = alice_client.get(reverse("identities:draft_detail", args=[draft.pk]))
    assert response.status_code == 200
    html = page(response)
    assert "Not drawn: appearance.height" in html.select_one("[data-testid=not-drawn]").text
    assert html.select_one("[data-testid=non-commercial]") is None

    identity = _promote(draft, django_capture_on_commit_callbacks)
    assert identity.render_details == draft.render_details
    response = alice_client.get(reverse("identities:identity_detail", args=[identity.code]))
    assert "appearance.height" in page(response).select_one("[data-testid=not-drawn]").text


def test_a_draft_without_details_shows_no_notes(
    alice, alice_client, django_capture_on_commit_callbacks
):
    account = alice.membership.account
    job = _run(
        account,
        django_capture_on_commit_callbacks,
        _payload({"appearance": {"gender": "female", "age": 30}}, model="local"),
    )
    draft = job.drafts.get()
    draft.render_details = {}
    draft.save(update_fields=["render_details"])

    response = alice_client.get(reverse("identities:draft_detail", args=[draft.pk]))

    assert response.status_code == 200
    assert page(response).select_one("[data-testid=render-notes]") is None


@needs_stylegan
def test_stylegan_latent_and_licence_are_kept_and_shown(
    alice, alice_client, settings, django_capture_on_commit_callbacks
):
    # Enabled, with no external engine configured, `auto` draws with mobile_stylegan (the
    # API's engine names are fixed at start-up, so it is reached through `auto` here).
    settings.CASTLESS_ENABLE_MOBILE_STYLEGAN = True
    for key in ("CASTLESS_GEMINI_API_KEY", "CASTLESS_SEEDREAM_API_KEY"):
        setattr(settings, key, "")
    settings.CASTLESS_MODELCREATE_API_KEY = ""
    account = alice.membership.account
    brief = {"appearance": {"gender": "female", "age": 30}, "hair": {"style": "braids"}}
    job = _run(
        account,
        django_capture_on_commit_callbacks,
        _payload(brief, model="auto", ar="4:5"),
    )
    draft = job.drafts.get()

    assert draft.status == "completed" and draft.engine == "mobile_stylegan"
    details = draft.render_details
    assert details["non_commercial"] is True and details["native_size"] == [1024, 1024]
    assert details["upscaled"] == 1.094
    assert any("braids" in item for item in details["not_drawn"])
    latent = decode_latent(details["latent"])
    assert latent.shape == (LAYERS, STYLE_DIM) and np.isfinite(latent).all()
    assert len(json.dumps(details["latent"])) < 3000

    response = alice_client.get(reverse("identities:draft_detail", args=[draft.pk]))
    html = page(response)
    assert html.select_one("[data-testid=non-commercial]").text.strip() == PHOTOREAL_NOTICE
    assert "braids" in html.select_one("[data-testid=not-drawn]").text
    assert "scaled up 1.09×" in html.select_one("[data-testid=upscaled]").text

    identity = _promote(draft, django_capture_on_commit_callbacks)
    assert identity.render_details == details
    assert np.array_equal(decode_latent(identity.render_details["latent"]), latent)
    response = alice_client.get(reverse("identities:identity_detail", args=[identity.code]))
    html = page(response)
    assert html.select_one("[data-testid=non-commercial]").text.strip() == PHOTOREAL_NOTICE
    assert "braids" in html.select_one("[data-testid=not-drawn]").text
