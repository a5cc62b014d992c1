"""Validate a creation request's parsed JSON into a `CreationRequest`, or refuse it with every
problem at once, each on its exact field path and in our own words.

The API hands us the raw body (not pydantic's model) so that messages are ours and complete; the
wizard builds the same dict from its form. Plan policy, credits and file ownership come later, in
the service layer; this module knows the brief, the seed's limits and what each engine accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from identities.briefs.collector import (
    Collector,
    FindBlocked,
    has_control,
    is_blank,
    is_int,
    join_path,
    one_of,
)
from identities.briefs.minors import MAX_AGE, MIN_AGE, age_problem
from identities.briefs.request import (
    DEFAULT_AR,
    DEFAULT_FORMAT,
    DEFAULT_MODEL,
    DEFAULT_SIZE,
    CreationRequest,
    Instruction,
    empty_brief,
)
from identities.briefs.vocabulary import (
    GROUPS,
    NAME_MAX_LENGTH,
    PROMPT_MAX_LENGTH,
    field,
    field_names,
)
from identities.engines import registry
from identities.engines.base import ASPECT_RATIOS, FORMATS, SIZES, Capabilities

MAX_INSTRUCTIONS = 5
MAX_VARIATIONS = 8
MAX_INPUT_ASSETS = 3
FILE_ID_MAX_LENGTH = 200
# Accepted for forward compatibility and ignored (seed 003, "Building a brief").
IGNORED_GROUPS = ("outfit", "style", "scene", "camera")
TOP_LEVEL_KEYS = ("instructions", "options", "name")
INSTRUCTION_KEYS = (*GROUPS, "prompt", "input_assets", "num_variations", "options", *IGNORED_GROUPS)
INSTRUCTION_OPTION_KEYS = ("ar", "size", "format")
JOB_OPTION_KEYS = ("model", "add_ai_watermark")
# "jpeg" is what MIME types and image libraries call jpg; accepting it costs nothing and the
# normalized request always says "jpg".
FORMAT_ALIASES = {"jpeg": "jpg"}

EMPTY_MESSAGE = "Provide a non-empty prompt or at least one structured field"

EngineFor = Callable[[str], Capabilities]


def validate_creation_request(
    data: Any, *, engine_for: EngineFor | None = None, find_blocked: FindBlocked | None = None
) -> CreationRequest:
    """The normalized request, or BriefError listing every problem found.

    engine_for(model) gives what a model accepts (default: the engine registry); find_blocked
    gives the real person's name a text contains (default: the BlockedTerm table).
    """
    check = _Checker(engine_for=engine_for, find_blocked=find_blocked)
    request = check.creation_request(data)
    check.raise_if_any()
    assert request is not None
    return request


def validate_instruction(
    data: Any,
    *,
    model: str = DEFAULT_MODEL,
    path: str = "",
    engine_for: EngineFor | None = None,
    find_blocked: FindBlocked | None = None,
) -> Instruction:
    """One instruction on its own (a preset, extracted `instruction_data`), paths under `path`."""
    check = _Checker(engine_for=engine_for, find_blocked=find_blocked)
    instruction = check.instruction(data, path=path, model=model)
    check.raise_if_any()
    assert instruction is not None
    return instruction


def model_names() -> tuple[str, ...]:
    return registry.ENGINE_NAMES


def _default_engine_for(model: str) -> Capabilities:
    return registry.capabilities_for(model)


class _Checker(Collector):
    """Walks a creation request once; every problem is collected, none stops the walk."""

    unlisted = IGNORED_GROUPS

    def __init__(self, *, engine_for: EngineFor | None, find_blocked: FindBlocked | None):
        super().__init__(find_blocked=find_blocked)
        self._engine_for = engine_for or _default_engine_for
        self._capabilities: dict[str, Capabilities] = {}

    # The whole body

    def creation_request(self, data: Any) -> CreationRequest | None:
        if not isinstance(data, Mapping):
            self.add(None, "The request body must be a JSON object")
            return None
        self.unknown_keys(data, path="", allowed=TOP_LEVEL_KEYS)
        model, watermark = self.job_options(data.get("options"))
        # The job's name becomes the promoted identity's name, so real names are refused there too.
        name = self.text(
            data.get("name"), path="name", max_length=NAME_MAX_LENGTH, check_minors=False
        )
        instructions = self.instructions(data.get("instructions"), model=model)
        if instructions is None:
            return None
        return CreationRequest(
            instructions=instructions,
            model=model or DEFAULT_MODEL,
            add_ai_watermark=watermark,
            name=name,
        )

    def job_options(self, raw: Any) -> tuple[str | None, bool]:
        options = self.mapping(raw, path="options")
        if options is None:
            return DEFAULT_MODEL, False
        self.unknown_keys(options, path="options", allowed=JOB_OPTION_KEYS)
        model = options.get("model")
        if model is None:
            model = DEFAULT_MODEL
        elif model not in model_names():
            self.add("options.model", one_of(model_names()))
            model = None
        watermark = options.get("add_ai_watermark")
        if watermark is None:
            watermark = False
        elif not isinstance(watermark, bool):
            self.add("options.add_ai_watermark", "Must be true or false")
            watermark = False
        return model, watermark

    def instructions(self, raw: Any, *, model: str | None) -> tuple[Instruction, ...] | None:
        if raw is None or raw == []:
            self.add("instructions", "At least one instruction")
            return None
        if not isinstance(raw, list):
            self.add("instructions", "Must be a list of instructions")
            return None
        if len(raw) > MAX_INSTRUCTIONS:
            self.add("instructions", f"At most {MAX_INSTRUCTIONS} instructions per job")
        # Every instruction is checked even past the limit, so one round trip shows everything.
        checked = [
            self.instruction(item, path=join_path("instructions", i), model=model)
            for i, item in enumerate(raw)
        ]
        if any(instruction is None for instruction in checked):
            return None
        return tuple(checked)

    # One instruction

    def instruction(self, raw: Any, *, path: str, model: str | None) -> Instruction | None:
        item = self.mapping(raw, path=path)
        if item is None:
            return None
        self.unknown_keys(item, path=path, allowed=INSTRUCTION_KEYS)
        for group in IGNORED_GROUPS:
            self.mapping(item.get(group), path=join_path(path, group))
        brief = self.brief(item, path=path)
        prompt = self.text(
            item.get("prompt"),
            path=join_path(path, "prompt"),
            max_length=PROMPT_MAX_LENGTH,
            multiline=True,
        )
        wants_prompt = not is_blank(item.get("prompt"))
        if not wants_prompt and not _has_structured_value(item):
            self.add(path or None, EMPTY_MESSAGE)
        assets = self.input_assets(item.get("input_assets"), path=path, expert=wants_prompt)
        variations = self.num_variations(item.get("num_variations"), path=path)
        size, ar, fmt = self.instruction_options(item.get("options"), path=path)
        if model is not None:
            options = item.get("options") if isinstance(item.get("options"), Mapping) else {}
            defaulted = {
                f"options.{key}": value
                for key, value in (("size", size), ("ar", ar))
                if options.get(key) is None
            }
            self.engine_limits(
                model, path=path, size=size, ar=ar, assets=len(assets), defaulted=defaulted
            )
        return Instruction(
            brief=brief,
            prompt=prompt,
            input_assets=assets,
            num_variations=variations,
            size=size,
            ar=ar,
            format=fmt,
        )

    def brief(self, item: Mapping, *, path: str) -> dict[str, dict[str, str]]:
        brief = empty_brief()
        for group in GROUPS:
            group_path = join_path(path, group)
            raw = self.mapping(item.get(group), path=group_path)
            if raw is None:
                continue
            # seed 000 writes skin under face; it is read as appearance.skin.
            allowed = (*field_names(group), "skin") if group == "face" else field_names(group)
            self.unknown_keys(raw, path=group_path, allowed=allowed)
            for name in allowed:
                if name not in raw:
                    continue
                target = "appearance" if name == "skin" else group
                value = self.field_value(raw[name], group=target, name=name, path=group_path)
                # appearance.skin wins over face.skin when both are set.
                if value is not None and not (group == "face" and name in brief[target]):
                    brief[target][name] = value
        return brief

    def field_value(self, raw: Any, *, group: str, name: str, path: str) -> str | None:
        value_path = join_path(path, name)
        if group == "appearance" and name == "age":
            return self.age(raw, path=value_path)
        return self.text(raw, path=value_path, max_length=field(group, name).max_length)

    def age(self, raw: Any, *, path: str) -> str | None:
        if is_int(raw):
            if raw < MIN_AGE:
                self.add(path, "Must be 18 or over: we never generate minors")
            elif raw > MAX_AGE:
                self.add(path, f"Must be between {MIN_AGE} and {MAX_AGE}")
            else:
                return str(raw)
            return None
        if raw is not None and not isinstance(raw, str):
            self.add(path, "Must be a whole number or text, e.g. 28 or early 30s")
            return None
        limit = field("appearance", "age").max_length
        text = self.text(raw, path=path, max_length=limit, check_minors=False)
        if text is None:
            return None
        problem = age_problem(text)
        if problem:
            self.add(path, problem)
            return None
        return text

    def input_assets(self, raw: Any, *, path: str, expert: bool) -> tuple[str, ...]:
        assets_path = join_path(path, "input_assets")
        if raw is None or raw == []:
            return ()
        if not isinstance(raw, list):
            self.add(assets_path, 'Must be a list of {"file_id": "…"} objects')
            return ()
        if len(raw) > MAX_INPUT_ASSETS:
            self.add(assets_path, f"At most {MAX_INPUT_ASSETS} reference images per instruction")
        if not expert:
            self.add(
                assets_path,
                "Reference images need an expert prompt: set prompt, or remove input_assets",
            )
        file_ids: list[str] = []
        for index, entry in enumerate(raw):
            file_id = self.file_id(entry, path=join_path(assets_path, index))
            if file_id is None:
                continue
            if file_id in file_ids:
                self.add(join_path(assets_path, index), "This file is already listed")
                continue
            file_ids.append(file_id)
        return tuple(file_ids)

    def file_id(self, raw: Any, *, path: str) -> str | None:
        if not isinstance(raw, Mapping):
            self.add(path, 'Must be an object like {"file_id": "…"}')
            return None
        self.unknown_keys(raw, path=path, allowed=("file_id",))
        value = raw.get("file_id")
        id_path = join_path(path, "file_id")
        if not isinstance(value, str) or not value.strip():
            self.add(id_path, "Required: the file_id of an uploaded image")
            return None
        value = value.strip()
        if len(value) > FILE_ID_MAX_LENGTH or has_control(value, multiline=False):
            self.add(id_path, "Not a valid file_id")
            return None
        return value

    def num_variations(self, raw: Any, *, path: str) -> int:
        if raw is None:
            return 1
        if not is_int(raw) or not 1 <= raw <= MAX_VARIATIONS:
            self.add(
                join_path(path, "num_variations"),
                f"Must be a whole number between 1 and {MAX_VARIATIONS}",
            )
            return 1
        return raw

    def instruction_options(self, raw: Any, *, path: str) -> tuple[str, str, str]:
        options_path = join_path(path, "options")
        options = self.mapping(raw, path=options_path)
        if options is None:
            return DEFAULT_SIZE, DEFAULT_AR, DEFAULT_FORMAT
        self.unknown_keys(options, path=options_path, allowed=INSTRUCTION_OPTION_KEYS)
        size = self.choice(
            options.get("size"),
            path=join_path(options_path, "size"),
            allowed=SIZES,
            default=DEFAULT_SIZE,
            normalize=str.upper,
        )
        ar = self.choice(
            options.get("ar"),
            path=join_path(options_path, "ar"),
            allowed=ASPECT_RATIOS,
            default=DEFAULT_AR,
        )
        fmt = self.choice(
            options.get("format"),
            path=join_path(options_path, "format"),
            allowed=FORMATS,
            default=DEFAULT_FORMAT,
            normalize=lambda v: FORMAT_ALIASES.get(v.lower(), v.lower()),
        )
        return size, ar, fmt

    def engine_limits(
        self,
        model: str,
        *,
        path: str,
        size: str,
        ar: str,
        assets: int,
        defaulted: Mapping[str, str],
    ) -> None:
        """What the chosen engine cannot serve, unless that field is already refused.

        `defaulted` maps the option paths the caller left out to the default used, so that
        "orbita supports sizes 1K only" also says where an unasked-for 2K came from.
        """
        if model not in self._capabilities:
            self._capabilities[model] = self._engine_for(model)
        for name, message in self._capabilities[model].refusal(
            size=size, ar=ar, input_assets=assets
        ):
            problem_path = join_path(path, name)
            if name in defaulted:
                message += f" ({name} defaults to {defaulted[name]} when not set)"
            if not self.has_error(problem_path):
                self.add(problem_path, message)


def _has_structured_value(item: Mapping) -> bool:
    """Whether the instruction tries to set any field (valid or not) in a brief group."""
    for group in GROUPS:
        raw = item.get(group)
        if isinstance(raw, Mapping) and any(not is_blank(v) for v in raw.values()):
            return True
    return False
