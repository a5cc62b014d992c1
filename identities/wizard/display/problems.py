"""Problems of a brief in plain words, next to what caused them.

Validation and the job service report problems on API paths ("instructions[1].face.eyes");
the wizard maps them back to instruction 2's Eyes field, its options, or the job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from config.refusals import FieldError
from identities.briefs.vocabulary import GROUP_LABELS
from identities.briefs.vocabulary import field as vocabulary_field
from identities.wizard.convert import FIELD_PATHS

_INSTRUCTION_PATH = re.compile(r"^instructions\[(\d+)\](?:\.(.+))?$")
OPTION_LABELS = {
    "options.ar": "Aspect ratio",
    "options.size": "Size",
    "options.format": "Format",
    "num_variations": "Variations",
    "prompt": "Expert prompt",
    "input_assets": "Reference images",
}
JOB_LABELS = {
    "options.model": "Engine",
    "name": "Job name",
    "options.add_ai_watermark": "Watermark",
}


@dataclass
class ErrorMap:
    """Problems by instruction index and path inside it (None: the instruction as a whole), and
    problems of the job (engine, name, or no path at all)."""

    instructions: dict[int, dict[str | None, list[str]]] = field(default_factory=dict)
    job: dict[str | None, list[str]] = field(default_factory=dict)

    def of(self, index: int) -> dict[str | None, list[str]]:
        return self.instructions.get(index, {})


def map_errors(errors: Iterable[FieldError]) -> ErrorMap:
    mapped = ErrorMap()
    for error in errors:
        match = _INSTRUCTION_PATH.match(error.field or "")
        if match is None:
            mapped.job.setdefault(error.field, []).append(error.message)
            continue
        rest = _normalize(match.group(2))
        bucket = mapped.instructions.setdefault(int(match.group(1)), {})
        bucket.setdefault(rest, []).append(error.message)
    return mapped


def _normalize(rest: str | None) -> str | None:
    if rest is None:
        return None
    if rest == "face.skin":  # the API also takes skin under face: it is the Appearance field
        return "appearance.skin"
    if rest.startswith("input_assets"):
        return "input_assets"
    return rest


def describe(rest: str | None) -> str:
    """A path inside an instruction in words: "Face › Eyes", "Aspect ratio"."""
    if rest is None:
        return "Brief"
    if rest in OPTION_LABELS:
        return OPTION_LABELS[rest]
    group, _, name = rest.partition(".")
    if group in GROUP_LABELS:
        try:
            return f"{GROUP_LABELS[group]} › {vocabulary_field(group, name).label}"
        except KeyError:
            return GROUP_LABELS[group]
    return rest


@dataclass(frozen=True)
class Problem:
    """One problem in plain words, with where it comes from."""

    where: str
    message: str
    anchor: str = ""  # the DOM id of the field to fix, on the Configure step


def problem_list(errors: Iterable[FieldError], instructions: list[dict[str, Any]]) -> list[Problem]:
    mapped = map_errors(errors)
    problems = []
    for index, item in enumerate(instructions):
        for rest, messages in mapped.of(index).items():
            anchor = problem_anchor(item, rest)
            where = f"Instruction {index + 1} › {describe(rest)}"
            problems.extend(Problem(where, message, anchor) for message in messages)
    for path, messages in mapped.job.items():
        where = JOB_LABELS.get(path or "", "Job")
        problems.extend(Problem(where, message) for message in messages)
    return problems


def problem_anchor(item: dict[str, Any], rest: str | None) -> str:
    if rest is None and item.get("expert"):
        rest = "prompt"
    return field_anchor(item["key"], rest or "")


def field_anchor(key: str, path: str) -> str:
    """The DOM id of what a path inside instruction `key` names, to link or scroll to it."""
    if path in FIELD_PATHS:
        group, name = path.split(".", 1)
        return f"f-{key}-{group}-{name}"
    if path == "prompt":
        return f"prompt-{key}"
    return f"ins-{key}"
