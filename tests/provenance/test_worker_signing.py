"""Every draft, face crop and thumbnail is signed in the worker before it is stored; a signing
failure fails the work and gives its credits back. Read back with c2pa's own Reader."""

from django.core.files.storage import default_storage

from accounts.models import CreditEntry
from identities.models import Draft, Identity, Job
from identities.provenance import TRAINED_ALGORITHMIC_MEDIA, UNTRUSTED, verify_image
from identities.provenance.manifest import castless_version
from identities.selectors import draft_get_for
from identities.services.preprocessing import identity_preprocess
from identities.services.promotion import identity_promote
from tests.pipeline import run_job
from tests.provenance.conftest import active_manifest, assertion

FAILING_HOOK = "tests.provenance.test_worker_signing.refusing_signer"


def refusing_signer(data: bytes) -> bytes:
    raise RuntimeError("the KMS refused the key")


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def test_a_draft_is_stored_with_a_signed_castless_manifest(
    account, django_capture_on_commit_callbacks
):
    job = run_job(account, capture=django_capture_on_commit_callbacks, variations=1)
    draft = job.drafts.get()
    assert draft.status == Draft.COMPLETED
    manifest = active_manifest(_read(draft.image.name))
    generator = manifest["claim_generator_info"][0]
    assert (generator["name"], generator["version"]) == ("Castless", castless_version())
    (created,) = assertion(manifest, "c2pa.actions")["actions"]
    assert created["action"] == "c2pa.created"
    assert created["digitalSourceType"] == TRAINED_ALGORITHMIC_MEDIA
    assert created["softwareAgent"]["name"] == draft.engine
    assert assertion(manifest, "com.castless.generation") == {
        "engine": draft.engine,
        "job": job.public_id,
    }
    assert manifest.get("ingredients", []) == []
    assert verify_image(data=_read(draft.image.name)).state == UNTRUSTED


def test_a_signing_failure_fails_the_draft_and_refunds_it(
    account, settings, django_capture_on_commit_callbacks
):
    settings.CASTLESS_C2PA_CERT_CHAIN = str(settings.BASE_DIR / "pyproject.toml")
    settings.CASTLESS_C2PA_SIGNER = FAILING_HOOK
    job = run_job(account, capture=django_capture_on_commit_callbacks, variations=2)
    assert job.status == Job.FAILED
    for draft in job.drafts.all():
        assert (draft.status, draft.error_kind, draft.image.name) == (Draft.FAILED, "signing", "")
        assert draft.error_message.startswith("Content credentials could not be signed:")
    account.refresh_from_db()
    assert (account.credit_balance, account.credits_reserved) == (500, 0)
    assert account.ledger.filter(kind=CreditEntry.RELEASE).count() == 2
    assert not default_storage.exists(f"drafts/{job.public_id}")


def test_a_hook_that_raises_names_its_error_on_the_draft(
    account, settings, tmp_path, django_capture_on_commit_callbacks
):
    from identities.provenance.devchain import dev_chain_ensure

    chain = dev_chain_ensure(directory=tmp_path)
    settings.CASTLESS_C2PA_CERT_CHAIN = str(chain.directory / "signer-chain.pem")
    settings.CASTLESS_C2PA_SIGNER = FAILING_HOOK
    job = run_job(account, capture=django_capture_on_commit_callbacks, variations=1)
    draft = job.drafts.get()
    assert draft.status == Draft.FAILED
    assert "the KMS refused the key" in draft.error_message


def _promoted(account, capture) -> Job:
    job = run_job(account, capture=capture, variations=1)
    draft = draft_get_for(account=account, draft_id=job.drafts.get().pk)
    _, preprocessing = identity_promote(draft=draft, user=None, enqueue=False)
    return preprocessing


def test_face_crop_and_thumbnail_are_signed_with_the_identity_code(
    account, django_capture_on_commit_callbacks
):
    preprocessing = _promoted(account, django_capture_on_commit_callbacks)
    identity_preprocess(job_id=preprocessing.pk)
    identity = Identity.objects.get(pk=preprocessing.identity_id)
    assert identity.preprocessing_status == Identity.COMPLETED
    for image in (identity.face_crop, identity.thumbnail):
        manifest = active_manifest(_read(image.name))
        assert assertion(manifest, "com.castless.generation") == {
            "engine": identity.engine,
            "job": identity.creation_job.public_id,
            "identity": identity.code,
        }
        assert [i["title"] for i in manifest["ingredients"]] == ["identity portrait"]
    # The portrait is the draft's own signed bytes.
    portrait = verify_image(data=_read(identity.portrait.name))
    assert (portrait.state, portrait.job_code) == (UNTRUSTED, identity.creation_job.public_id)


def test_a_signing_failure_fails_preprocessing_and_returns_the_promotion_credits(
    account, settings, django_capture_on_commit_callbacks
):
    preprocessing = _promoted(account, django_capture_on_commit_callbacks)
    settings.CASTLESS_C2PA_CERT_CHAIN = "/nonexistent/chain.pem"
    settings.CASTLESS_C2PA_PRIVATE_KEY = "/nonexistent/key.pem"
    identity_preprocess(job_id=preprocessing.pk)
    identity = Identity.objects.get(pk=preprocessing.identity_id)
    assert identity.preprocessing_status == Identity.FAILED
    assert identity.preprocessing_error.startswith("Content credentials could not be signed:")
    assert "/nonexistent/chain.pem" in identity.preprocessing_error
    assert (identity.face_crop.name, identity.thumbnail.name) == ("", "")
    assert account.ledger.filter(kind=CreditEntry.RELEASE, amount=50).count() == 1
