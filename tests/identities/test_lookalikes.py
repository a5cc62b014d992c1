"""Look-alikes among an account's identities, on stored embeddings and on real drafts."""

import numpy as np
import pytest
from django.utils import timezone

from identities.faces.similarity import SAME_PERSON
from identities.lookalikes import account_lookalikes, draft_lookalikes
from identities.models import Draft, Identity
from identities.selectors import draft_get_for
from identities.services.preprocessing import identity_preprocess
from identities.services.promotion import identity_promote
from tests.pipeline import run_job

AXIS = np.eye(128, dtype=np.float32)[0]


def at(similarity: float) -> bytes:
    """An embedding whose cosine to AXIS is `similarity`, as preprocessing stores it."""
    vector = np.zeros(128, dtype=np.float32)
    vector[0], vector[1] = similarity, np.sqrt(1 - similarity**2)
    return vector.astype("<f4").tobytes()


@pytest.fixture
def account(alice):
    return alice.membership.account


def make(account, name, embedding, **fields) -> Identity:
    return Identity.objects.create(
        account=account,
        name=name,
        portrait=f"identities/{name}.jpg",
        embedding=embedding,
        embedding_model="yunet+sface",
        **fields,
    )


def test_matches_at_or_above_the_threshold_come_best_first(account):
    close = make(account, "Close", at(0.9))
    edge = make(account, "Edge", at(SAME_PERSON + 1e-4))
    make(account, "Stranger", at(SAME_PERSON - 0.05))
    found = account_lookalikes(account, AXIS)
    assert [identity for identity, _ in found] == [close, edge]
    assert found[0][1] == pytest.approx(0.9, abs=1e-5)


def test_deleted_hidden_unembedded_and_other_accounts_identities_are_not_compared(account, charlie):
    make(account, "Deleted", at(0.95), deleted_at=timezone.now())
    make(account, "Hidden", at(0.95), hidden=True)
    make(account, "Pending", None)
    make(charlie.membership.account, "Charlies", at(0.99))
    assert account_lookalikes(account, AXIS) == []


def test_excluded_identities_other_recognisers_and_other_sizes_are_skipped(account):
    me = make(account, "Me", at(1.0))
    arcface = make(account, "Arcface", at(0.95))
    Identity.objects.filter(pk=arcface.pk).update(embedding_model="scrfd+arcface")
    make(account, "Wide", np.ones(512, dtype="<f4").tobytes())
    assert account_lookalikes(account, AXIS, exclude=me, model="yunet+sface") == []
    assert [i for i, _ in account_lookalikes(account, AXIS, exclude=[me.pk])] == [arcface]


def test_stored_bytes_work_as_the_query_too(account):
    twin = make(account, "Twin", at(0.8))
    assert [i for i, _ in account_lookalikes(account, at(0.8))] == [twin]


def test_an_empty_embedding_matches_nobody(account):
    make(account, "Someone", at(0.9))
    assert account_lookalikes(account, np.zeros(128, dtype=np.float32)) == []


@pytest.fixture
def promoted(account, django_capture_on_commit_callbacks) -> Identity:
    """An identity of Alice's, preprocessed by the real task: it has an SFace embedding."""
    job = run_job(account, capture=django_capture_on_commit_callbacks, variations=1)
    draft = draft_get_for(account=account, draft_id=job.drafts.get().pk)
    identity, preprocessing = identity_promote(draft=draft, user=None, enqueue=False)
    identity_preprocess(job_id=preprocessing.pk)
    identity.refresh_from_db()
    assert identity.embedding is not None
    return identity


def test_a_draft_showing_an_identity_face_is_its_lookalike(
    promoted, account, django_capture_on_commit_callbacks
):
    job = run_job(account, capture=django_capture_on_commit_callbacks, variations=1)
    draft = job.drafts.get()
    # The same picture again: the surest same person there is.
    Draft.objects.filter(pk=draft.pk).update(image=promoted.source_draft.image.name)
    draft.refresh_from_db()
    (found,) = draft_lookalikes(draft=draft)
    assert found.identity == promoted
    assert found.similarity == pytest.approx(1.0, abs=0.02)
    assert found.words == "almost certainly the same person"


def test_a_draft_is_not_its_own_identity_lookalike(promoted):
    assert draft_lookalikes(draft=promoted.source_draft) == []


def test_a_draft_without_a_readable_image_has_no_lookalikes(promoted):
    draft = promoted.source_draft
    Draft.objects.filter(pk=draft.pk).update(image="drafts/missing.jpg")
    draft.refresh_from_db()
    assert draft_lookalikes(draft=draft) == []
