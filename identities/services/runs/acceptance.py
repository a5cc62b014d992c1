"""Accepting a run: inputs, identity, engine and price decided once; one transaction that
reserves the credits and inserts the run; its task queued on commit.

Two requests of one account starting runs at once could both pass the cap on runs in progress:
the account row is locked (`select_for_update`) while they are counted and the new run is
inserted. Overspending is impossible either way: the reservation is the ledger's conditional
UPDATE (`credit_balance >= amount`), so parallel runs never take more than the balance.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django_q.tasks import async_task

from accounts.models import Account
from accounts.services import credits_reserve
from catalog.rules import identity_is_locked
from config.refusals import AbovePlan, FieldError, InvalidInput, NotFound, TooManyJobs
from identities.engines.onmodel import framing_from_prompt, onmodel_choose
from identities.models import Identity, ImageRun
from identities.notifications.emit import notification_emit
from identities.pricing import run_mode, run_price_per_image
from identities.selectors import identity_get_for
from identities.services.rate_limits import rate_limit_check
from identities.services.runs.inputs import RESOLUTIONS, normalize_inputs

RUN_TASK = "identities.tasks.image_run_generate"
# The notification every status change of a run emits (SSE and webhooks, like jobs' events).
RUN_EVENT = "run_status"
MODEL_NAME = "model-create"
# Seed 002: "When face_reference is used, output resolution is capped at 2K regardless of the
# requested resolution tier." An identity is a face reference too.
FACE_LOCKED_MAX_RESOLUTION = "2k"


@dataclass(frozen=True)
class RunPlan:
    """Everything a run is, decided before anything is written: the quote and the insert read
    this one object, so the price shown and the price reserved cannot disagree."""

    inputs: dict
    identity: Identity | None
    engine: str
    resolution: str  # as rendered (a locked face caps it at 2k, as the reference does)
    generation_mode: str  # resolved from "automatic"
    face_locked: bool
    per_image: int

    @property
    def credits(self) -> int:
        return self.per_image * self.inputs["num_images"]


def _identity(account: Account | None, code: str | None) -> Identity | None:
    if code is None:
        return None
    missing = NotFound([FieldError("identity_code", "No identity with this code in your library.")])
    if account is None:
        raise missing
    try:
        identity = identity_get_for(account=account, code=code)
    except Http404:
        raise missing from None
    if identity_is_locked(identity=identity, account=account):
        raise AbovePlan(
            [FieldError("identity_code", "This catalog identity is above your plan's tier.")]
        )
    if identity.preprocessing_status != Identity.COMPLETED:
        raise InvalidInput(
            [
                FieldError(
                    "identity_code",
                    "This identity is still being prepared (face crop and embedding); "
                    "try again in a minute.",
                )
            ],
            summary="Identity not ready",
        )
    return identity


def run_plan(*, inputs: dict, account: Account | None = None) -> RunPlan:
    """Check `inputs` and decide the engine, the rendered resolution and the price. Raises
    InvalidInput (bad inputs, no engine can serve them), NotFound (identity), AbovePlan."""
    values = normalize_inputs(inputs)
    identity = _identity(account, values["identity_code"])
    face_locked = identity is not None or values["face_reference"] is not None
    resolution = values["resolution"]
    if face_locked:
        resolution = min(resolution, FACE_LOCKED_MAX_RESOLUTION, key=RESOLUTIONS.index)
    needs = {
        "framing": framing_from_prompt(values["prompt"]),
        "products": len(values["product_images"]),
        "pose": values["image_reference"] is not None,
        "resolution": resolution,
        "aspect_ratio": values["aspect_ratio"] or "1:1",
        "face_locked": face_locked,
        "identity_engine": identity.engine if identity is not None else None,
    }
    engine = onmodel_choose(engine=values["engine"], needs=needs)
    mode = run_mode(generation_mode=values["generation_mode"], resolution=resolution)
    if account is not None and not account.plan.allows_size(resolution.upper()):
        raise AbovePlan(
            [
                FieldError(
                    "resolution",
                    f"{resolution} is above your {account.plan.name} plan's limit of "
                    f"{account.plan.max_size.lower()}.",
                )
            ]
        )
    per_image = run_price_per_image(
        generation_mode=mode, resolution=resolution, face_locked=face_locked
    )
    return RunPlan(
        inputs=values,
        identity=identity,
        engine=engine.name,
        resolution=resolution,
        generation_mode=mode,
        face_locked=face_locked,
        per_image=per_image,
    )


def run_quote(*, inputs: dict, account: Account | None = None) -> int:
    """Credits a run with these inputs reserves (shown before dispatch)."""
    return run_plan(inputs=inputs, account=account).credits


def run_cost_breakdown(*, inputs: dict, account: Account | None = None) -> dict:
    """The quote with what it is made of, for a cost line next to the button."""
    plan = run_plan(inputs=inputs, account=account)
    return {
        "credits": plan.credits,
        "per_image": plan.per_image,
        "mode": plan.generation_mode,
        "resolution": plan.resolution,
        "face_locked": plan.face_locked,
        "engine": plan.engine,
    }


def _stored_inputs(values: dict, identity: Identity | None) -> tuple[dict, dict]:
    """(inputs to keep, reference images to hand the worker): references are kept only until
    the run ends, the inputs say what kind each one was."""
    references = {}
    stored = dict(values)
    for key in ("face_reference", "image_reference"):
        if values[key] is not None:
            references[key] = values[key]
            stored[key] = "data-uri" if values[key].startswith("data:") else "url"
    if values["product_images"]:
        references["product_images"] = list(values["product_images"])
        stored["product_images"] = [
            "data-uri" if item.startswith("data:") else "url" for item in values["product_images"]
        ]
    if identity is not None:
        stored["identity_code"] = identity.code
    return stored, references


def run_start(
    *, account: Account, user, inputs: dict, source: str = ImageRun.API, enqueue: bool = True
) -> ImageRun:
    """Accept a run: every check, then one transaction (rate limit, cap, reservation, insert,
    its first event), then its task on commit. Refuses with InvalidInput, NotFound, AbovePlan,
    RateLimited, TooManyJobs or InsufficientCredits; nothing is written then."""
    plan = run_plan(inputs=inputs, account=account)
    with transaction.atomic():
        locked = Account.objects.select_for_update().select_related("plan").get(pk=account.pk)
        rate_limit_check(
            recent=ImageRun.objects.filter(account=locked),
            per_minute=settings.CASTLESS_CREATE_PER_MINUTE,
            what="image runs",
        )
        cap = locked.plan.concurrent_jobs
        active = ImageRun.objects.filter(account=locked, status__in=ImageRun.ACTIVE).count()
        if cap is not None and active >= cap:
            raise TooManyJobs(cap)
        run = _insert(locked, user, plan, source)
    if enqueue:
        transaction.on_commit(lambda: run_enqueue(run=run))
    return run


def _insert(account: Account, user, plan: RunPlan, source: str) -> ImageRun:
    values = plan.inputs
    stored, references = _stored_inputs(values, plan.identity)
    run = ImageRun(
        account=account,
        created_by=user,
        source=source,
        identity=plan.identity,
        inputs=stored,
        references=references,
        prompt=values["prompt"],
        engine=plan.engine,
        resolution=plan.resolution,
        generation_mode=plan.generation_mode,
        aspect_ratio=values["aspect_ratio"] or "1:1",
        output_format=values["output_format"],
        seed=values["seed"],
        num_images=values["num_images"],
        face_locked=plan.face_locked,
        return_base64=values["return_base64"],
        credits=plan.credits,
    )
    [run.reservation] = credits_reserve(
        account=account, amounts=[plan.credits], reason=f"Run {run.public_id}", by=user
    )
    run.save()
    run_event_emit(run=run)
    return run


def run_enqueue(*, run: ImageRun, name: str = "") -> None:
    """Queue the run's task (after its transaction commits; the reaper re-queues lost ones)."""
    async_task(RUN_TASK, run.pk, task_name=name or f"run-{run.pk}", group=run.public_id)


def run_event_emit(*, run: ImageRun) -> None:
    """The run's status as an event (stored for SSE, queued for the webhook): call it in the
    transaction that changed the status."""
    data = {"id": run.public_id, "model_name": MODEL_NAME, "status": run.status}
    if run.error_name:
        data["error"] = {"name": run.error_name, "message": run.error_message}
    notification_emit(account=run.account, name=RUN_EVENT, data=data)
