"""The one small interface every image engine implements.

An engine declares what it accepts (`Capabilities`); validation reads those declarations, the
job pipeline calls `render()` once per draft. Engines never touch the database: they take a
`RenderRequest` and give back image bytes or raise `EngineError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

# Defined with their pixels in `sizes`; named here too because every engine module already
# imports its interface from this one.
from identities.engines.sizes import ASPECT_RATIOS as ASPECT_RATIOS
from identities.engines.sizes import FORMATS as FORMATS
from identities.engines.sizes import SIZES


@dataclass(frozen=True)
class Capabilities:
    sizes: frozenset[str]
    aspect_ratios: frozenset[str]
    max_input_assets: int
    external: bool
    # Why a size/ratio is refused, in words a user understands (shown next to the choice).
    label: str = ""

    def refusal(self, *, size: str, ar: str, input_assets: int) -> list[tuple[str, str]]:
        """(field, message) pairs for what this engine cannot serve; empty when it can."""
        problems = []
        if size not in self.sizes:
            allowed = ", ".join(s for s in SIZES if s in self.sizes)
            problems.append(("options.size", f"{self.label} supports sizes {allowed} only"))
        if ar not in self.aspect_ratios:
            problems.append(("options.ar", f"{self.label} does not support aspect ratio {ar}"))
        if input_assets > self.max_input_assets:
            if self.max_input_assets == 0:
                message = f"input_assets is not supported on {self.label}"
            else:
                message = f"{self.label} accepts at most {self.max_input_assets} references"
            problems.append(("input_assets", message))
        return problems


@dataclass(frozen=True)
class Reference:
    """A reference image sent inline to an engine (expert prompts only)."""

    data: bytes
    mime_type: str


@dataclass(frozen=True)
class RenderRequest:
    prompt: str  # the full text prompt (built from the brief, or the expert prompt verbatim)
    brief: dict  # normalized structured fields {"appearance": {...}, "face": {...}, "hair": {...}}
    expert: bool  # True when `prompt` came verbatim from the user
    size: str  # "1K" | "2K" | "4K"
    ar: str  # one of ASPECT_RATIOS
    format: str  # "jpg" | "png"
    seed: int  # 0 .. 2**32-1
    variation: int = 0  # index of the variation inside its instruction
    references: tuple[Reference, ...] = ()
    watermark: bool = False


@dataclass(frozen=True)
class RenderResult:
    image: bytes  # encoded in `format`, exactly `width` x `height`
    format: str
    width: int
    height: int
    engine: str
    seed: int
    details: dict = field(default_factory=dict)


class EngineError(Exception):
    """A render that did not produce an image.

    kind: "refused" (moderation / safety: the engine's reason is in `message`),
          "timeout", "unavailable" (5xx / network after retries), "rate_limited",
          "config" (bad or missing credentials), "bad_response" (garbage from the engine),
          "invalid" (the request cannot be served by this engine).
    """

    def __init__(self, kind: str, message: str, *, engine: str = "", retryable: bool = False):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.engine = engine
        self.retryable = retryable

    def __str__(self) -> str:
        prefix = f"{self.engine}: " if self.engine else ""
        return f"{prefix}{self.kind}: {self.message}"


class Engine(Protocol):
    name: str
    capabilities: Capabilities

    def is_configured(self) -> bool: ...

    def render(self, request: RenderRequest) -> RenderResult: ...
