"""Storing an accepted job (identities.services.jobs.storing): on PostgreSQL the job, its
instructions and drafts and the account's counts are one statement; on SQLite, one per table.
Each draft must land under its own instruction, in order, with the counts taken before the
job itself, and a refusal on the counts must leave nothing stored."""

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.services import credits_reserve
from config.refusals import TooManyJobs
from identities.models import Draft, Instruction, Job
from identities.services.jobs import job_create, storing
from tests.pipeline import creation_request


@pytest.fixture
def account(alice):
    return alice.membership.account


def _stored(account, alice, *, check=lambda counts: None, since=None):
    job = Job(account=account, created_by=alice, job_type=Job.CREATION, name="Tree")
    reservations = iter(_reservation_ids(account, 5))
    instructions = [
        {
            "index": i,
            "brief": {},
            "prompt": f"brief {i}",
            "num_variations": n,
            "size": "1K",
            "ar": "1:1",
            "format": "jpg",
        }
        for i, n in enumerate((3, 2))
    ]
    drafts = [
        {
            "image_index": i,
            "variation": v,
            "seed": 10 * i + v,
            "engine": "local",
            "credits": 1,
            "reservation_id": next(reservations),
        }
        for i, n in enumerate((3, 2))
        for v in range(n)
    ]
    since = since or timezone.now() - timezone.timedelta(minutes=1)
    keys = storing.job_tree_insert(job, instructions, drafts, since=since, capped=True, check=check)
    return job, keys


def _reservation_ids(account, count):
    return [r.pk for r in credits_reserve(account=account, amounts=[1] * count, reason="tree")]


def test_each_draft_lands_under_its_instruction_in_order(account, alice):
    job, keys = _stored(account, alice)
    assert Job.objects.get(pk=job.pk).name == "Tree"
    drafts = [Draft.objects.select_related("instruction").get(pk=key) for key in keys]
    assert [(d.image_index, d.variation, d.seed) for d in drafts] == [
        (0, 0, 0),
        (0, 1, 1),
        (0, 2, 2),
        (1, 0, 10),
        (1, 1, 11),
    ]
    assert all(d.job_id == job.pk and d.instruction.index == d.image_index for d in drafts)
    assert list(Instruction.objects.filter(job=job).values_list("index", "prompt")) == [
        (0, "brief 0"),
        (1, "brief 1"),
    ]


def test_the_counts_are_taken_before_the_job_itself(account, alice):
    seen = []
    _stored(account, alice, check=seen.append)
    _stored(account, alice, check=seen.append)
    assert [(c.last_minute, c.in_progress) for c in seen] == [(0, 0), (1, 1)]
    # Jobs older than the window are not in the last minute; still pending, they are in
    # progress.
    later = timezone.now() + timezone.timedelta(minutes=5)
    _stored(account, alice, check=seen.append, since=later)
    assert (seen[-1].last_minute, seen[-1].in_progress) == (0, 2)


def test_a_refusal_on_the_counts_leaves_nothing_stored(account, alice):
    def refuse(counts):
        raise TooManyJobs(0)

    with pytest.raises(TooManyJobs), transaction.atomic():
        _stored(account, alice, check=refuse)
    assert not Job.objects.filter(account=account).exists()
    assert not Draft.objects.filter(job__account=account).exists()


def test_a_row_json_cannot_carry_is_stored_one_statement_at_a_time(account, alice, monkeypatch):
    # The PostgreSQL path's own fallback (a value JSON cannot carry); on SQLite the one path.
    monkeypatch.setattr(storing._DRAFTS, "json_rows", lambda rows: None)
    seen = []
    job, keys = _stored(account, alice, check=seen.append)
    assert len(keys) == 5 and seen[0].in_progress == 0
    assert set(Draft.objects.filter(job=job).values_list("pk", flat=True)) == set(keys)


def test_create_through_the_service_stores_the_same_tree_on_either_database(account, alice):
    job = job_create(
        account=account,
        user=alice,
        request=creation_request(variations=3, instructions=2),
        enqueue=False,
    )
    drafts = list(Draft.objects.filter(job=job).order_by("pk"))
    assert [(d.image_index, d.variation) for d in drafts] == [
        (0, 0),
        (0, 1),
        (0, 2),
        (1, 0),
        (1, 1),
        (1, 2),
    ]
    assert {d.instruction.index for d in drafts} == {0, 1}
    assert all(d.instruction.index == d.image_index for d in drafts)
    assert len({d.reservation_id for d in drafts}) == 6
