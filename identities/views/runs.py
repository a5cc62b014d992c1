"""Create images: an identity's Create images page (prompt, products, pose, options, the cost
before dispatch), the live cost partial, and a run's results page, which fills in as the images
arrive (polling that stops itself) with each image's face similarity to the identity.

The view only translates: uploads go through the account's upload service (so a file chosen
once is kept when the form is sent back with an error), the run service checks and starts the
run exactly as for the API, and its refusals are shown next to the field they name.
"""

from __future__ import annotations

import base64
import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from catalog.rules import identity_is_locked
from config.forms import INVALID
from config.refusals import InsufficientCredits, Refusal
from config.requests import AppRequest, wants_partial
from identities.engines.labels import engine_label
from identities.engines.onmodel import onmodel_engines
from identities.faces.similarity import SAME_PERSON, similarity_words
from identities.forms.runs import MODEL_TOKEN, PRODUCT_TOKEN, RunForm, form_field_for
from identities.media import private_url
from identities.models import ImageRun, UploadedAsset
from identities.pricing import RUN_FACE_CREDITS
from identities.selectors import assets_for, identity_get_for
from identities.selectors_runs import output_address, run_for, run_outputs, runs_for_identity
from identities.services.runs import run_cost_breakdown, run_start
from identities.services.uploads import asset_upload

# The identity page lists the images of this many of its latest runs.
GALLERY_RUNS = 12
# Fields the price and the engine choice depend on: the live cost names the first bad one.
QUOTED_FIELDS = (
    "num_images",
    "resolution",
    "generation_mode",
    "aspect_ratio",
    "engine",
    "seed",
    "face_reference_mode",
    "output_format",
)


def _identity(request: AppRequest, code: str):
    """The account's own identity, or a catalog one its plan unlocks (a locked one is shown in
    the library to say what upgrading brings, but cannot be used)."""
    identity = identity_get_for(account=request.account, code=code)
    if identity_is_locked(identity=identity, account=request.account):
        raise Http404("This identity is above your plan")
    return identity


def _configured(request: AppRequest) -> list:
    """The configured on-model engines, built once per request (the form's choices, the cost
    line and the page all read them)."""
    if not hasattr(request, "_onmodel_engines"):
        request._onmodel_engines = onmodel_engines()
    return request._onmodel_engines


def _engines(request: AppRequest) -> list[tuple[str, str]]:
    return [(engine.name, engine.capabilities.label) for engine in _configured(request)]


def _capabilities(request: AppRequest) -> dict:
    """What the configured engines can take at all, so the page never offers a dead input."""
    engines = _configured(request)
    return {
        "max_products": max((e.capabilities.max_products for e in engines), default=0),
        "pose": any(e.capabilities.pose_reference for e in engines),
    }


# --- uploads kept across tries ----------------------------------------------------------------


def _owned_assets(account, ids: list[str]) -> list[UploadedAsset]:
    """The account's stored uploads among `ids`, in that order; an id that is not one of them
    (a tampered form, a deleted upload) is simply not kept."""
    wanted = []
    for file_id in dict.fromkeys(ids):
        try:
            wanted.append(uuid.UUID(file_id))
        except ValueError:
            continue
    found = {
        asset.file_id: asset for asset in assets_for(account=account).filter(file_id__in=wanted)
    }
    return [found[key] for key in wanted if key in found]


def _thumb(asset: UploadedAsset, request) -> dict:
    return {
        "file_id": str(asset.file_id),
        "filename": asset.filename,
        "url": private_url(asset.file.name, request=request),
    }


def _store(request, form, field: str, files) -> list[UploadedAsset]:
    """Store this try's files, so the page still holds them when it comes back with an error;
    a file that is no image gets its refusal, with its name, next to the field."""
    stored = []
    for upload in files:
        try:
            stored.append(
                asset_upload(
                    account=request.account,
                    user=request.user,
                    filename=upload.name,
                    data=upload.read(),
                )
            )
        except Refusal as refusal:
            form.add_error(field, f"“{upload.name}”: {refusal.message}")
    return stored


class Tries:
    """The uploads one submission of the form uses: the ticked ones kept from earlier tries,
    plus the files chosen now (a new pose replaces a kept one)."""

    def __init__(self, request):
        self.request = request
        self.products = _owned_assets(request.account, request.POST.getlist("product_ids"))
        poses = _owned_assets(request.account, request.POST.getlist("pose_id")[:1])
        self.pose = poses[0] if poses else None

    def form(self) -> RunForm:
        return RunForm(
            self.request.POST,
            self.request.FILES,
            engines=_engines(self.request),
            kept_products=len(self.products),
        )

    def store_new(self, form: RunForm) -> None:
        """After validation, so a refused count ("4 product images") stores nothing."""
        files = self.request.FILES
        if "products" not in form.errors:
            self.products += _store(self.request, form, "products", files.getlist("products"))
        if "pose" not in form.errors and files.get("pose"):
            self.pose = (_store(self.request, form, "pose", [files["pose"]]) or [self.pose])[0]

    def data_uris(self) -> tuple[list[str], str | None]:
        return [_data_uri(a) for a in self.products], _data_uri(self.pose) if self.pose else None

    def context(self) -> dict:
        return {
            "kept_products": [_thumb(asset, self.request) for asset in self.products],
            "kept_pose": _thumb(self.pose, self.request) if self.pose else None,
        }


def _data_uri(asset: UploadedAsset) -> str:
    with asset.file.open("rb") as handle:
        encoded = base64.b64encode(handle.read()).decode("ascii")
    return f"data:{asset.content_type or 'image/jpeg'};base64,{encoded}"


# --- the form, the cost, dispatch -------------------------------------------------------------


def _quote(request, form: RunForm, identity, tries: Tries | None = None) -> dict:
    """The live cost: credits for the form as filled, or why it cannot be priced yet."""
    bad = [name for name in QUOTED_FIELDS if name in form.errors]
    if bad:
        field = form.fields[bad[0]]
        return {"cost_error": f"{field.label}: {form.errors[bad[0]][0]}"}
    # The price does not depend on the words: while the prompt is unfinished, quote the rest
    # with just the placeholders the attached images need (the prompt shows its own error).
    typed = None if "prompt" in form.errors else form.cleaned_data.get("prompt")
    products, pose = tries.data_uris() if tries else ([], None)
    unfinished = f"{MODEL_TOKEN} {PRODUCT_TOKEN}" if products else MODEL_TOKEN
    inputs = form.run_inputs(
        identity_code=identity.code, products=products, pose=pose, prompt=typed or unfinished
    )
    try:
        cost = run_cost_breakdown(inputs=inputs, account=request.account)
    except Refusal as refusal:
        return {"cost_error": refusal.message}
    labels = dict(_engines(request))
    return {
        "cost": cost,
        "cost_engine": labels.get(cost["engine"]) or engine_label(cost["engine"]),
        "face_credits": RUN_FACE_CREDITS,
        "cost_count": inputs["num_images"],
        "asked_resolution": inputs["resolution"],
        "asked_mode": inputs["generation_mode"],
    }


def _refused(form: RunForm, refusal: Refusal) -> None:
    """The run service's refusal beside the field it names (the API's input names)."""
    if isinstance(refusal, InsufficientCredits):
        form.add_error(
            None,
            f"These images need {refusal.required} credits; you have {refusal.available} "
            f"available and {refusal.reserved} reserved for work in progress.",
        )
        return
    if not refusal.problems:
        form.add_error(None, refusal.summary)
    for problem in refusal.problems:
        form.add_error(form_field_for(problem.field, form), problem.message)


# What "Create more images" carries from a finished run into a new form: every option as it
# was asked (not as rendered), never its reference images (a run keeps none once it ends).
AGAIN_FIELDS = (
    "face_reference_mode",
    "num_images",
    "aspect_ratio",
    "resolution",
    "generation_mode",
    "output_format",
    "seed",
    "engine",
)


def _again(request: AppRequest, identity) -> dict:
    """The initial values of `?again=<run id>`: that run's prompt and options (404 for a run
    that is not this account's, or not of this identity)."""
    run_id = request.GET.get("again")
    if not run_id:
        return {}
    run = run_for(account=request.account, public_id=run_id)
    if run.identity_id != identity.pk:
        raise Http404("This run is not of this identity")
    asked = {name: run.inputs[name] for name in AGAIN_FIELDS if run.inputs.get(name) is not None}
    return {**asked, "prompt": run.prompt}


def _page(request, identity, form, *, tries=None, quote=None, status=200, again=False):
    context = {
        "again": again,
        "nav": "identities",
        "account": request.account,
        "identity": identity,
        "portrait": private_url(identity.thumbnail.name or identity.portrait.name, request=request),
        "form": form,
        "kept_products": [],
        "kept_pose": None,
        "capabilities": _capabilities(request),
        "model_token": MODEL_TOKEN,
        "product_token": PRODUCT_TOKEN,
        "ready": identity.preprocessing_status == identity.COMPLETED,
        **(tries.context() if tries else {}),
        **(quote or {}),
    }
    return render(request, "identities/runs/run_create.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def run_create(request: AppRequest, code: str):
    """GET: the form, priced for its defaults. POST: store the uploads, check, start the run
    and open its results; refused, the form again with each reason beside its field."""
    identity = _identity(request, code)
    if request.method == "GET":
        again = _again(request, identity)
        form = RunForm(initial=again, engines=_engines(request))
        values = {name: again.get(name, field.initial) for name, field in form.fields.items()}
        default = RunForm(values, engines=_engines(request))
        default.is_valid()
        quote = _quote(request, default, identity)
        return _page(request, identity, form, quote=quote, again=bool(again))
    tries = Tries(request)
    form = tries.form()
    form.is_valid()
    tries.store_new(form)
    if form.is_valid():
        products, pose = tries.data_uris()
        inputs = form.run_inputs(identity_code=identity.code, products=products, pose=pose)
        try:
            run = run_start(
                account=request.account, user=request.user, inputs=inputs, source=ImageRun.WEB
            )
        except Refusal as refusal:
            _refused(form, refusal)
        else:
            return redirect("identities:run_detail", run_id=run.public_id)
    quote = _quote(request, form, identity, tries)
    return _page(request, identity, form, tries=tries, quote=quote, status=INVALID)


@login_required
@require_POST
def run_cost(request: AppRequest, code: str):
    """The cost before dispatch, recomputed as the form changes (htmx posts the form without
    its files); without JavaScript the page's "Update cost" button posts the whole form here
    and gets the whole page back, its uploads kept."""
    identity = _identity(request, code)
    tries = Tries(request)
    form = tries.form()
    form.is_valid()
    if not wants_partial(request):
        tries.store_new(form)
    quote = _quote(request, form, identity, tries)
    if wants_partial(request):
        context = {"identity": identity, "account": request.account, **quote}
        return render(request, "identities/partials/_run_cost.html", context)
    return _page(request, identity, form, tries=tries, quote=quote)


# --- results ----------------------------------------------------------------------------------


def _output_view(output, run, request, labels: dict) -> dict:
    url = output_address(output=output, request=request)
    # A stored image downloads through the signed link; a privacy-mode one is its data-URI.
    download = url + ("&" if "?" in url else "?") + "download=1" if output.image else url
    similarity = output.face_similarity
    return {
        "output": output,
        "run": run,
        "url": url,
        "download": download,
        "filename": f"{run.public_id}_{output.index}.{run.output_format}",
        "engine": labels.get(output.engine) or engine_label(output.engine),
        "similarity": similarity,
        "similarity_words": similarity_words(similarity) if similarity is not None else "",
        "details": output.details or {},
    }


def _results_context(request, run) -> dict:
    labels = dict(_engines(request))
    outputs = [_output_view(output, run, request, labels) for output in run_outputs(run=run)]
    waiting = 0 if run.is_final else max(run.num_images - len(outputs), 0)
    return {
        "nav": "identities",
        "account": request.account,
        "run": run,
        "identity": run.identity,
        "outputs": outputs,
        "waiting": range(waiting),
        "threshold": SAME_PERSON,
    }


@login_required
def run_detail(request: AppRequest, run_id: str):
    run = run_for(account=request.account, public_id=run_id)
    context = _results_context(request, run)
    if wants_partial(request):
        return render(request, "identities/partials/_run_results.html", context)
    return render(request, "identities/runs/run_detail.html", context)


def identity_generated(request: AppRequest, identity) -> list[dict]:
    """The identity page's "Generated images": the outputs of its latest runs, newest first."""
    # A catalog identity is used by many accounts: show only this account's runs of it.
    runs = runs_for_identity(identity=identity, limit=GALLERY_RUNS, account=request.account)
    # The gallery names no engine: no need to build the engines to label them.
    return [_output_view(output, run, request, {}) for run in runs for output in run.outputs.all()]
