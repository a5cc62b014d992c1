"""Which engines exist, which can serve now, and which one `auto` picks.

Engine classes are imported on first use: the in-house renderer pulls in heavy imaging code a
settings check or a form should not pay for, and the registry must answer capability questions
even where a module is not installed yet.
"""

from __future__ import annotations

from importlib.util import find_spec

from django.conf import settings
from django.utils.module_loading import import_string

from identities.engines.base import ASPECT_RATIOS, SIZES, Capabilities, Engine

AUTO = "auto"
STYLEGAN = "mobile_stylegan"


def stylegan_enabled() -> bool:
    """Whether the non-commercial photoreal engine exists on this server (an explicit setting)."""
    return bool(getattr(settings, "CASTLESS_ENABLE_MOBILE_STYLEGAN", False))


# The API's `options.model` values, plus the seeds' model-create vendor. `mobile_stylegan` is a
# value only where it is switched on; the schema and forms read this once, at start-up.
ENGINE_NAMES = (
    "auto",
    "nano_banana_pro",
    "seedream",
    "orbita",
    "local",
    "model_create",
    *((STYLEGAN,) if stylegan_enabled() else ()),
)

_CLASSES = {
    "nano_banana_pro": "identities.engines.gemini.GeminiEngine",
    "seedream": "identities.engines.seedream.SeedreamEngine",
    "model_create": "identities.engines.modelcreate.ModelCreateEngine",
    "orbita": "identities.engines.inhouse.OrbitaEngine",
    "local": "identities.engines.inhouse.LocalEngine",
}
# `auto` tries external engines first (they draw better faces), in this order, then `local`.
# Never orbita: it refuses ratios and sizes `local` serves with the same renderer.
_AUTO_EXTERNAL_ORDER = ("nano_banana_pro", "seedream", "model_create")
_AUTO_FALLBACK = "local"
_PREFERENCE = (*_AUTO_EXTERNAL_ORDER, "local", "orbita")
_STYLEGAN_CLASS = "identities.engines.stylegan.engine.MobileStyleGANEngine"

_INHOUSE_MODULE = "identities.engines.inhouse"
# The spec's limits, used only until the in-house module is importable.
_INHOUSE_DECLARED = {
    "orbita": Capabilities(
        sizes=frozenset({"1K"}),
        aspect_ratios=frozenset(ASPECT_RATIOS) - {"4:5", "5:4", "21:9"},
        max_input_assets=0,
        external=False,
        label="orbita",
    ),
    "local": Capabilities(
        sizes=frozenset(SIZES),
        aspect_ratios=frozenset(ASPECT_RATIOS),
        max_input_assets=0,
        external=False,
        label="local",
    ),
}


def _classes() -> dict[str, str]:
    # Read per call, not at import: the setting decides whether the engine exists at all.
    if stylegan_enabled():
        return {**_CLASSES, STYLEGAN: _STYLEGAN_CLASS}
    return _CLASSES


def _preference() -> tuple[str, ...]:
    # The photoreal engine draws people; the painter is the fallback behind it.
    if stylegan_enabled():
        return (*_AUTO_EXTERNAL_ORDER, STYLEGAN, "local", "orbita")
    return _PREFERENCE


def _auto_offline() -> tuple[str, ...]:
    return (STYLEGAN, _AUTO_FALLBACK) if stylegan_enabled() else (_AUTO_FALLBACK,)


def get_engine(name: str) -> Engine:
    """A fresh engine instance for a concrete name; KeyError for "auto" or an unknown name."""
    return import_string(_classes()[name])()


def capabilities_for(name: str) -> Capabilities:
    """What `name` accepts. For "auto": what at least one engine it may pick accepts."""
    if name == AUTO:
        return _auto_capabilities()
    path = _classes()[name]
    if path.startswith(_INHOUSE_MODULE) and find_spec(_INHOUSE_MODULE) is None:
        return _INHOUSE_DECLARED[name]
    declared = getattr(import_string(path), "capabilities", None)
    if isinstance(declared, Capabilities):
        return declared
    return get_engine(name).capabilities


def engine_is_external(name: str) -> bool:
    """Whether a concrete engine runs at a vendor (priced as external); KeyError for "auto"."""
    if name == AUTO:
        raise KeyError("auto is not an engine; resolve it first")
    return capabilities_for(name).external


def configured_engines() -> list[Engine]:
    """Every engine that can serve now, most preferred first."""
    engines = (get_engine(name) for name in _preference())
    return [engine for engine in engines if engine.is_configured()]


def resolve_engine(model: str, *, size: str, ar: str, input_assets: int) -> Engine | None:
    """The engine that serves `model` for this request.

    A concrete name gives that engine as is (the caller checks capabilities and
    configuration, to report why). "auto" gives the first configured external engine that
    accepts the request, else `mobile_stylegan` (when switched on and installed) when it does,
    else `local` when it does, else None (references with no external engine configured).
    KeyError for an unknown name.
    """
    if model != AUTO:
        return get_engine(model)
    for name in (*_AUTO_EXTERNAL_ORDER, *_auto_offline()):
        if capabilities_for(name).refusal(size=size, ar=ar, input_assets=input_assets):
            continue
        engine = get_engine(name)
        if engine.is_configured():
            return engine
    return None


def _auto_capabilities() -> Capabilities:
    names = [name for name in _AUTO_EXTERNAL_ORDER if get_engine(name).is_configured()]
    offline = [
        name
        for name in _auto_offline()
        if name == _AUTO_FALLBACK or get_engine(name).is_configured()
    ]
    offered = [capabilities_for(name) for name in (*names, *offline)]
    return Capabilities(
        sizes=frozenset().union(*(caps.sizes for caps in offered)),
        aspect_ratios=frozenset().union(*(caps.aspect_ratios for caps in offered)),
        max_input_assets=max(caps.max_input_assets for caps in offered),
        # Decided per request by resolve_engine; price by the engine that actually served.
        external=False,
        label="auto",
    )
