"""The creation request as django-ninja schemas: the API's OpenAPI document and typed clients.

Generated from the vocabulary, so the documented fields, their order, labels, examples and
length limits are the ones the wizard and the validator use. The authoritative check is
`validation.validate_creation_request` (our own, complete error messages); these models accept
the same valid bodies and describe them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints, create_model

from identities.briefs.request import DEFAULT_AR, DEFAULT_FORMAT, DEFAULT_MODEL, DEFAULT_SIZE
from identities.briefs.validation import MAX_INPUT_ASSETS, MAX_INSTRUCTIONS, MAX_VARIATIONS
from identities.briefs.vocabulary import (
    GROUP_LABELS,
    NAME_MAX_LENGTH,
    PROMPT_MAX_LENGTH,
    fields_of,
)
from identities.briefs.vocabulary import field as vocabulary_field
from identities.engines.registry import ENGINE_NAMES
from identities.engines.sizes import ASPECT_RATIOS, FORMATS, SIZES

AspectRatio = Literal[ASPECT_RATIOS]  # type: ignore[valid-type]
Size = Literal[SIZES]  # type: ignore[valid-type]
Format = Literal[FORMATS]  # type: ignore[valid-type]
Model = Literal[ENGINE_NAMES]  # type: ignore[valid-type]


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


def _text(max_length: int) -> Any:
    return Annotated[str, StringConstraints(max_length=max_length)]


def _group_schema(group: str, class_name: str) -> type[Schema]:
    fields: dict[str, Any] = {}
    for item in fields_of(group):
        annotation = _text(item.max_length)
        if (group, item.name) == ("appearance", "age"):
            annotation = int | annotation
        fields[item.name] = (
            annotation | None,
            Field(
                default=None,
                title=item.label,
                description=item.placeholder,
                examples=[chip.value for chip in item.chips[:3]],
            ),
        )
    if group == "face":
        skin = vocabulary_field("appearance", "skin")
        fields["skin"] = (
            _text(skin.max_length) | None,
            Field(default=None, description="Read as appearance.skin (which wins if both set)."),
        )
    return create_model(
        class_name,
        __base__=_Strict,
        __doc__=f"{GROUP_LABELS[group]}: every field optional, free text.",
        **fields,
    )


AppearanceIn = _group_schema("appearance", "AppearanceIn")
FaceIn = _group_schema("face", "FaceIn")
HairIn = _group_schema("hair", "HairIn")


class InputAssetIn(_Strict):
    file_id: str = Field(min_length=1, description="From POST /upload.")


class InstructionOptionsIn(_Strict):
    ar: AspectRatio = DEFAULT_AR
    size: Size = DEFAULT_SIZE
    format: Format = Field(default=DEFAULT_FORMAT, description='"jpeg" is accepted as "jpg".')


class JobOptionsIn(_Strict):
    model: Model = DEFAULT_MODEL
    add_ai_watermark: bool = Field(
        default=False, description="Enterprise only; silently ignored on other plans."
    )


class InstructionIn(_Strict):
    appearance: AppearanceIn | None = None  # type: ignore[valid-type]
    face: FaceIn | None = None  # type: ignore[valid-type]
    hair: HairIn | None = None  # type: ignore[valid-type]
    outfit: dict[str, Any] | None = Field(default=None, description="Accepted and ignored.")
    style: dict[str, Any] | None = Field(default=None, description="Accepted and ignored.")
    scene: dict[str, Any] | None = Field(default=None, description="Accepted and ignored.")
    camera: dict[str, Any] | None = Field(default=None, description="Accepted and ignored.")
    prompt: str | None = Field(
        default=None,
        max_length=PROMPT_MAX_LENGTH,
        description="Expert mode: sent verbatim; the structured fields become metadata only.",
    )
    input_assets: list[InputAssetIn] | None = Field(
        default=None,
        max_length=MAX_INPUT_ASSETS,
        description="Reference images for expert prompts (not on orbita).",
    )
    num_variations: int = Field(default=1, ge=1, le=MAX_VARIATIONS)
    options: InstructionOptionsIn = Field(default_factory=InstructionOptionsIn)


class CreationRequestIn(_Strict):
    instructions: list[InstructionIn] = Field(min_length=1, max_length=MAX_INSTRUCTIONS)
    options: JobOptionsIn = Field(default_factory=JobOptionsIn)
    name: str | None = Field(default=None, max_length=NAME_MAX_LENGTH)
