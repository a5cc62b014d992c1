"""On-model images: new pictures of an existing identity (issue 13), behind one interface.

An on-model engine takes an `OnModelRequest` (the user's prompt with `$model` / `$product` in
it, the identity's portrait, brief and stored latent, product and pose references, the
model-create options) and returns a `RenderResult`. Each declares what it can do
(`OnModelCapabilities`); `onmodel_choose` picks the engine that serves a request or refuses with
the field and the reason — a request is never quietly served by an engine that cannot honour it.

Engines: the in-house painter (`local`, `onmodel_painter.py`), `mobile_stylegan` when switched
on (`onmodel_stylegan.py`), and the external model-create, Gemini image and Seedream clients
(`onmodel_external.py`). What a prompt asks is read in `onmodel_prompt.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.utils.module_loading import import_string

from config.refusals import FieldError, InvalidInput
from identities.engines.base import Reference, RenderResult
from identities.engines.onmodel_prompt import FRAMINGS as FRAMINGS
from identities.engines.onmodel_prompt import framing_from_prompt as framing_from_prompt
from identities.engines.registry import stylegan_enabled

AUTO = "auto"
RESOLUTIONS = ("1k", "2k", "4k")
PAINTER = "local"
STYLEGAN = "mobile_stylegan"
_ALIASES = {"painter": PAINTER, "orbita": PAINTER}
_CLASSES = {
    PAINTER: "identities.engines.onmodel_painter.PainterOnModel",
    STYLEGAN: "identities.engines.onmodel_stylegan.StyleGANOnModel",
    "nano_banana_pro": "identities.engines.onmodel_external.GeminiOnModel",
    "seedream": "identities.engines.onmodel_external.SeedreamOnModel",
    "model_create": "identities.engines.onmodel_external.ModelCreateOnModel",
}
_EXTERNAL_ORDER = ("nano_banana_pro", "seedream", "model_create")
# Identity engines whose faces each offline engine can draw again (the painter from the brief
# and the seed it was painted with, mobile_stylegan from the stored latent).
FAMILY = {PAINTER: frozenset({"local", "orbita"}), STYLEGAN: frozenset({STYLEGAN})}


@dataclass(frozen=True)
class OnModelCapabilities:
    framings: frozenset[str]
    max_products: int
    pose_reference: bool
    resolutions: frozenset[str]
    aspect_ratios: frozenset[str]
    face_reference_max_resolution: str
    external: bool
    label: str
    # Identity engines whose faces it can lock to; None: any face (it takes the portrait).
    identity_engines: frozenset[str] | None = None


@dataclass(frozen=True)
class OnModelRequest:
    prompt: str
    identity_code: str | None
    face: Reference | None
    traits: dict
    latent: dict | list | None
    products: tuple[Reference, ...]
    pose: Reference | None
    face_reference_mode: str
    aspect_ratio: str
    resolution: str
    generation_mode: str
    output_format: str
    seed: int
    index: int
    identity_seed: int | None = None
    identity_variation: int = 0

    @property
    def output_seed(self) -> int:
        """The seed of this output: output i of a run uses seed + i (mod 2**32)."""
        return (int(self.seed) + int(self.index)) % 2**32


class OnModelEngine(Protocol):
    name: str
    capabilities: OnModelCapabilities

    def is_configured(self) -> bool: ...

    def render_on_model(self, request: OnModelRequest) -> RenderResult: ...


EXPERT_PROMPT = "_expert_prompt"


def identity_request_fields(identity) -> dict:
    """The OnModelRequest fields an identity fills (its code, brief, latent, seed, variation).

    An identity painted from an expert prompt was painted from that prompt, not from its
    metadata brief: `traits` then carries the prompt under EXPERT_PROMPT (one query for the
    source draft's instruction)."""
    details = identity.render_details if isinstance(identity.render_details, dict) else {}
    latent = details.get("latent") if identity.engine == STYLEGAN else None
    traits = dict(identity.brief or {})
    draft = identity.source_draft
    if draft is not None and draft.instruction.expert:
        traits[EXPERT_PROMPT] = draft.instruction.prompt
    return {
        "identity_code": identity.code,
        "traits": traits,
        "latent": latent,
        "identity_seed": identity.seed,
        "identity_variation": int(details.get("variation") or 0),
    }


def _refuse(field: str, reason: str) -> InvalidInput:
    return InvalidInput([FieldError(field, reason)], summary=reason)


def _build(name: str) -> OnModelEngine:
    return import_string(_CLASSES[name])()


def _names() -> tuple[str, ...]:
    offline = (STYLEGAN, PAINTER) if stylegan_enabled() else (PAINTER,)
    return (*_EXTERNAL_ORDER, *offline)


def onmodel_engine(name: str) -> OnModelEngine:
    """The engine called `name` ("auto": the first configured engine in preference order)."""
    if name == AUTO:
        engines = onmodel_engines()
        if not engines:
            raise _refuse("engine", "No on-model engine is configured on this server.")
        return engines[0]
    concrete = _ALIASES.get(name, name)
    if concrete not in _names():
        known = ", ".join((AUTO, *sorted(_names())))
        raise _refuse("engine", f"Unknown engine {name!r}; choose one of {known}.")
    return _build(concrete)


def onmodel_engines() -> list[OnModelEngine]:
    """Every configured on-model engine, most preferred first (for the web form's choices)."""
    engines = (_build(name) for name in _names())
    return [engine for engine in engines if engine.is_configured()]


def refusals(caps: OnModelCapabilities, needs: dict) -> list[tuple[str, str]]:
    """(field, reason) for each of `needs` these capabilities cannot serve; empty when it can."""
    label = caps.label
    problems: list[tuple[str, str]] = []
    framing = needs.get("framing")
    if framing and framing not in caps.framings:
        shown = " or ".join(f.replace("_", "-") for f in FRAMINGS if f in caps.framings)
        problems.append(
            (
                "prompt",
                f"The prompt asks for {framing.replace('_', ' ')}; {label} draws {shown} only.",
            )
        )
    products = int(needs.get("products") or 0)
    if products > caps.max_products:
        if caps.max_products == 0:
            reason = f"{label} cannot place product images."
        else:
            reason = f"{label} takes at most {caps.max_products} product images."
        problems.append(("product_images", reason))
    if needs.get("pose") and not caps.pose_reference:
        problems.append(("image_reference", f"{label} cannot follow a pose reference."))
    resolution = needs.get("resolution") or "1k"
    if resolution not in caps.resolutions:
        allowed = ", ".join(r for r in RESOLUTIONS if r in caps.resolutions)
        problems.append(("resolution", f"{label} draws {allowed} only."))
    elif needs.get("face_locked") and _rank(resolution) > _rank(caps.face_reference_max_resolution):
        problems.append(
            (
                "resolution",
                f"A face reference caps {label} at {caps.face_reference_max_resolution}.",
            )
        )
    ratio = needs.get("aspect_ratio") or "1:1"
    if ratio not in caps.aspect_ratios:
        problems.append(("aspect_ratio", f"{label} does not draw aspect ratio {ratio}."))
    if needs.get("face_locked") and caps.identity_engines is not None:
        identity_engine = needs.get("identity_engine")
        if not identity_engine:
            problems.append(
                ("face_reference", f"{label} cannot lock to a face from an uploaded image.")
            )
        elif identity_engine not in caps.identity_engines:
            problems.append(
                ("identity_code", f"{label} cannot draw an identity made by {identity_engine}.")
            )
    return problems


def _rank(resolution: str) -> int:
    return RESOLUTIONS.index(resolution) if resolution in RESOLUTIONS else len(RESOLUTIONS)


def onmodel_choose(*, engine: str, needs: dict) -> OnModelEngine:
    """The engine that serves `needs`, or InvalidInput naming the field and the reason.

    A concrete name must be configured and able to serve. "auto" tries the identity's own
    engine family first, then the configured external engines, then the offline ones; when none
    can serve, the refusal names the most preferred engine's first problem field and gives
    every engine's reason about it.
    """
    if engine != AUTO:
        chosen = onmodel_engine(engine)
        if not chosen.is_configured():
            raise _refuse(
                "engine", f"{chosen.capabilities.label} is not configured on this server."
            )
        problems = refusals(chosen.capabilities, needs)
        if problems:
            raise _refuse(*problems[0])
        return chosen
    engines = onmodel_engines()
    if not engines:
        raise _refuse("engine", "No on-model engine is configured on this server.")
    identity_engine = needs.get("identity_engine")
    own = [e for e in engines if e.name in FAMILY and identity_engine in FAMILY[e.name]]
    ordered = (
        own
        + [e for e in engines if e.capabilities.external]
        + [e for e in engines if not e.capabilities.external and e not in own]
    )
    found: list[tuple[str, str]] = []
    for candidate in ordered:
        problems = refusals(candidate.capabilities, needs)
        if not problems:
            return candidate
        found.extend(problems)
    # The most preferred engine's first problem names the field; every engine's reason about
    # that field says why none of them can serve it.
    field = found[0][0]
    reasons = list(dict.fromkeys(reason for name, reason in found if name == field))
    raise _refuse(field, " ".join(reasons) + " No configured engine can serve this request.")
