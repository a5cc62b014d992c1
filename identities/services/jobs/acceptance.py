"""Accepting a creation job: every check, one transaction that reserves and inserts, then the
draft tasks.

Two requests starting jobs at once could both pass the concurrent-job cap: the credit
reservation's UPDATE locks the account's row first, and the jobs in progress are counted after
it, so a second create counts the first one's job once that has committed.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from accounts.services import credits_reserve
from config.refusals import (
    AbovePlan,
    CreationPaused,
    FieldError,
    InsufficientCredits,
    InvalidInput,
    TooManyJobs,
)
from identities.briefs.payload import to_api_payload
from identities.briefs.prompt import build_prompt
from identities.briefs.request import CreationRequest
from identities.engines.registry import resolve_engine
from identities.models import Draft, Job, UploadedAsset
from identities.pricing import draft_price
from identities.selectors import creation_enabled
from identities.services.jobs.queueing import TaskBatch, queue_shares_the_transaction
from identities.services.jobs.storing import CreationCounts, creation_counts, job_tree_insert
from identities.services.output_guards import reference_adult_problem
from identities.services.rate_limits import rate_limit_check

DRAFT_TASK = "identities.tasks.draft_generate"


@dataclass(frozen=True)
class Route:
    """Where one instruction's drafts go: the engine that serves them and what each costs."""

    engine: str
    credits: int


def _routes(request: CreationRequest) -> list[Route]:
    """The engine of every instruction, resolved once per request: the quote, the checks and
    the inserted drafts all read this list, so they cannot disagree about who renders."""
    routes, problems = [], []
    for i, instruction in enumerate(request.instructions):
        engine = resolve_engine(
            request.model,
            size=instruction.size,
            ar=instruction.ar,
            input_assets=len(instruction.input_assets),
        )
        if engine is None or not engine.is_configured():
            problems.append(
                FieldError("options.model", f"No configured engine can serve instruction {i}.")
            )
            continue
        price = draft_price(external=engine.capabilities.external, size=instruction.size)
        routes.append(Route(engine=engine.name, credits=price))
    if problems:
        raise InvalidInput(problems)
    return routes


def _draft_credits(request: CreationRequest, routes: list[Route]) -> list[int]:
    """What each draft costs, in the order the drafts are inserted (instruction by
    instruction, variation by variation)."""
    return [
        route.credits
        for route, instruction in zip(routes, request.instructions, strict=True)
        for _ in range(instruction.num_variations)
    ]


def job_quote(*, request: CreationRequest) -> int:
    """What a request will reserve, in credits (shown before dispatch)."""
    return sum(_draft_credits(request, _routes(request)))


def _check_plan(account: Account, request: CreationRequest) -> None:
    plan = account.plan
    problems = [
        FieldError(
            f"instructions[{i}].options.size",
            f"{instruction.size} is above your {plan.name} plan's limit of {plan.max_size}.",
        )
        for i, instruction in enumerate(request.instructions)
        if not plan.allows_size(instruction.size)
    ]
    if problems:
        raise AbovePlan(problems)


def _check_assets(account: Account, request: CreationRequest) -> dict[str, UploadedAsset]:
    wanted = {file_id for i in request.instructions for file_id in i.input_assets}
    found = {}
    if wanted:
        valid_ids = [w for w in wanted if _is_uuid(w)]
        assets = UploadedAsset.objects.filter(
            account=account,
            file_id__in=valid_ids,
            status=UploadedAsset.READY,
            deleted_at__isnull=True,
        )
        found = {str(asset.file_id): asset for asset in assets}
    problems = [
        FieldError(
            f"instructions[{i}].input_assets[{j}].file_id",
            "No uploaded image with this file_id in your workspace.",
        )
        for i, instruction in enumerate(request.instructions)
        for j, file_id in enumerate(instruction.input_assets)
        if file_id not in found
    ]
    if problems:
        raise InvalidInput(problems, summary="Missing reference image")
    _check_adult_references(request, found)
    return found


def _check_adult_references(request: CreationRequest, found: dict[str, UploadedAsset]) -> None:
    # Before anything is stored or reserved: a reference whose subject may be a minor is
    # refused outright (identities.faces.adult), naming each place it was used.
    verdicts: dict[str, str | None] = {}
    for file_id, asset in found.items():
        with asset.file.open("rb") as handle:
            verdicts[file_id] = reference_adult_problem(image=handle.read())
    problems = [
        FieldError(f"instructions[{i}].input_assets[{j}].file_id", verdicts[file_id])
        for i, instruction in enumerate(request.instructions)
        for j, file_id in enumerate(instruction.input_assets)
        if verdicts.get(file_id)
    ]
    if problems:
        raise InvalidInput(problems, summary="Reference refused")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def job_create(*, account: Account, user, request: CreationRequest, enqueue: bool = True) -> Job:
    """Accept a validated request: every check, then one transaction, then the tasks.

    Refuses (config.refusals) with CreationPaused (the flag is off), AbovePlan (a size above
    the plan), InvalidInput (a missing reference, no engine), RateLimited, TooManyJobs (the
    concurrent-job cap) or InsufficientCredits.
    """
    enabled, why = creation_enabled()
    if not enabled:
        raise CreationPaused(why)
    _check_plan(account, request)
    assets = _check_assets(account, request)
    routes = _routes(request)
    job = _new_job(account, user, request)
    with transaction.atomic():
        # The reservation's UPDATE locks the account's row until commit, so two creates
        # cannot both pass the job cap and the per-minute limit counted after it. Refused for
        # want of credits (no row changed, none locked), the limits are still told first.
        try:
            reservations = credits_reserve(
                account=account,
                amounts=_draft_credits(request, routes),
                reason=f"Job {job.public_id}",
                by=user,
            )
        except InsufficientCredits:
            _check_creation_limits(account, _counts(account))
            raise
        instructions, drafts = _job_rows(request, routes, assets, reservations)
        draft_ids = job_tree_insert(
            job,
            instructions,
            drafts,
            since=_window_start(),
            capped=account.plan.concurrent_jobs is not None,
            check=lambda counts: _check_creation_limits(account, counts),
        )
        tasks = [(pk, f"draft-{pk}", job.public_id) for pk in draft_ids]
        # On the ORM broker the task rows commit with the job: one commit for both, and never
        # a job without its tasks. Elsewhere (Redis, sync mode) they go once the job is stored.
        if enqueue and queue_shares_the_transaction():
            draft_tasks_enqueue(tasks)
        elif enqueue:
            transaction.on_commit(lambda: draft_tasks_enqueue(tasks))
    return job


def _window_start():
    """Where the per-minute limit's window starts: a minute ago."""
    return timezone.now() - timedelta(minutes=1)


def _counts(account: Account) -> CreationCounts:
    return creation_counts(
        account.pk, since=_window_start(), capped=account.plan.concurrent_jobs is not None
    )


def _check_creation_limits(account: Account, counts: CreationCounts) -> None:
    """RateLimited or TooManyJobs, by the account's creation jobs of the last minute and (under
    a plan that caps them) in progress."""
    rate_limit_check(
        recent=Job.objects.filter(account=account, job_type=Job.CREATION),
        per_minute=settings.CASTLESS_CREATE_PER_MINUTE,
        what="creation jobs",
        count=counts.last_minute,
    )
    cap = account.plan.concurrent_jobs
    if cap is not None and counts.in_progress >= cap:
        raise TooManyJobs(cap)


def _new_job(account: Account, user, request: CreationRequest) -> Job:
    """The job, not yet stored: its public id names the credits reserved for it."""
    return Job(
        account=account,
        created_by=user,
        job_type=Job.CREATION,
        name=request.name or "",
        request=to_api_payload(request),
        model=request.model,
        add_ai_watermark=request.add_ai_watermark and account.plan.watermark_option,
    )


def _job_rows(request, routes, assets, reservations) -> tuple[list[dict], list[dict]]:
    """The job's instruction rows and its draft rows (one per reservation, in order), as
    storing.job_tree_insert takes them."""
    instructions, drafts = [], []
    plans = zip(routes, request.instructions, strict=True)
    reserved = iter(reservations)
    for index, (route, spec) in enumerate(plans):
        instructions.append(
            {
                "index": index,
                "brief": spec.brief,
                "prompt": spec.prompt if spec.expert else build_prompt(spec),
                "expert": spec.expert,
                "input_assets": [str(assets[file_id].file_id) for file_id in spec.input_assets],
                "num_variations": spec.num_variations,
                "size": spec.size,
                "ar": spec.ar,
                "format": spec.format,
            }
        )
        drafts.extend(
            {
                "image_index": index,
                "variation": variation,
                "seed": draft_seed(),
                "engine": route.engine,
                "credits": route.credits,
                "reservation_id": next(reserved).pk,
            }
            for variation in range(spec.num_variations)
        )
    if next(reserved, None) is not None:
        raise ValueError("one reservation per draft")
    return instructions, drafts


def draft_seed() -> int:
    """A fresh random seed for each draft: a new job of the same brief draws new people."""
    return secrets.randbits(32)


# --- queueing the draft tasks --------------------------------------------------------------


def drafts_enqueue(*, job: Job) -> int:
    """Queue a task for every pending draft of `job` (after the job's transaction commits)."""
    pending = job.drafts.filter(status=Draft.PENDING).values_list("pk", flat=True)
    return draft_tasks_enqueue(
        (draft_id, f"draft-{draft_id}", job.public_id) for draft_id in pending
    )


def draft_tasks_enqueue(tasks: Iterable[tuple[int, str, str]]) -> int:
    """Queue draft tasks, given as (draft id, task name, group); returns how many.

    django-q2 has no bulk enqueue (its `async_iter` runs one function over many arguments
    under a group and a result cache of its own, which drafts do not use): a TaskBatch packs
    each task as `async_task` would and sends them at the end in one INSERT (ORM broker) or one
    RPUSH (Redis), so a job is never half-queued (the reaper re-queues drafts left pending all
    the same). In sync mode each task runs right here, inside `async_task`.
    """
    batch = TaskBatch()
    count = 0
    for draft_id, name, group in tasks:
        batch.add(DRAFT_TASK, draft_id, name=name, group=group)
        count += 1
    batch.flush()
    return count
