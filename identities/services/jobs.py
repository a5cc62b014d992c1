"""Creation jobs: accept a validated brief, fan it out into drafts, settle each draft's credits.

Races this module closes:
- two requests starting jobs at once past the concurrent-job cap: the account row is locked
  (`select_for_update`) while counting and inserting;
- a draft task run twice (django-q2 may redeliver) or a worker killed mid-render: a draft is
  claimed by a conditional UPDATE that bumps `attempts` and sets a lease, and is finished only by
  the run holding that attempt, so a duplicate changes nothing and credits settle once;
- two drafts finishing together: the job is finalized by a conditional UPDATE of its status, so
  exactly one of them emits the job's notification.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django_q.tasks import async_task

from accounts.models import Account
from accounts.services import InsufficientCredits, credits_capture, credits_release, credits_reserve
from config.api.errors import ApiError, FieldError
from identities.briefs.payload import to_api_payload
from identities.briefs.prompt import build_prompt
from identities.briefs.request import CreationRequest
from identities.engines.base import EngineError, Reference, RenderRequest
from identities.engines.registry import get_engine, resolve_engine
from identities.models import Draft, FeatureFlag, Instruction, Job, UploadedAsset
from identities.services.errors import payment_required, rate_limit_check
from identities.services.notifications import notification_emit

logger = logging.getLogger(__name__)

# Credits per draft (PRODUCT.md "Plans and credits").
INHOUSE_CREDITS = {"1K": 1, "2K": 2, "4K": 4}
EXTERNAL_CREDITS = {"1K": 2, "2K": 3, "4K": 5}
MAX_DRAFT_ATTEMPTS = 3
DRAFT_TASK = "identities.tasks.drafts.draft_generate"


def draft_credits(*, engine_name: str, size: str) -> int:
    table = EXTERNAL_CREDITS if get_engine(engine_name).capabilities.external else INHOUSE_CREDITS
    return table[size]


def _lease() -> timedelta:
    # Longer than django-q2's own timeout: a live worker is killed by django-q2 before its lease
    # runs out, so the reaper only ever picks up drafts whose worker is really gone.
    return timedelta(seconds=settings.Q_CLUSTER["timeout"] + 60)


# --- accepting a job -----------------------------------------------------------------------


def creation_enabled() -> tuple[bool, str]:
    flag = FeatureFlag.objects.filter(name=FeatureFlag.IDENTITY_CREATION).first()
    if flag is None or flag.enabled:
        return True, ""
    return False, flag.message or "Identity creation is switched off for maintenance."


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
        raise ApiError(status=403, error="Output size exceeds your plan", detail=problems)


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
        raise ApiError(status=400, error="Missing reference image", detail=problems)
    return found


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _resolve_engines(request: CreationRequest) -> list[str]:
    names, problems = [], []
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
        names.append(engine.name)
    if problems:
        raise ApiError(status=400, error="Validation error", detail=problems)
    return names


def job_quote(*, request: CreationRequest) -> int:
    """What a request will reserve, in credits (shown before dispatch)."""
    engines = _resolve_engines(request)
    return sum(
        draft_credits(engine_name=engine, size=instruction.size) * instruction.num_variations
        for engine, instruction in zip(engines, request.instructions, strict=True)
    )


def _active_jobs(account: Account) -> int:
    return Job.objects.filter(
        account=account, job_type=Job.CREATION, status__in=[Job.PENDING, Job.PROCESSING]
    ).count()


def job_create(*, account: Account, user, request: CreationRequest, enqueue: bool = True) -> Job:
    """Accept a validated request: every check, then one transaction, then the tasks.

    Raises ApiError with the seed's status: 503 flag off, 403 size above plan, 400 missing
    reference, 429 concurrent-job cap, 402 credits.
    """
    enabled, why = creation_enabled()
    if not enabled:
        raise ApiError(status=503, error=why)
    _check_plan(account, request)
    assets = _check_assets(account, request)
    engines = _resolve_engines(request)
    with transaction.atomic():
        locked = Account.objects.select_for_update().select_related("plan").get(pk=account.pk)
        rate_limit_check(
            recent=Job.objects.filter(account=locked, job_type=Job.CREATION),
            per_minute=settings.CASTLESS_CREATE_PER_MINUTE,
            what="creation jobs",
        )
        cap = locked.plan.concurrent_jobs
        if cap is not None and _active_jobs(locked) >= cap:
            raise ApiError(
                status=429,
                error=f"You already have {cap} jobs in progress; wait for one to finish.",
                extra={"active_jobs": cap},
                headers={"Retry-After": "30"},
            )
        job = _insert_job(locked, user, request, engines, assets)
    if enqueue:
        transaction.on_commit(lambda: draft_enqueue_all(job=job))
    return job


def _insert_job(account, user, request, engines, assets) -> Job:
    watermark = request.add_ai_watermark and account.plan.watermark_option
    job = Job.objects.create(
        account=account,
        created_by=user,
        job_type=Job.CREATION,
        name=request.name or "",
        request=to_api_payload(request),
        model=request.model,
        add_ai_watermark=watermark,
    )
    plans = []
    for index, (engine, spec) in enumerate(zip(engines, request.instructions, strict=True)):
        instruction = Instruction.objects.create(
            job=job,
            index=index,
            brief=spec.brief,
            prompt=spec.prompt if spec.expert else build_prompt(spec),
            expert=spec.expert,
            input_assets=[str(assets[file_id].file_id) for file_id in spec.input_assets],
            num_variations=spec.num_variations,
            size=spec.size,
            ar=spec.ar,
            format=spec.format,
        )
        cost = draft_credits(engine_name=engine, size=spec.size)
        plans.extend(
            (instruction, engine, variation, cost) for variation in range(spec.num_variations)
        )
    try:
        reservations = credits_reserve(
            account=account,
            amounts=[cost for *_, cost in plans],
            reason=f"Job {job.public_id}",
            by=user,
        )
    except InsufficientCredits as short:
        raise payment_required(short) from None
    Draft.objects.bulk_create(
        Draft(
            job=job,
            instruction=instruction,
            image_index=instruction.index,
            variation=variation,
            seed=secrets.randbits(32),
            engine=engine,
            credits=cost,
            reservation=reservation,
        )
        for (instruction, engine, variation, cost), reservation in zip(
            plans, reservations, strict=True
        )
    )
    return job


def draft_enqueue_all(*, job: Job) -> None:
    for draft_id in job.drafts.filter(status=Draft.PENDING).values_list("pk", flat=True):
        async_task(DRAFT_TASK, draft_id, task_name=f"draft-{draft_id}", group=job.public_id)


# --- generating one draft ------------------------------------------------------------------


def draft_claim(*, draft_id: int) -> int | None:
    """Take a draft for this run; returns the attempt number, or None when another run has it,
    it is finished, or it has used its attempts."""
    now = timezone.now()
    claimable = Q(status=Draft.PENDING) | Q(status=Draft.RUNNING, lease_until__lt=now)
    changed = Draft.objects.filter(claimable, pk=draft_id, attempts__lt=MAX_DRAFT_ATTEMPTS).update(
        status=Draft.RUNNING,
        attempts=F("attempts") + 1,
        lease_until=now + _lease(),
        started_at=now,
        worker=f"{socket.gethostname()}:{os.getpid()}"[:80],
    )
    if not changed:
        return None
    return Draft.objects.values_list("attempts", flat=True).get(pk=draft_id)


def _render_request(draft: Draft, job: Job) -> RenderRequest:
    instruction = draft.instruction
    references = tuple(
        Reference(data=asset.file.read(), mime_type=asset.content_type or "image/jpeg")
        for asset in UploadedAsset.objects.filter(file_id__in=instruction.input_assets)
    )
    return RenderRequest(
        prompt=instruction.prompt,
        brief=instruction.brief,
        expert=instruction.expert,
        size=instruction.size,
        ar=instruction.ar,
        format=instruction.format,
        seed=draft.seed,
        variation=draft.variation,
        references=references,
        watermark=job.add_ai_watermark,
    )


def draft_generate(*, draft_id: int) -> None:
    """Render one draft (the task body). Safe to run twice; safe to die half-way."""
    attempt = draft_claim(draft_id=draft_id)
    if attempt is None:
        return
    draft = Draft.objects.select_related("job", "instruction").get(pk=draft_id)
    job = draft.job
    Job.objects.filter(pk=job.pk, status=Job.PENDING).update(status=Job.PROCESSING)
    try:
        result = get_engine(draft.engine).render(_render_request(draft, job))
    except EngineError as error:
        draft_fail(draft=draft, attempt=attempt, kind=error.kind, message=error.message)
    except Exception as error:  # an engine bug must not leave the draft running
        logger.exception("draft %s: engine %s crashed", draft.pk, draft.engine)
        draft_fail(draft=draft, attempt=attempt, kind="internal", message=f"Engine error: {error}")
    else:
        draft_complete(draft=draft, attempt=attempt, result=result)
    job_finalize_if_done(job_id=job.pk)


def draft_complete(*, draft: Draft, attempt: int, result) -> bool:
    name = default_storage.save(
        f"drafts/{draft.job.public_id}/{draft.pk}-{attempt}.{result.format}",
        ContentFile(result.image),
    )
    with transaction.atomic():
        changed = Draft.objects.filter(pk=draft.pk, status=Draft.RUNNING, attempts=attempt).update(
            status=Draft.COMPLETED,
            image=name,
            width=result.width,
            height=result.height,
            engine=result.engine,
            finished_at=timezone.now(),
            lease_until=None,
            error_kind="",
            error_message="",
        )
        if changed:
            credits_capture(reservation=draft.reservation)
            _emit_progress(draft, Draft.COMPLETED)
    if not changed:
        # A newer attempt owns the draft (this run outlived its lease): keep storage clean.
        default_storage.delete(name)
    return bool(changed)


def draft_fail(*, draft: Draft, attempt: int | None, kind: str, message: str) -> bool:
    """Mark a draft failed and give its credits back (once). attempt=None: whatever holds it."""
    guard = Q(status__in=[Draft.PENDING, Draft.RUNNING])
    if attempt is not None:
        guard &= Q(attempts=attempt)
    with transaction.atomic():
        changed = Draft.objects.filter(guard, pk=draft.pk).update(
            status=Draft.FAILED,
            error_kind=kind[:32],
            error_message=message[:2000],
            finished_at=timezone.now(),
            lease_until=None,
        )
        if changed:
            credits_release(reservation=draft.reservation)
            _emit_progress(draft, Draft.FAILED, error_message=message)
    return bool(changed)


def _emit_progress(draft: Draft, status: str, **extra) -> None:
    job = draft.job
    data = {
        "id_task": job.public_id,
        "job_id": job.public_id,
        "image_result_id": draft.pk,
        "image_index": draft.image_index,
        "status": status,
        **extra,
    }
    notification_emit(account=job.account, name="progress", data=data)


def job_finalize_if_done(*, job_id: int) -> bool:
    """Complete (or fail, when every draft failed) a job whose drafts are all final."""
    counts = dict(
        Draft.objects.filter(job_id=job_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    if counts.get(Draft.PENDING) or counts.get(Draft.RUNNING):
        return False
    completed, failed = counts.get(Draft.COMPLETED, 0), counts.get(Draft.FAILED, 0)
    status = Job.COMPLETED if completed else Job.FAILED
    message = ""
    if failed:
        message = f"{failed} of {completed + failed} drafts failed."
    with transaction.atomic():
        changed = Job.objects.filter(pk=job_id, status__in=[Job.PENDING, Job.PROCESSING]).update(
            status=status, error_message=message, finished_at=timezone.now()
        )
        if changed:
            job = Job.objects.select_related("account").get(pk=job_id)
            data = {"id_task": job.public_id, "job_id": job.public_id, "status": status}
            if message:
                data["error_message"] = message
            name = "completed" if status == Job.COMPLETED else "error"
            notification_emit(account=job.account, name=name, data=data)
    return bool(changed)


# --- recovering from dead workers ----------------------------------------------------------


def drafts_reap(*, now=None, stale_pending_after: timedelta = timedelta(minutes=2)) -> dict:
    """Retry or fail drafts whose worker died, and re-enqueue drafts whose task was lost.

    Runs periodically (a django-q2 schedule). Only state changes guarded by conditional UPDATEs,
    so a reaper racing a live worker or another reaper changes nothing twice.
    """
    now = now or timezone.now()
    expired = Draft.objects.filter(status=Draft.RUNNING, lease_until__lt=now)
    retried = failed = 0
    for draft in expired.select_related("job", "reservation"):
        if draft.attempts >= MAX_DRAFT_ATTEMPTS:
            message = f"The worker stopped responding {draft.attempts} times; giving up."
            if draft_fail(draft=draft, attempt=draft.attempts, kind="abandoned", message=message):
                failed += 1
                job_finalize_if_done(job_id=draft.job_id)
            continue
        async_task(
            DRAFT_TASK, draft.pk, task_name=f"draft-{draft.pk}-retry", group=draft.job.public_id
        )
        retried += 1
    lost = Draft.objects.filter(status=Draft.PENDING, created_at__lt=now - stale_pending_after)
    requeued = 0
    for draft_id, group in lost.values_list("pk", "job__public_id"):
        async_task(DRAFT_TASK, draft_id, task_name=f"draft-{draft_id}-requeue", group=group)
        requeued += 1
    # Jobs whose last draft was finished by a run that died before finalizing.
    finalized = 0
    for job_id in Job.objects.filter(
        job_type=Job.CREATION, status__in=[Job.PENDING, Job.PROCESSING]
    ).values_list("pk", flat=True):
        finalized += job_finalize_if_done(job_id=job_id)
    return {"retried": retried, "failed": failed, "requeued": requeued, "finalized": finalized}
