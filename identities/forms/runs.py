"""Create images: the form on an identity's page that turns a prompt into new on-model images.

The form checks what only the page knows (the `$model` / `$product` words against the images
attached, how many files were chosen) and builds the same `inputs` dict the API takes; every
other rule (ratios, resolutions, engines, credits) is the run service's, so a page user and an
API client are refused for the same reasons.
"""

from __future__ import annotations

from typing import Any

from django import forms

from identities.services.runs.inputs import (
    ASPECT_RATIOS,
    MAX_IMAGES,
    MAX_PRODUCTS,
    MODEL_TOKEN,
    PRODUCT_TOKEN,
    PROMPT_MAX_LENGTH,
    SEED_MAX,
)

DEFAULT_SEED = 42
ACCEPT = "image/jpeg,image/png,image/webp"

# Seed 002's ten ratios, portrait ones first: fashion pages are mostly taller than wide.
RATIO_ORDER = ("3:4", "2:3", "4:5", "9:16", "1:1", "5:4", "4:3", "3:2", "16:9", "21:9")
RESOLUTIONS = (
    ("1k", "1K · about 1 megapixel"),
    ("2k", "2K · about 4 megapixels"),
    ("4k", "4K · about 16 megapixels"),
)
GENERATION_MODES = (
    ("automatic", "Automatic"),
    ("fast", "Fast"),
    ("balanced", "Balanced"),
    ("quality", "Quality"),
)
FACE_MODES = (
    ("match_reference", "Match the portrait: pose, gaze and expression follow the identity"),
    ("match_base", "Match the prompt: the pose follows the prompt, the face stays the identity's"),
)
OUTPUT_FORMATS = (("png", "PNG"), ("jpeg", "JPEG"))
AUTO_ENGINE = ("auto", "Automatic")


def _ratio_rank(ratio: str) -> int:
    return RATIO_ORDER.index(ratio) if ratio in RATIO_ORDER else len(RATIO_ORDER)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (`<input type=file multiple>`); a list after cleaning."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def _int_field(label: str, *, minimum: int, maximum: int, initial: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=maximum,
        initial=initial,
        widget=forms.NumberInput(attrs={"min": minimum, "max": maximum, "step": 1}),
    )


class RunForm(forms.Form):
    prompt = forms.CharField(
        label="Prompt",
        max_length=PROMPT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "true"}),
        help_text=f"Write {MODEL_TOKEN} where the identity appears, and {PRODUCT_TOKEN} for the "
        f"product images, e.g. “{MODEL_TOKEN} wearing {PRODUCT_TOKEN}, studio backdrop”.",
        error_messages={"required": f"Describe the image, with {MODEL_TOKEN} for the identity."},
    )
    products = MultipleFileField(
        label="Product images",
        required=False,
        help_text=f"Up to {MAX_PRODUCTS} garment or product photos (JPEG, PNG or WebP, up to "
        f"20 MB each); the prompt's {PRODUCT_TOKEN} stands for them.",
    )
    pose = forms.FileField(
        label="Pose or composition reference",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text="Optional: a photo whose pose and framing the image follows (not its details).",
    )
    face_reference_mode = forms.ChoiceField(
        label="Face lock",
        choices=FACE_MODES,
        initial="match_reference",
        widget=forms.RadioSelect,
    )
    num_images = _int_field("Number of images", minimum=1, maximum=MAX_IMAGES, initial=1)
    aspect_ratio = forms.ChoiceField(
        label="Aspect ratio",
        choices=[(r, r) for r in sorted(ASPECT_RATIOS, key=_ratio_rank)],
        initial="3:4",
    )
    resolution = forms.ChoiceField(
        label="Resolution", choices=RESOLUTIONS, initial="1k", widget=forms.RadioSelect
    )
    generation_mode = forms.ChoiceField(
        label="Generation mode",
        choices=GENERATION_MODES,
        initial="automatic",
        widget=forms.RadioSelect,
        help_text="Automatic is priced as Fast at 1K and as Quality at 2K and 4K.",
    )
    output_format = forms.ChoiceField(
        label="Format", choices=OUTPUT_FORMATS, initial="png", widget=forms.RadioSelect
    )
    seed = _int_field("Seed", minimum=0, maximum=SEED_MAX, initial=DEFAULT_SEED)
    seed.help_text = (
        f"0 to {SEED_MAX:,}. The same seed and inputs give the same images on the offline engines."
    )
    engine = forms.ChoiceField(
        label="Engine",
        initial="auto",
        help_text="Automatic picks the first configured engine that can draw this request.",
    )

    def __init__(self, *args, engines=(), kept_products: int = 0, **kwargs):
        """`engines`: (name, label) of the configured on-model engines; `kept_products`: how
        many product images stored on an earlier try of this form are ticked to be used again
        (the page keeps uploads across tries, so a refused form loses no file)."""
        super().__init__(*args, **kwargs)
        self.fields["engine"].choices = [AUTO_ENGINE, *engines]
        self.kept_products = kept_products

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        count = len(cleaned.get("products") or []) + self.kept_products
        if count > MAX_PRODUCTS:
            self.add_error(
                "products",
                f"Use at most {MAX_PRODUCTS} product images; {count} are chosen. "
                "Untick or choose fewer.",
            )
        prompt = cleaned.get("prompt")
        if prompt is not None:
            self._check_tokens(prompt, products=count)
        return cleaned

    def _check_tokens(self, prompt: str, *, products: int) -> None:
        if MODEL_TOKEN not in prompt:
            self.add_error(
                "prompt",
                f"Write {MODEL_TOKEN} where the identity should appear (the {MODEL_TOKEN} button "
                f"inserts it): without it the engine cannot tell who to draw.",
            )
        if products and PRODUCT_TOKEN not in prompt:
            self.add_error(
                "prompt",
                f"You added product images: write {PRODUCT_TOKEN} where they go, e.g. "
                f"“{MODEL_TOKEN} wearing {PRODUCT_TOKEN}”.",
            )
        if not products and PRODUCT_TOKEN in prompt:
            self.add_error(
                "prompt",
                f"{PRODUCT_TOKEN} stands for a product image: add one, or take {PRODUCT_TOKEN} "
                "out of the prompt.",
            )

    def run_inputs(
        self, *, identity_code: str, products: list[str], pose: str | None, prompt: str = ""
    ) -> dict[str, Any]:
        """The API's `inputs` for this form: `products` and `pose` are data-URIs; `prompt`
        replaces the form's (the live cost prices a prompt still being written)."""
        data = self.cleaned_data
        inputs: dict[str, Any] = {
            name: data[name]
            for name in (
                "face_reference_mode",
                "aspect_ratio",
                "resolution",
                "generation_mode",
                "output_format",
                "seed",
                "num_images",
                "engine",
            )
        }
        inputs["prompt"] = prompt or data["prompt"]
        inputs["identity_code"] = identity_code
        if products:
            inputs["product_images"] = products
        if pose:
            inputs["image_reference"] = pose
        return inputs


# The run service names the API's inputs; the form shows each refusal next to its own field.
FIELD_FOR_INPUT = {
    "product_images": "products",
    "image_reference": "pose",
    "identity_code": None,
    "face_reference": None,
}


def form_field_for(input_name: str | None, form: forms.Form) -> str | None:
    """The form field an API input path ("product_images[1]", "inputs.seed") belongs to."""
    if not input_name:
        return None
    name = input_name.split(".")[-1].split("[")[0]
    name = FIELD_FOR_INPUT.get(name, name)
    return name if name in form.fields else None
