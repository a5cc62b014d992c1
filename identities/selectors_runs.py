"""Reads for image runs: the owner-scoped lookup (404 for another account's run), an identity's
runs, and a run's status as the API reports it (seed 002's body plus `face_similarity`)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from identities.media import private_url
from identities.models import Identity, ImageRun, RunOutput

PURGED_MESSAGE = (
    "Base64 outputs are kept for 60 minutes after completion; these were deleted at {when}."
)


def run_for(*, account, public_id: str) -> ImageRun:
    run = (
        ImageRun.objects.filter(account=account, public_id=public_id)
        .select_related("identity")
        .first()
    )
    if run is None:
        raise Http404("No such run")
    return run


def run_outputs(*, run: ImageRun) -> QuerySet[RunOutput]:
    return RunOutput.objects.filter(run=run).order_by("index")


def runs_for_identity(*, identity: Identity, limit: int = 24, account=None) -> list[ImageRun]:
    """The identity's latest runs, newest first, with their outputs (two queries). A catalog
    identity is used by many accounts: pass `account` to see only that account's runs."""
    runs = ImageRun.objects.filter(identity=identity)
    if account is not None:
        runs = runs.filter(account=account)
    return list(
        runs.prefetch_related(
            Prefetch("outputs", queryset=RunOutput.objects.order_by("index"))
        ).order_by("-created_at", "-id")[:limit]
    )


def output_address(*, output: RunOutput, request=None) -> str:
    """The output as a client fetches it: a signed, expiring link, or the data-URI itself."""
    return output.data_uri or private_url(output.image.name, request=request)


def run_status(*, run: ImageRun, request=None) -> dict:
    """{"id", "status", "output", "error", "face_similarity"}: output (URLs or data-URIs) and
    one similarity per output once completed; error {"name", "message"} when the run ended
    without images. A purged privacy-mode run says so in `purged_at` and `message`."""
    body = {
        "id": run.public_id,
        "status": run.status,
        "output": [],
        "error": None,
        "face_similarity": [],
    }
    if run.status == ImageRun.COMPLETED:
        outputs = list(run_outputs(run=run))
        body["face_similarity"] = [output.face_similarity for output in outputs]
        if run.purged_at is None:
            body["output"] = [output_address(output=o, request=request) for o in outputs]
        else:
            body["purged_at"] = run.purged_at.isoformat()
            body["message"] = PURGED_MESSAGE.format(when=run.purged_at.isoformat())
    elif run.status in ImageRun.FINAL:
        body["error"] = {"name": run.error_name or "PipelineError", "message": run.error_message}
    return body
