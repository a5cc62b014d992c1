"""Generating a run (the task body): claim, render every output, sign, measure, store, settle.

django-q2 may run a run's task twice, and a worker may be killed mid-render. A run is claimed by
lease (`identities.leases`: a conditional UPDATE that bumps `attempts`; a heartbeat renews the
20 s lease while it renders), and every write after that is guarded by the attempt it holds: an
output is inserted only while the row is still this attempt's (under its row lock), the run is
completed or failed by a conditional UPDATE, and its credits settle once. A killed worker's run
is handed back by the reaper and the next attempt renders only the outputs still missing (the
engines are deterministic per seed, so a resumed run is the run that would have been).

An output is signed (C2PA, `identities.provenance`) before it is stored or base64-encoded; an
image that cannot be signed fails the run and refunds it. Privacy mode (`return_base64`) keeps
the signed bytes in the database as a data-URI and never writes media storage.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from config.refusals import Refusal
from identities.engines.base import EngineError, Reference
from identities.engines.onmodel import OnModelRequest, identity_request_fields, onmodel_engine
from identities.faces import get_face_analyzer
from identities.faces.similarity import cosine
from identities.imaging import load_image
from identities.leases import lease_claim, lease_heartbeat, task_lease
from identities.models import ImageRun
from identities.provenance import Ingredient, SigningFailed, mime_for_format, sign_image
from identities.services.output_guards import reference_adult_problem
from identities.services.runs.acceptance import run_event_emit
from identities.services.runs.inputs import ASPECT_RATIOS
from identities.services.runs.references import LoadedImage, ReferenceUnreadable, reference_load
from identities.services.runs.settlement import RUN_WORK, output_store, run_complete, run_fail

logger = logging.getLogger(__name__)

SEED_SPACE = 2**32
_IDENTITY_GONE = "The identity was deleted before its images were made."
# EngineError kinds as the reference names its runtime errors; anything else is a PipelineError.
ERROR_NAMES = {
    "refused": "ContentModerationError",
    "invalid": "InputValidationError",
    "timeout": "TimeoutError",
}


class RunFailure(Exception):
    """Why a run ends without its images: the reference's runtime error name and message."""

    def __init__(self, name: str, message: str, status: str = ImageRun.FAILED):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message
        self.status = status


@dataclass
class Material:
    """What every output of a run is made from, loaded once per attempt."""

    face: Reference | None = None
    embedding: bytes | None = None  # the face to stay close to (identity's, or the reference's)
    # OnModelRequest's identity fields (code, traits, latent, identity seed and variation).
    identity_fields: dict = field(
        default_factory=lambda: {"identity_code": None, "traits": {}, "latent": None}
    )
    pose: Reference | None = None
    products: tuple[Reference, ...] = ()
    ingredients: list[Ingredient] = field(default_factory=list)


def run_claim(*, run_id: int) -> int | None:
    """Take the run for this task; the attempt now held, or None (held elsewhere, finished,
    or out of attempts)."""
    now = timezone.now()
    return lease_claim(
        spec=RUN_WORK,
        pk=run_id,
        duration=task_lease(),
        now=now,
        started_at=now,
        worker=f"{socket.gethostname()}:{os.getpid()}"[:80],
    )


def image_run_generate(*, run_id: int) -> None:
    """Render a run (the task body). Safe to run twice; safe to die half-way."""
    attempt = run_claim(run_id=run_id)
    if attempt is None:
        return
    related = ("account", "identity__source_draft__instruction", "reservation")
    run = ImageRun.objects.select_related(*related).get(pk=run_id)
    if attempt == 1:
        with transaction.atomic():
            run_event_emit(run=run)
    try:
        with lease_heartbeat(spec=RUN_WORK, pk=run.pk, attempt=attempt):
            finished = _render_outputs(run, attempt)
    except RunFailure as failure:
        run_fail(
            run=run,
            attempt=attempt,
            name=failure.name,
            message=failure.message,
            status=failure.status,
        )
        return
    except Exception as error:  # an engine or decoder bug must not leave the run processing
        logger.exception("run %s: generation crashed", run.public_id)
        run_fail(run=run, attempt=attempt, name="PipelineError", message=f"Internal error: {error}")
        return
    if finished:
        run_complete(run=run, attempt=attempt)


def _render_outputs(run: ImageRun, attempt: int) -> bool:
    """Every missing output rendered, signed, measured and stored; False when the run was lost
    to a newer attempt meanwhile."""
    material = _material(run, attempt)
    try:
        engine = onmodel_engine(run.engine)
    except Refusal as refusal:
        raise RunFailure("InputValidationError", refusal.message) from None
    done = set(run.outputs.values_list("index", flat=True))
    for index in range(run.num_images):
        if index in done:
            continue
        seed = (run.seed + index) % SEED_SPACE
        try:
            result = engine.render_on_model(_request(run, material, seed=seed, index=index))
        except EngineError as error:
            status = ImageRun.TIME_OUT if error.kind == "timeout" else ImageRun.FAILED
            name = ERROR_NAMES.get(error.kind, "PipelineError")
            raise RunFailure(name, error.message, status) from None
        try:
            image = sign_image(
                data=result.image,
                mime=mime_for_format(result.format),
                engine=result.engine or run.engine,
                job_code=run.public_id,
                identity_code=run.identity.code if run.identity_id else None,
                ingredients=material.ingredients,
            )
        except SigningFailed as failed:
            raise RunFailure(
                "PipelineError", f"Content credentials could not be signed: {failed.reason}"
            ) from None
        similarity = face_similarity(image=image, embedding=material.embedding)
        stored = output_store(
            run=run,
            attempt=attempt,
            index=index,
            seed=seed,
            image=image,
            result=result,
            similarity=similarity,
        )
        if not stored:
            return False
    return True


def _request(run: ImageRun, material: Material, *, seed: int, index: int) -> OnModelRequest:
    return OnModelRequest(
        prompt=run.prompt,
        face=material.face,
        **material.identity_fields,
        products=material.products,
        pose=material.pose,
        face_reference_mode=run.inputs.get("face_reference_mode", "match_reference"),
        aspect_ratio=run.aspect_ratio,
        resolution=run.resolution,
        generation_mode=run.generation_mode,
        output_format=run.output_format,
        seed=seed,
        index=index,
    )


def _material(run: ImageRun, attempt: int) -> Material:
    material = Material()
    references = run.references or {}
    try:
        if run.inputs.get("identity_code") and run.identity_id is None:
            raise RunFailure("Canceled", _IDENTITY_GONE, ImageRun.CANCELED)
        if run.identity_id:
            _identity_material(run, material)
        elif references.get("face_reference"):
            face = _loaded("face_reference", references["face_reference"])
            material.face = Reference(data=face.data, mime_type=face.mime)
            material.embedding = face_embedding(image=face.data)
            material.ingredients.append(_ingredient(face, "face reference"))
        if references.get("image_reference"):
            pose = _loaded("image_reference", references["image_reference"])
            material.pose = Reference(data=pose.data, mime_type=pose.mime)
            material.ingredients.append(_ingredient(pose, "pose reference"))
            _inherit_ratio(run, attempt, pose)
        products = []
        for i, value in enumerate(references.get("product_images", ())):
            product = _loaded(f"product_images[{i}]", value)
            products.append(Reference(data=product.data, mime_type=product.mime))
            material.ingredients.append(_ingredient(product, f"product {i + 1}"))
        material.products = tuple(products)
    except ReferenceUnreadable as error:
        raise RunFailure("ImageLoadError", str(error)) from None
    return material


def _loaded(field: str, value: str) -> LoadedImage:
    """A reference image, refused when it may show a minor (the drafts' reference rule)."""
    image = reference_load(field=field, value=value)
    if problem := reference_adult_problem(image=image.data):
        raise RunFailure("InputValidationError", f"{field}: {problem}")
    return image


def _identity_material(run: ImageRun, material: Material) -> None:
    identity = run.identity
    if identity.deleted_at is not None or identity.hidden:
        raise RunFailure("Canceled", _IDENTITY_GONE, ImageRun.CANCELED)
    with identity.portrait.open("rb") as stored:
        portrait = stored.read()
    mime = "image/png" if portrait.startswith(b"\x89PNG") else "image/jpeg"
    material.face = Reference(data=portrait, mime_type=mime)
    material.embedding = bytes(identity.embedding) if identity.embedding else None
    material.identity_fields = identity_request_fields(identity)
    material.ingredients.append(Ingredient(data=portrait, mime=mime, title="identity portrait"))


def _ingredient(image: LoadedImage, title: str) -> Ingredient:
    return Ingredient(data=image.data, mime=image.mime, title=title)


def _inherit_ratio(run: ImageRun, attempt: int, pose: LoadedImage) -> None:
    """No aspect_ratio given with an image_reference: the output takes the reference's ratio
    (the nearest of the ten), as the reference API does."""
    if run.inputs.get("aspect_ratio") is not None:
        return
    target = pose.width / pose.height
    ratio = min(ASPECT_RATIOS, key=lambda r: abs(_ratio_value(r) - target))
    ImageRun.objects.filter(pk=run.pk, attempts=attempt).update(aspect_ratio=ratio)
    run.aspect_ratio = ratio


def _ratio_value(ratio: str) -> float:
    width, height = ratio.split(":")
    return int(width) / int(height)


# --- faces ------------------------------------------------------------------------------------


def face_embedding(*, image: bytes) -> bytes | None:
    """The largest face's SFace embedding (float32 bytes, as identities store it), or None."""
    analyzer = get_face_analyzer()
    picture = load_image(image)
    faces = analyzer.detect(picture)
    if not faces:
        return None
    vector = analyzer.embed(picture, faces[0])
    return None if vector is None else vector.astype("<f4").tobytes()


def face_similarity(*, image: bytes, embedding: bytes | None) -> float | None:
    """SFace cosine of the output's largest face to `embedding`; None when not measurable."""
    if embedding is None:
        return None
    try:
        found = face_embedding(image=image)
        return None if found is None else round(cosine(found, embedding), 4)
    except Exception:  # a recogniser failure must not fail images that were made
        logger.exception("face similarity failed")
        return None
