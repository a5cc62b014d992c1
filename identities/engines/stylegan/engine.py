"""`mobile_stylegan`: photographic headshots from MobileStyleGAN, offline, steered by the brief.

Non-commercial weights (a distillation of NVIDIA's StyleGAN2-FFHQ, trained on FFHQ), so the
engine exists only when CASTLESS_ENABLE_MOBILE_STYLEGAN is set, and every draft says so in its
details. Importing this module loads nothing heavy: the runtime and the models load on the first
render.

One render: map thousands of candidate latents for (seed, variation), rank them against the
brief by the fitted directions' predictions, nudge the best along them and draw it; only when
the face detector finds no face or several, or the eyes are behind dark lenses, is the
next-ranked candidate drawn instead. The readers' view of the kept photo is recorded in the
details, not used to choose it (so the brief-fidelity bench, which judges with those readers,
checks the steering). The native picture is 1024², an FFHQ-aligned headshot; other ratios are
crops around the face, scaled up by at most 1.22 to the tier's exact pixels, and the details say
by how much.
"""

from __future__ import annotations

from django.conf import settings
from PIL import Image

from identities.engines.base import (
    FORMATS,
    Capabilities,
    EngineError,
    RenderRequest,
    RenderResult,
)
from identities.engines.output import finish_render
from identities.engines.sizes import pixel_size
from identities.engines.stylegan.model import NATIVE_SIZE, runtime_installed

NAME = "mobile_stylegan"
ENGINE_VERSION = "mobile_stylegan-2"
WEIGHTS_NOTICE = (
    "photoreal preview, non-commercial weights: MobileStyleGAN, distilled from NVIDIA "
    "StyleGAN2-FFHQ (research and evaluation only)"
)
# Ratios whose 1K pixels a crop of the 1024² picture reaches with at most a 1.22x scale-up
# (2:3 needs 683 x 1024 → 832 x 1248). 16:9, 9:16 and 21:9 would need 1.4x or more, or
# inventing backdrop beside the head, so they are refused rather than faked.
RATIOS = frozenset({"1:1", "4:5", "5:4", "3:4", "4:3", "2:3", "3:2"})
# Mapping is cheap (about 13 µs a latent on one core): a wide search needs smaller nudges.
CANDIDATES = 12000
# Renders per draft at most: the second only when the first shows no face or several, or its
# eyes behind dark lenses; up to FACE_RENDERS while none shows exactly one face.
MAX_RENDERS = 2
FACE_RENDERS = 4
# Where the eyes sit on an FFHQ-aligned picture, as a fraction of its height: landscape crops
# keep the face at the same place rather than cutting the chin.
_FACE_CENTRE_Y = 0.5


def enabled() -> bool:
    return bool(getattr(settings, "CASTLESS_ENABLE_MOBILE_STYLEGAN", False))


class MobileStyleGANEngine:
    name = NAME
    capabilities = Capabilities(
        sizes=frozenset({"1K"}),
        aspect_ratios=RATIOS,
        max_input_assets=0,
        external=False,
        label=NAME,
    )

    def is_configured(self) -> bool:
        return enabled() and runtime_installed()

    def render(self, request: RenderRequest) -> RenderResult:
        self._check(request)
        # Imported on first render: these pull in OpenVINO, OpenCV and the face models.
        from identities.engines.stylegan.draw import draw_draft
        from identities.engines.stylegan.model import ModelUnavailable

        brief = request.brief
        if request.expert:
            from identities.renderer import brief_from_prompt

            brief = brief_from_prompt(request.prompt)
        try:
            draft = draw_draft(
                brief,
                seed=request.seed,
                variation=request.variation,
                candidates=CANDIDATES,
                max_renders=MAX_RENDERS,
                face_renders=FACE_RENDERS,
            )
        except ModelUnavailable as error:
            raise EngineError("config", str(error), engine=self.name) from error
        width, height = pixel_size(request.size, request.ar)
        picture, crop = crop_to_ratio(draft.image, width / height, draft.face_box)
        upscale = max(width / picture.width, height / picture.height)
        details = {
            "engine_version": ENGINE_VERSION,
            "weights": WEIGHTS_NOTICE,
            "non_commercial": True,
            "native_size": [NATIVE_SIZE, NATIVE_SIZE],
            "crop": list(crop),
            "upscaled": round(upscale, 3) if upscale > 1.001 else None,
            **draft.details,
        }
        return finish_render(picture, request, engine=self.name, details=details)

    def _check(self, request: RenderRequest) -> None:
        if not enabled():
            raise EngineError(
                "config", "mobile_stylegan is not enabled on this server", engine=self.name
            )
        problems = self.capabilities.refusal(
            size=request.size, ar=request.ar, input_assets=len(request.references)
        )
        if request.format not in FORMATS:
            problems.append(("options.format", f"{self.name} writes jpg or png only"))
        if problems:
            raise EngineError("invalid", "; ".join(m for _, m in problems), engine=self.name)


def crop_to_ratio(
    image: Image.Image, ratio: float, face_box: tuple[float, float, float, float] | None
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """The largest crop of `ratio` (width / height) that keeps the face centred where it can."""
    side = image.width
    if abs(ratio - 1.0) < 1e-6:
        return image, (0, 0, side, side)
    if face_box is None:
        centre_x, centre_y = side / 2, side * _FACE_CENTRE_Y
    else:
        centre_x, centre_y = (face_box[0] + face_box[2]) / 2, (face_box[1] + face_box[3]) / 2
    if ratio < 1:
        width, height = round(side * ratio), side
    else:
        width, height = side, round(side / ratio)
    left = int(round(min(max(centre_x - width / 2, 0), side - width)))
    top = int(round(min(max(centre_y - height / 2, 0), side - height)))
    box = (left, top, left + width, top + height)
    return image.crop(box), box
