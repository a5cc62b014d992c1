"""config.prepared.PreparedInsert: the rows it writes are the rows Django's `bulk_create` writes,
for every field type a creation job inserts, on SQLite and (in CI) PostgreSQL alike."""

from datetime import UTC, datetime

import pytest
from django.db import connection, connections
from django.db.models.functions import Now
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import CreditEntry, CreditReservation
from config.prepared import PreparedInsert
from identities.models import Draft
from identities.services.jobs import job_create
from tests.pipeline import creation_request

DRAFTS = PreparedInsert(Draft)
ENTRIES = PreparedInsert(CreditEntry)
# Set by the database or the clock, so two inserts of one row differ in them.
_AUTOMATIC = {"id", "created_at"}
_DETAILS = {
    "latent": "AAAA" * 8,
    "not_drawn": ["braids", 'a "quoted" tattoo', "Zoë’s ring \u2014 ✓"],
    "nested": {"deep": [1, 2.5, None, True, {"x": "y\\z"}]},
    "empty": {},
}


@pytest.fixture
def job(alice):
    account = alice.membership.account
    return job_create(
        account=account, user=alice, request=creation_request(variations=1), enqueue=False
    )


def _reservations(account, count: int) -> list[CreditReservation]:
    return CreditReservation.objects.bulk_create(
        CreditReservation(account=account, amount=1, reason="test") for _ in range(count)
    )


def _draft(job, reservation, variation: int, **fields) -> Draft:
    instruction = job.instructions.get()
    return Draft(
        job=job,
        instruction=instruction,
        image_index=0,
        variation=variation,
        seed=2**40 + variation,
        engine="local",
        credits=1,
        reservation=reservation,
        **fields,
    )


def _row(draft: Draft) -> dict:
    values = Draft.objects.filter(pk=draft.pk).values().get()
    return {name: value for name, value in values.items() if name not in _AUTOMATIC}


def _without_identity(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in ("variation", "seed", "reservation_id")}


def test_a_prepared_insert_writes_what_bulk_create_writes(job):
    account = job.account
    reservations = _reservations(account, 4)
    lease = datetime(2026, 12, 4, 18, 30, 1, 123456, tzinfo=UTC)
    every_type = {
        "status": Draft.RUNNING,
        "image": "drafts/2026/12/a.jpg",
        "width": 768,
        "height": 1024,
        "face_count": 1,
        "reference_similarity": 0.3125,
        "reference_leak": True,
        "render_details": _DETAILS,
        "error_message": "line one\nline two ' \" ;",
        "attempts": 2,
        "lease_until": lease,
        "worker": "host:123",
    }
    ours = DRAFTS.insert(
        [_draft(job, reservations[0], 1, **every_type), _draft(job, reservations[1], 2)]
    )
    django = Draft.objects.bulk_create(
        [_draft(job, reservations[2], 3, **every_type), _draft(job, reservations[3], 4)]
    )
    assert all(draft.pk and not draft._state.adding for draft in ours)
    for mine, theirs in zip(ours, django, strict=True):
        assert _without_identity(_row(mine)) == _without_identity(_row(theirs))
    stored = Draft.objects.get(pk=ours[0].pk)
    assert stored.render_details == _DETAILS
    assert stored.lease_until == lease  # to the microsecond
    assert stored.seed == 2**40 + 1
    assert stored.reservation_id == reservations[0].pk
    # The objects keep what was stored (the automatic time included).
    assert stored.created_at == ours[0].created_at


def test_rows_take_their_fields_defaults_and_the_insert_time(job):
    reservations = _reservations(job.account, 2)
    instruction = job.instructions.get()
    before = timezone.now()
    keys = DRAFTS.insert_rows(
        [
            {
                "job_id": job.pk,
                "instruction_id": instruction.pk,
                "image_index": 0,
                "variation": 5 + i,
                "seed": 7,
                "engine": "local",
                "credits": 1,
                "reservation_id": reservation.pk,
            }
            for i, reservation in enumerate(reservations)
        ]
    )
    drafts = Draft.objects.filter(pk__in=keys).order_by("variation")
    assert [d.pk for d in drafts] == keys  # in the order given
    first = drafts[0]
    assert (first.status, first.attempts, first.render_details) == (Draft.PENDING, 0, {})
    assert (first.image.name, first.lease_until, first.reference_leak) == ("", None, False)
    assert before <= first.created_at <= timezone.now()


def test_a_row_naming_an_unknown_field_is_refused(job):
    with pytest.raises(TypeError, match="no fields \\['colour'\\]"):
        DRAFTS.insert_rows([{"job_id": job.pk, "colour": "red"}])


def test_an_expression_value_takes_djangos_own_insert(job):
    (reservation,) = _reservations(job.account, 1)
    (draft,) = DRAFTS.insert([_draft(job, reservation, 9, started_at=Now())])
    assert Draft.objects.get(pk=draft.pk).started_at is not None


def test_the_statement_is_one_query_and_written_once_per_connection(alice):
    account = alice.membership.account
    entries = [
        CreditEntry(
            account=account,
            kind=CreditEntry.GRANT,
            amount=1,
            reason=f"r{i}",
            balance_after=1,
            reserved_after=0,
        )
        for i in range(3)
    ]
    ENTRIES.insert(entries[:1])
    cache = connections["default"].__dict__["_castless_prepared_inserts"]
    size = len(cache)
    with CaptureQueriesContext(connection) as context:
        ENTRIES.insert(entries[1:2])
    assert len(context.captured_queries) == 1
    assert context.captured_queries[0]["sql"].startswith('INSERT INTO "accounts_creditentry"')
    assert len(cache) == size
    assert CreditEntry.objects.filter(reason__in=["r0", "r1"]).count() == 2
