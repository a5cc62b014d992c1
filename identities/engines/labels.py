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
