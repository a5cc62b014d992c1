"""What a Castless manifest says, as the definition handed to c2pa's Builder."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

PRODUCT = "Castless"
FALLBACK_VERSION = "0.1.0"
CREATED = "c2pa.created"
TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
GENERATION_LABEL = "com.castless.generation"
ACTIONS_LABELS = ("c2pa.actions", "c2pa.actions.v2")


@dataclass(frozen=True)
class Ingredient:
    """A reference image a generation was shown. `title` is written into the manifest, which
    anyone holding the image can read: use a neutral one ("reference 1"), never a user's file
    name."""

    data: bytes
    mime: str
    title: str = "reference"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@functools.cache
def castless_version() -> str:
    """The installed package version, else pyproject's (a source checkout is not installed)."""
    try:
        return importlib.metadata.version("castless")
    except importlib.metadata.PackageNotFoundError:
        pass
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return FALLBACK_VERSION


def manifest_definition(
    *,
    engine: str,
    job_code: str | None,
    identity_code: str | None,
    ingredients: Sequence[Ingredient],
    now: dt.datetime | None = None,
) -> dict:
    when = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    generation = {"engine": engine, "job": job_code, "identity": identity_code}
    return {
        "claim_generator_info": [{"name": PRODUCT, "version": castless_version()}],
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": CREATED,
                            "when": when.isoformat(timespec="seconds").replace("+00:00", "Z"),
                            "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                            "softwareAgent": {"name": engine},
                        }
                    ]
                },
            },
            {
                "label": GENERATION_LABEL,
                "data": {key: value for key, value in generation.items() if value},
            },
        ],
        "ingredients": [_ingredient(item) for item in ingredients],
    }


def _ingredient(item: Ingredient) -> dict:
    # Described, not embedded: adding the reference's bytes would copy its own manifest store
    # (thumbnail, author, sometimes location) into every output, shipping the private photo a
    # draft was shown inside the draft. The hash still lets the owner prove which photo it was.
    return {
        "title": item.title,
        "format": item.mime,
        "relationship": "inputTo",
        "instance_id": f"castless:sha256:{item.sha256}",
    }
