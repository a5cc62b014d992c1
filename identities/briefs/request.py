"""A validated creation request: what `validate_creation_request` returns or refuses with."""

from __future__ import annotations

from dataclasses import dataclass, field

from config.api.errors import ApiError, FieldError
from identities.briefs.vocabulary import GROUPS

DEFAULT_MODEL = "auto"
DEFAULT_SIZE = "2K"
DEFAULT_AR = "3:4"
DEFAULT_FORMAT = "jpg"


def empty_brief() -> dict[str, dict[str, str]]:
    return {group: {} for group in GROUPS}


@dataclass(frozen=True)
class Instruction:
    """One conceptual face. Treat `brief` as read-only.

    brief: {"appearance": {...}, "face": {...}, "hair": {...}}, every group present, values
    stripped non-empty strings (age included). `prompt` set means expert mode: it is sent
    verbatim and the brief is metadata only.
    """

    brief: dict[str, dict[str, str]] = field(default_factory=empty_brief)
    prompt: str | None = None
    input_assets: tuple[str, ...] = ()
    num_variations: int = 1
    size: str = DEFAULT_SIZE
    ar: str = DEFAULT_AR
    format: str = DEFAULT_FORMAT
    expert: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "expert", self.prompt is not None)


@dataclass(frozen=True)
class CreationRequest:
    instructions: tuple[Instruction, ...]
    model: str = DEFAULT_MODEL
    add_ai_watermark: bool = False
    name: str | None = None

    @property
    def total_variations(self) -> int:
        return sum(instruction.num_variations for instruction in self.instructions)


class BriefError(Exception):
    """Every problem found in a brief, each on its field path ("instructions[1].options.ar")."""

    def __init__(self, errors: list[FieldError], *, blocked_term: str | None = None):
        super().__init__("; ".join(f"{e.field or 'body'}: {e.message}" for e in errors))
        self.errors = errors
        # Set when a real person's name was refused: the seed's 400 names the blocked term.
        self.blocked_term = blocked_term

    def api_error(self) -> ApiError:
        """The seed's 400 body for this error."""
        if self.blocked_term:
            return ApiError(
                status=400,
                error="Names of real people are not allowed",
                detail=self.errors,
                extra={"blocked_term": self.blocked_term},
            )
        return ApiError(status=400, error="Validation error", detail=self.errors)
