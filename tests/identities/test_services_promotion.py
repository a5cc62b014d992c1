import threading
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404

from accounts.models import Account, CreditEntry, Plan
from config.api.refusals import refusal_api_error
from config.refusals import Refusal
from identities.models import Draft, Identity, Job, Notification
from identities.selectors import draft_get_for
from identities.services.promotion import identity_promote
from tests.conftest import require_postgres
from tests.pipeline import run_job


def _portraits() -> list[str]:
    """Portrait files in storage (the identities' own copies of their drafts)."""
    root = Path(default_storage.path("identities"))
    files = root.rglob("*") if root.exists() else []
    return sorted(path.relative_to(root.parent).as_posix() for path in files if path.is_file())


def answer(caught):
    """What the API answers for the refusal the service raised."""
    return refusal_api_error(caught.value)


@pytest.fixture
def account(alice):
    return alice.membership.account


@pytest.fixture
def job(account, django_capture_on_commit_callbacks):
    return run_job(account, capture=django_capture_on_commit_callbacks, variations=3)


def _own(account, draft):
    """The draft as the callers look it up (scoped to the account)."""
    return draft_get_for(account=account, draft_id=draft.pk)


def _promote(account, draft, capture, **kwargs):
    with capture(execute=True):
        return identity_promote(draft=_own(account, draft), user=None, **kwargs)


def test_promotion_creates_an_identity_and_preprocessing_completes(
    account, job, django_capture_on_commit_callbacks
):
    draft = job.drafts.first()
    identity, pre_job = _promote(account, draft, django_capture_on_commit_callbacks, name="Astrid")
    identity.refresh_from_db()
    pre_job.refresh_from_db()
    assert len(identity.code) == 12 and identity.code.isalnum() and identity.code.islower()
    assert identity.name == "Astrid"
    assert identity.account == account
    assert identity.source_draft == draft
    assert identity.brief["hair"]["color"] == "ash blonde"
    assert (identity.gender, identity.age, identity.engine, identity.seed) == (
        "female",
        28,
        "local",
        draft.seed,
    )
    assert pre_job.job_type == Job.PREPROCESSING and pre_job.status == Job.COMPLETED
    assert identity.preprocessing_status == Identity.COMPLETED
    assert default_storage.exists(identity.thumbnail.name)
    assert default_storage.exists(identity.face_crop.name)
    assert len(bytes(identity.embedding)) == 128 * 4
    account.refresh_from_db()
    assert account.credit_balance == 500 - 3 - 50
    assert account.credits_reserved == 0
    statuses = [
        n.data["status"]
        for n in Notification.objects.filter(account=account, name="identity_preprocessing")
    ]
    assert statuses == ["processing", "completed"]


def test_promoting_the_same_draft_twice_answers_409_with_the_existing_code(
    account, job, django_capture_on_commit_callbacks
):
    draft = job.drafts.first()
    identity, _ = _promote(account, draft, django_capture_on_commit_callbacks)
    with pytest.raises(Refusal) as caught:
        _promote(account, draft, django_capture_on_commit_callbacks)
    assert answer(caught).status == 409
    assert answer(caught).extra == {"identity_code": identity.code}
    assert Identity.objects.count() == 1


def test_default_names_come_from_the_job_and_are_suffixed(
    account, job, django_capture_on_commit_callbacks
):
    names = [
        _promote(account, draft, django_capture_on_commit_callbacks)[0].name
        for draft in job.drafts.order_by("variation")
    ]
    assert names == ["Spring model", "Spring model 2", "Spring model 3"]


def test_an_explicit_name_already_used_answers_409(
    account, job, django_capture_on_commit_callbacks
):
    first, second = job.drafts.order_by("variation")[:2]
    _promote(account, first, django_capture_on_commit_callbacks, name="Astrid")
    with pytest.raises(Refusal) as caught:
        _promote(account, second, django_capture_on_commit_callbacks, name="Astrid")
    assert answer(caught).status == 409
    assert answer(caught).detail[0].field == "name"
    assert Identity.objects.count() == 1


def test_another_accounts_draft_is_404(charlie, job):
    # The callers look the draft up for their account first: another account's is not found.
    with pytest.raises(Http404):
        _own(charlie.membership.account, job.drafts.first())


def test_an_unfinished_draft_is_refused_with_400(account, job):
    draft = job.drafts.first()
    Draft.objects.filter(pk=draft.pk).update(status=Draft.RUNNING)
    with pytest.raises(Refusal) as caught:
        identity_promote(draft=_own(account, draft), user=None)
    assert answer(caught).status == 400
    assert "running" in answer(caught).error


def test_the_worker_stores_each_drafts_face_count(job):
    assert list(job.drafts.values_list("face_count", flat=True)) == [1, 1, 1]


def test_promotion_reads_the_stored_face_count_without_running_the_detector(
    account, job, monkeypatch
):
    from identities.services.jobs import generation

    def no_detector(data):
        raise AssertionError("the detector ran on the web request")

    monkeypatch.setattr(generation, "image_face_count", no_detector)
    draft = job.drafts.first()
    Draft.objects.filter(pk=draft.pk).update(face_count=2)
    with pytest.raises(Refusal) as caught:
        identity_promote(draft=_own(account, draft), user=None)
    assert answer(caught).status == 400
    assert answer(caught).extra == {"faces_found": 2}
    assert "2 faces" in answer(caught).error


def test_a_draft_without_exactly_one_face_is_refused_with_what_was_found(account, job):
    """A draft from before workers stored the count: detected once, on promotion, and kept."""
    import io

    from PIL import Image

    draft = job.drafts.first()
    blank = io.BytesIO()
    Image.new("RGB", (864, 1152), (230, 230, 230)).save(blank, format="JPEG")
    name = default_storage.save("drafts/blank.jpg", ContentFile(blank.getvalue()))
    Draft.objects.filter(pk=draft.pk).update(image=name, face_count=None)
    with pytest.raises(Refusal) as caught:
        identity_promote(draft=_own(account, draft), user=None)
    assert answer(caught).status == 400
    assert answer(caught).extra == {"faces_found": 0}
    assert "no face" in answer(caught).error
    draft.refresh_from_db()
    assert draft.face_count == 0
    account.refresh_from_db()
    assert account.credits_reserved == 0


def test_the_slot_cap_answers_429(account, job, django_capture_on_commit_callbacks):
    Plan.objects.filter(code="pro").update(identity_slots=1)
    first, second = job.drafts.order_by("variation")[:2]
    _promote(account, first, django_capture_on_commit_callbacks)
    with pytest.raises(Refusal) as caught:
        _promote(account, second, django_capture_on_commit_callbacks)
    assert answer(caught).status == 429


def test_too_few_credits_answer_402(account, job):
    Account.objects.filter(pk=account.pk).update(credit_balance=49)
    with pytest.raises(Refusal) as caught:
        identity_promote(draft=_own(account, job.drafts.first()), user=None)
    assert answer(caught).status == 402
    assert answer(caught).extra == {
        "required_credits": 50,
        "in_progress_credits": 0,
        "user_credits": 49,
    }
    assert not Identity.objects.exists()
    assert _portraits() == []  # the copy made before the lock went with the rollback


def test_a_failed_preprocessing_releases_credits_and_the_draft_can_be_promoted_again(
    account, job, django_capture_on_commit_callbacks, monkeypatch
):
    from identities.services import preprocessing

    def broken(identity):
        raise preprocessing.PreprocessingFailed(
            "Expected exactly one face in the portrait, found 0."
        )

    draft = job.drafts.first()
    monkeypatch.setattr(preprocessing, "_analyse", broken)
    failed, _ = _promote(account, draft, django_capture_on_commit_callbacks)
    failed.refresh_from_db()
    assert failed.preprocessing_status == Identity.FAILED
    assert "found 0" in failed.preprocessing_error
    account.refresh_from_db()
    assert account.credit_balance == 497  # the 50 came back
    monkeypatch.undo()
    retried, _ = _promote(account, draft, django_capture_on_commit_callbacks)
    failed.refresh_from_db()
    retried.refresh_from_db()
    assert failed.hidden is True
    assert retried.code != failed.code
    assert retried.preprocessing_status == Identity.COMPLETED
    account.refresh_from_db()
    assert account.credit_balance == 447
    assert account.ledger.filter(kind=CreditEntry.RELEASE).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_promotions_of_one_draft_give_one_identity_one_charge(alice, settings):
    require_postgres()
    from identities.services.jobs import draft_generate, job_create
    from tests.pipeline import creation_request

    account = alice.membership.account
    job = job_create(
        account=account, user=None, request=creation_request(variations=1), enqueue=False
    )
    draft = job.drafts.get()
    draft_generate(draft_id=draft.pk)
    barrier = threading.Barrier(20)
    outcomes = []
    lock = threading.Lock()

    def attempt():
        try:
            barrier.wait()
            identity, _ = identity_promote(
                draft=draft_get_for(account=account, draft_id=draft.pk), user=None, enqueue=False
            )
            result = (201, identity.code)
        except Refusal as refusal:
            error = refusal_api_error(refusal)
            result = (error.status, error.extra.get("identity_code"))
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    created = [code for status, code in outcomes if status == 201]
    conflicts = [code for status, code in outcomes if status == 409]
    assert len(created) == 1
    assert len(conflicts) == 19
    assert set(conflicts) == set(created)
    assert Identity.objects.filter(account=account).count() == 1
    account.refresh_from_db()
    assert account.credits_reserved == 50
    assert account.ledger.filter(reason__startswith="Promotion").count() == 1
    # Each attempt copied the portrait before queueing for the lock; the refused ones removed
    # their copies again.
    assert _portraits() == [Identity.objects.get().portrait.name]


def test_too_many_promotions_in_a_minute_answer_429(
    account, job, settings, django_capture_on_commit_callbacks
):
    settings.CASTLESS_PROMOTE_PER_MINUTE = 2
    first, second, third = job.drafts.order_by("variation")
    _promote(account, first, django_capture_on_commit_callbacks)
    _promote(account, second, django_capture_on_commit_callbacks)
    with pytest.raises(Refusal) as caught:
        _promote(account, third, django_capture_on_commit_callbacks)
    assert answer(caught).status == 429
    assert answer(caught).headers["Retry-After"]
    account.refresh_from_db()
    assert account.credits_reserved == 0
    assert Identity.objects.filter(account=account).count() == 2
