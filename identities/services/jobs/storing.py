"""Storing an accepted creation job: the job, its instructions and its drafts, with the counts
of the account's creation jobs that the limits are checked against.

Called once the credit reservation has locked the account's row. On SQLite (one writer at a
time) the counts come first, then an INSERT per table. On PostgreSQL one statement (a
data-modifying WITH) inserts all three and returns the counts beside the keys, three round
trips fewer: its snapshot is taken when it starts, after the lock, so a concurrent create's
committed job is counted and this one's is not. Refused on the counts, the caller's
transaction rolls the inserts back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Account
from config.prepared import PreparedInsert, PreparedRead
from identities.models import Draft, Instruction, Job

_JOBS = PreparedInsert(Job)
_INSTRUCTIONS = PreparedInsert(Instruction)
_DRAFTS = PreparedInsert(Draft)
_IN_PROGRESS = (Job.PENDING, Job.PROCESSING)


@dataclass(frozen=True)
class CreationCounts:
    """The account's creation jobs of the last minute and, under a plan that caps them, in
    progress (None: not counted)."""

    last_minute: int
    in_progress: int | None


def job_tree_insert(
    job: Job,
    instructions: list[dict],
    drafts: list[dict],
    *,
    since: datetime,
    capped: bool,
    check: Callable[[CreationCounts], None],
) -> list[int]:
    """Store `job` (sets its key), its instructions ({attname: value} rows without `job_id`)
    and drafts (rows without `job_id` and `instruction_id`, each under the instruction whose
    `index` is its `image_index`); the drafts' keys, in order. `check` is handed the counts
    and raises to refuse."""
    if connection.vendor == "postgresql":
        return _in_one_statement(job, instructions, drafts, since=since, capped=capped, check=check)
    check(creation_counts(job.account_id, since=since, capped=capped))
    return _rows_one_by_one(job, instructions, drafts)


# --- PostgreSQL: one statement ----------------------------------------------------------------


def _in_one_statement(job, instructions, drafts, *, since, capped, check) -> list[int]:
    # The job's and the instructions' keys come from the statement's own WITH parts (the
    # `taken` columns of _tree_sql): the rows' JSON carries 0 for them, which is not read.
    params = [
        _JOBS.json_rows([job]),
        _INSTRUCTIONS.json_rows([{**row, "job_id": 0} for row in instructions]),
        _DRAFTS.json_rows([{**row, "job_id": 0, "instruction_id": 0} for row in drafts]),
        job.account_id,
        Job.CREATION,
        since,
    ]
    if None in params[:3]:  # a value JSON cannot carry: the statements one by one
        check(creation_counts(job.account_id, since=since, capped=capped))
        return _rows_one_by_one(job, instructions, drafts)
    if capped:
        params += [job.account_id, Job.CREATION, list(_IN_PROGRESS)]
    with connection.cursor() as cursor:
        cursor.execute(_tree_sql(capped=capped), params)
        job_key, draft_keys, last_minute, in_progress = cursor.fetchone()
    job.pk = job_key
    job._state.adding, job._state.db = False, connection.alias
    check(CreationCounts(last_minute=last_minute, in_progress=in_progress))
    return draft_keys


def _rows_one_by_one(job, instructions, drafts) -> list[int]:
    (job,) = _JOBS.insert([job])
    keys = _INSTRUCTIONS.insert_rows([{**row, "job_id": job.pk} for row in instructions])
    by_index = {row["index"]: key for row, key in zip(instructions, keys, strict=True)}
    return _DRAFTS.insert_rows(
        [
            {**row, "job_id": job.pk, "instruction_id": by_index[row["image_index"]]}
            for row in drafts
        ]
    )


@functools.cache
def _tree_sql(*, capped: bool) -> str:
    quote = connection.ops.quote_name
    jobs = quote(Job._meta.db_table)
    job = _JOBS.select_from_json(alias="given") + " RETURNING id"
    instruction = (
        _INSTRUCTIONS.select_from_json(alias="given", taken={"job_id": "job.id"})
        + ' CROSS JOIN job ORDER BY given."index" RETURNING id, "index"'
    )
    draft = (
        _DRAFTS.select_from_json(
            alias="given", taken={"job_id": "job.id", "instruction_id": "instruction.id"}
        )
        + ' CROSS JOIN job JOIN instruction ON instruction."index" = given.image_index'
        " ORDER BY given.image_index, given.variation RETURNING id"
    )
    of_account = f"FROM {jobs} WHERE account_id = %s AND job_type = %s"
    in_progress = (
        f"(SELECT count(*) {of_account} AND status = ANY(%s::varchar[]))" if capped else "NULL"
    )
    # One session's keys come from the sequence in the order its rows are inserted.
    return (
        f"WITH job AS ({job}), instruction AS ({instruction}), draft AS ({draft})"
        " SELECT job.id, (SELECT array_agg(id ORDER BY id) FROM draft),"
        f" (SELECT count(*) {of_account} AND created_at >= %s), {in_progress} FROM job"
    )


# --- SQLite (and any other backend): the counts, then the inserts ------------------------------


def _creations(**conditions) -> Coalesce:
    """How many of the account's creation jobs meet `conditions`, as a scalar subquery."""
    jobs = (
        Job.objects.filter(account=OuterRef("pk"), job_type=Job.CREATION, **conditions)
        .order_by()
        .values("account")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(jobs, output_field=IntegerField()), 0)


def _counts_read(*, capped: bool) -> PreparedRead:
    def build(account, since):
        counts = {"last_minute": _creations(created_at__gte=since)}
        if capped:
            counts["in_progress"] = _creations(status__in=_IN_PROGRESS)
        return Account.objects.filter(pk=account).only("pk").annotate(**counts).order_by()

    return PreparedRead(build, account=Account._meta.pk, since=Job._meta.get_field("created_at"))


# One statement, compiled once per connection.
_COUNTS = {capped: _counts_read(capped=capped) for capped in (False, True)}


def creation_counts(account_id: int, *, since: datetime, capped: bool) -> CreationCounts:
    counts = _COUNTS[capped].first(account=account_id, since=since)
    return CreationCounts(
        last_minute=counts.last_minute, in_progress=counts.in_progress if capped else None
    )
