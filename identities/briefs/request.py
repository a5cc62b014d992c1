"""A validated creation request: what `validate_creation_request` returns or refuses with."""

from __future__ import annotations

from dataclasses import dataclass, field

from config.refusals import FieldError, InvalidInput
from identities.briefs.vocabulary import GROUPS
from identities.engines.sizes import DEFAULT_AR, DEFAULT_FORMAT, DEFAULT_SIZE

DEFAULT_MODEL = "auto"


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


class BriefError(InvalidInput):
    """Every problem found in a brief, each on its field path ("instructions[1].options.ar").

    `blocked_term` is set when a real person's name was refused: that is the refusal's summary
    then, and clients are told which name it was.
    """

    def __init__(self, errors: list[FieldError], *, blocked_term: str | None = None):
        summary = "Names of real people are not allowed" if blocked_term else "Validation error"
        super().__init__(errors, summary=summary)
        self.blocked_term = blocked_term

    @property
    def errors(self) -> list[FieldError]:
        return self.problems

    def __str__(self) -> str:
        return "; ".join(f"{e.field or 'body'}: {e.message}" for e in self.problems)
