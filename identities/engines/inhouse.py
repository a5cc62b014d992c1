"""The in-house engines: Castless's own portrait painter (`identities.renderer`) on CPU.

`orbita` keeps the limits of the reference vendor's in-house model (1K only, no 4:5, 5:4 or
21:9, no reference images); `local` is the same painter without them, and is what `auto`
falls back to when no external engine is configured.
"""

from __future__ import annotations

from identities.engines.base import (
    ASPECT_RATIOS,
    FORMATS,
    SIZES,
    Capabilities,
    EngineError,
    RenderRequest,
    RenderResult,
)
from identities.engines.output import finish_render
from identities.engines.sizes import pixel_size


class _InHouseEngine:
    name = ""
    capabilities: Capabilities

    def is_configured(self) -> bool:
        return True

    def render(self, request: RenderRequest) -> RenderResult:
        # Imported on first render: the painter pulls in scipy and OpenCV, which a capability
        # check in a form or the registry should not pay for.
        from identities.renderer import brief_from_prompt, render_portrait

        self._check(request)
        width, height = pixel_size(request.size, request.ar)
        brief = request.brief
        if request.expert:
            # Expert prompts carry the intent; structured fields are metadata only.
            brief = brief_from_prompt(request.prompt)
        portrait = render_portrait(
            brief, seed=request.seed, variation=request.variation, width=width, height=height
        )
        return finish_render(portrait.image, request, engine=self.name, details=portrait.details)

    def _check(self, request: RenderRequest) -> None:
        problems = self.capabilities.refusal(
            size=request.size, ar=request.ar, input_assets=len(request.references)
        )
        if request.format not in FORMATS:
            problems.append(("options.format", f"{self.name} writes jpg or png only"))
        if problems:
            raise EngineError("invalid", "; ".join(m for _, m in problems), engine=self.name)


class OrbitaEngine(_InHouseEngine):
    name = "orbita"
    capabilities = Capabilities(
        sizes=frozenset({"1K"}),
        aspect_ratios=frozenset(ASPECT_RATIOS) - {"4:5", "5:4", "21:9"},
        max_input_assets=0,
        external=False,
        label="orbita",
    )


class LocalEngine(_InHouseEngine):
    name = "local"
    capabilities = Capabilities(
        sizes=frozenset(SIZES),
        aspect_ratios=frozenset(ASPECT_RATIOS),
        max_input_assets=0,
        external=False,
        label="local",
    )
