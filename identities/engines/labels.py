"""What each image engine is called in front of a brand user: the one place the job page (and
the wizard) read engine names from, so an engine is described the same way everywhere."""

from __future__ import annotations

OFFLINE = (
    "Offline illustration engine — drafts are painted studies, not photographs; configure an "
    "external engine (see README) for photographic drafts"
)

ENGINE_LABELS: dict[str, str] = {
    # The in-house painter runs under two names (the reference engine id and a local alias).
    "orbita": OFFLINE,
    "local": OFFLINE,
    "nano_banana_pro": "Gemini image (Google)",
    "seedream": "Seedream (ByteDance)",
    "model_create": "Model Create (external studio engine)",
    "mobile_stylegan": "Photoreal preview — non-commercial weights",
}


def engine_label(name: str) -> str:
    """The label for `name`; an engine added without a label still shows its id, never nothing."""
    if not name:
        return "Engine not recorded"
    return ENGINE_LABELS.get(name, name)


PHOTOREAL_NOTICE = "Photoreal preview, non-commercial weights"


def render_notes(details: dict | None) -> dict:
    """What a draft or identity page says about how its picture was drawn, from the engine's
    RenderResult.details as stored: the fields it could not draw ("not drawn: hair.style:
    braids"; the painter calls them `not_depicted`), the non-commercial weights notice, the
    native pixel size and any scale-up. Empty lists and Nones when the engine said nothing."""
    details = details if isinstance(details, dict) else {}
    not_drawn = [str(item) for item in details.get("not_drawn") or ()]
    not_drawn += [str(item) for item in details.get("not_depicted") or () if item not in not_drawn]
    native = details.get("native_size")
    upscaled = details.get("upscaled")
    return {
        "not_drawn": not_drawn,
        "non_commercial": PHOTOREAL_NOTICE if details.get("non_commercial") else None,
        "weights": _weights(details) if details.get("non_commercial") else "",
        "native_size": f"{native[0]} × {native[1]} px"
        if isinstance(native, list | tuple) and len(native) == 2
        else None,
        "upscaled": f"{float(upscaled):.2f}×"
        if isinstance(upscaled, int | float) and upscaled
        else None,
    }


def _weights(details: dict) -> str:
    """Which weights, without repeating the notice the badge already shows."""
    text = str(details.get("weights") or "")
    head, _, rest = text.partition(": ")
    return rest if rest and head.lower() == PHOTOREAL_NOTICE.lower() else text
