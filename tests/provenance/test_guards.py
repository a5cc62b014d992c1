"""Guards on references: a draft that copies a reference's face is marked, refunded and cannot
be promoted; a reference photo whose subject may be a minor is refused before anything is
stored. The jobs run through the real task code against a Gemini-speaking server."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from accounts.models import CreditEntry
from config.refusals import InvalidInput, NotPromotable
from identities.briefs.validation import validate_creation_request
from identities.engines.base import RenderRequest
from identities.engines.registry import get_engine
from identities.faces.similarity import SAME_PERSON
from identities.models import Brief, Draft, Identity, Instruction, Job, UploadedAsset
from identities.services.jobs import job_create
from identities.services.output_guards import REFERENCE_LEAK_THRESHOLD
from identities.services.promotion import identity_promote
from identities.wizard.services import brief_dispatch, brief_instruction_replace, brief_start
from tests.html import text_of
from tests.identities.fakes.gemini import image_reply
from tests.identities.fakes.images import image_bytes
from tests.pipeline import BRIEF, creation_request
from tests.provenance.conftest import active_manifest, echo_first_reference, jpeg

PROMPT = "A studio portrait of a new fashion model inspired by the reference's styling"


def _expert_request(*file_ids: str):
    return validate_creation_request(
        {
            "instructions": [
                {
                    "prompt": PROMPT,
                    "input_assets": [{"file_id": f} for f in file_ids],
                    "num_variations": 1,
                    "options": {"ar": "1:1", "size": "1K", "format": "jpg"},
                }
            ],
            "options": {"model": "nano_banana_pro"},
        }
    )


def _run(account, alice, capture, request) -> Job:
    with capture(execute=True):
        job = job_create(account=account, user=alice, request=request)
    job.refresh_from_db()
    return job


def test_the_leak_guard_uses_the_calibrated_same_person_threshold():
    assert REFERENCE_LEAK_THRESHOLD == SAME_PERSON


def test_a_draft_that_copies_its_reference_face_is_marked_refunded_and_not_promotable(
    alice_client, account, alice, gemini, upload, adult_photo, django_capture_on_commit_callbacks
):
    reference = upload(adult_photo)
    gemini.script("generate", echo_first_reference)
    job = _run(
        account, alice, django_capture_on_commit_callbacks, _expert_request(str(reference.file_id))
    )
    draft = job.drafts.get()
    assert draft.status == Draft.COMPLETED
    assert draft.reference_leak is True
    assert draft.reference_similarity >= SAME_PERSON
    account.refresh_from_db()
    assert (account.credit_balance, account.credits_reserved) == (500, 0)
    assert account.ledger.filter(kind=CreditEntry.RELEASE).count() == 1
    assert not account.ledger.filter(kind=CreditEntry.CAPTURE).exists()
    with pytest.raises(NotPromotable) as refused:
        identity_promote(draft=draft, user=alice, enqueue=False)
    assert "face of a reference photo" in str(refused.value)
    assert refused.value.problems[0].field == "image_result_id"
    # The reference is described in the draft's credentials, never embedded.
    with draft.image.open("rb") as handle:
        manifest = active_manifest(handle.read())
    assert [i["title"] for i in manifest["ingredients"]] == ["reference 1"]
    # The draft page says so, and offers no way to promote it.
    page = alice_client.get(reverse("identities:draft_detail", args=[draft.pk]))
    assert "cannot be promoted" in text_of(page, "[data-testid=reference-leak]")
    assert "Back to promote" not in text_of(page, ".page-head")
    # The job page marks it too, with no promote link.
    job_page = alice_client.get(reverse("identities:job_detail", args=[job.public_id]))
    assert "cannot be promoted" in text_of(job_page, "[data-testid=reference-leak]")
    assert reverse("identities:draft_promote", args=[draft.pk]) not in job_page.content.decode()
    promote = alice_client.post(
        reverse("identities:draft_promote", args=[draft.pk]),
        {"name": "Copy"},
        HTTP_HX_REQUEST="true",
    )
    assert promote.status_code == 422
    assert "face of a reference photo" in promote.content.decode()
    assert not Identity.objects.exists()


def test_a_draft_with_a_new_face_is_charged_and_keeps_its_similarity(
    account, alice, gemini, upload, adult_photo, django_capture_on_commit_callbacks
):
    other_face = jpeg(_painter_portrait())
    reference = upload(adult_photo)
    gemini.script("generate", image_reply(other_face, "image/jpeg"))
    job = _run(
        account, alice, django_capture_on_commit_callbacks, _expert_request(str(reference.file_id))
    )
    draft = job.drafts.get()
    assert draft.status == Draft.COMPLETED
    assert draft.reference_leak is False
    assert draft.reference_similarity is not None
    assert draft.reference_similarity < SAME_PERSON
    assert account.ledger.filter(kind=CreditEntry.CAPTURE).count() == 1


def _painter_portrait() -> Image.Image:
    """Someone else: the in-house painter's portrait of the pipeline brief."""
    request = RenderRequest(
        prompt="portrait", brief=BRIEF, expert=False, size="1K", ar="1:1", format="jpg", seed=5
    )
    return Image.open(io.BytesIO(get_engine("local").render(request).image))


def test_a_minor_reference_is_refused_naming_the_field_and_nothing_is_stored(
    account, alice, upload, child_photo
):
    reference = upload(child_photo)
    with pytest.raises(InvalidInput) as refused:
        job_create(account=account, user=alice, request=_expert_request(str(reference.file_id)))
    (problem,) = refused.value.problems
    assert problem.field == "instructions[0].input_assets[0].file_id"
    assert "may be under 18" in problem.message
    assert not Job.objects.exists()
    account.refresh_from_db()
    assert (account.credit_balance, account.credits_reserved) == (500, 0)


def test_the_api_answers_400_for_a_minor_reference(alice_api, upload, child_photo):
    reference = upload(child_photo)
    body = {
        "instructions": [
            {
                "prompt": PROMPT,
                "input_assets": [{"file_id": str(reference.file_id)}],
                "num_variations": 1,
                "options": {"ar": "1:1", "size": "1K", "format": "jpg"},
            }
        ],
        "options": {"model": "nano_banana_pro"},
    }
    response = alice_api.post("/api/v2/identity/create", body, content_type="application/json")
    assert response.status_code == 400, response.content
    (problem,) = response.json()["detail"]
    assert problem["field"] == "instructions[0].input_assets[0].file_id"
    assert "under 18" in problem["message"]
    assert not Job.objects.exists()


def test_from_image_refuses_a_minor_and_charges_nothing(alice_api, account, upload, child_photo):
    reference = upload(child_photo)
    response = alice_api.post(
        "/api/v2/preset/extract-from-image",
        {"file_id": str(reference.file_id), "type": "identity_creation"},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    (problem,) = response.json()["detail"]
    assert problem["field"] == "file_id"
    assert "under 18" in problem["message"]
    assert not account.ledger.filter(kind=CreditEntry.CHARGE).exists()


def test_from_image_reads_an_adult_reference(alice_api, upload, adult_photo):
    reference = upload(adult_photo)
    response = alice_api.post(
        "/api/v2/preset/extract-from-image",
        {"file_id": str(reference.file_id), "type": "identity_creation"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


def test_the_wizard_records_the_from_image_photo_on_the_instruction(
    account, alice, upload, adult_photo
):
    reference = upload(adult_photo)
    brief = brief_start(account=account, user=alice)
    key = brief.instructions[0]["key"]
    brief, _ = brief_instruction_replace(
        brief=brief,
        key=key,
        content={
            "appearance": {"gender": "female", "age": "30"},
            "read_from": [str(reference.file_id)],
        },
    )
    job = brief_dispatch(brief=brief, account=account, user=alice)
    assert Instruction.objects.get(job=job).read_from == [str(reference.file_id)]


def test_an_upload_with_no_face_is_not_refused_as_a_reference(account, alice, upload, gemini):
    garment = upload(image_bytes(400, 400, fmt="JPEG"))
    job = job_create(account=account, user=alice, request=_expert_request(str(garment.file_id)))
    assert job.drafts.count() == 1
    assert UploadedAsset.objects.filter(pk=garment.pk).exists()


# --- the wizard's From Image panel -------------------------------------------------------------


def _extract_url(brief, key: str) -> str:
    return reverse("identities:wizard_extract", args=[brief.public_id, key, "image"])


def test_the_wizard_panel_refuses_a_minor_in_plain_words(
    alice_client, account, alice, upload, child_photo
):
    brief = brief_start(account=account, user=alice)
    key = brief.instructions[0]["key"]
    photo = upload(child_photo)
    response = alice_client.post(
        _extract_url(brief, key), {"file_id": photo.file_id}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert "may be under 18" in text_of(response, f"#tool-{key} .form-errors")
    assert Brief.objects.get(pk=brief.pk).instructions[0]["appearance"] == {}
    assert not account.ledger.filter(kind=CreditEntry.CHARGE).exists()


def test_the_wizard_panel_remembers_which_photo_the_brief_was_read_from(
    alice_client, account, alice, upload, adult_photo
):
    brief = brief_start(account=account, user=alice)
    key = brief.instructions[0]["key"]
    photo = upload(adult_photo)
    response = alice_client.post(
        _extract_url(brief, key), {"file_id": photo.file_id}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert Brief.objects.get(pk=brief.pk).instructions[0]["read_from"] == [str(photo.file_id)]


def test_a_draft_drawing_the_from_image_photos_face_is_marked(
    account, alice, gemini, upload, adult_photo, django_capture_on_commit_callbacks
):
    photo = upload(adult_photo)
    gemini.script("generate", image_reply(adult_photo, "image/jpeg"))
    with django_capture_on_commit_callbacks(execute=True):
        job = job_create(
            account=account,
            user=alice,
            request=creation_request(model="nano_banana_pro", variations=1),
        )
        # What brief_dispatch records for a brief the wizard read From Image.
        Instruction.objects.filter(job=job).update(read_from=[str(photo.file_id)])
    draft = job.drafts.get()
    assert draft.reference_leak is True
    with draft.image.open("rb") as handle:
        manifest = active_manifest(handle.read())
    assert [i["title"] for i in manifest["ingredients"]] == ["From Image reference 1"]
