"""The Create images form: what it refuses by itself (the `$model` / `$product` words against the
images attached, how many files) and the API `inputs` it builds for the run service."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from identities.forms.runs import SEED_MAX, RunForm, form_field_for

ENGINES = [("painter", "Offline painter")]


def _data(**changes) -> dict:
    data = {
        "prompt": "$model in a linen shirt, studio backdrop",
        "face_reference_mode": "match_base",
        "num_images": "2",
        "aspect_ratio": "3:4",
        "resolution": "1k",
        "generation_mode": "automatic",
        "output_format": "png",
        "seed": "42",
        "engine": "auto",
    }
    data.update(changes)
    return data


def _png(name: str = "shirt.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x89PNG fake", content_type="image/png")


def _form(data, files=None, **kwargs) -> RunForm:
    return RunForm(data, MultiValueDict(files or {}), engines=ENGINES, **kwargs)


def test_a_prompt_with_model_builds_the_api_inputs():
    form = _form(_data())
    assert form.is_valid(), form.errors
    inputs = form.run_inputs(identity_code="ab12cd34ef56", products=[], pose=None)
    assert inputs == {
        "prompt": "$model in a linen shirt, studio backdrop",
        "identity_code": "ab12cd34ef56",
        "face_reference_mode": "match_base",
        "aspect_ratio": "3:4",
        "resolution": "1k",
        "generation_mode": "automatic",
        "output_format": "png",
        "seed": 42,
        "num_images": 2,
        "engine": "auto",
    }


def test_products_and_pose_travel_as_the_api_fields():
    form = _form(_data(prompt="$model wearing $product"), kept_products=1)
    assert form.is_valid(), form.errors
    inputs = form.run_inputs(
        identity_code="c", products=["data:image/png;base64,AA"], pose="data:image/jpeg;base64,BB"
    )
    assert inputs["product_images"] == ["data:image/png;base64,AA"]
    assert inputs["image_reference"] == "data:image/jpeg;base64,BB"


def test_a_prompt_without_model_is_refused_with_why():
    form = _form(_data(prompt="a woman in a linen shirt"))
    assert not form.is_valid()
    assert "Write $model where the identity should appear" in form.errors["prompt"][0]


def test_product_images_need_product_in_the_prompt():
    form = _form(_data(prompt="$model on a beach"), {"products": [_png()]})
    assert not form.is_valid()
    assert "write $product where they go" in form.errors["prompt"][0]


def test_product_in_the_prompt_needs_a_product_image():
    form = _form(_data(prompt="$model wearing $product"))
    assert not form.is_valid()
    assert "$product stands for a product image" in form.errors["prompt"][0]


def test_at_most_three_product_images_counting_the_kept_ones():
    files = {"products": [_png("a.png"), _png("b.png")]}
    form = _form(_data(prompt="$model wearing $product"), files, kept_products=2)
    assert not form.is_valid()
    assert form.errors["products"] == [
        "Use at most 3 product images; 4 are chosen. Untick or choose fewer."
    ]


def test_numbers_outside_the_reference_ranges_are_refused():
    form = _form(_data(num_images="5", seed=str(SEED_MAX + 1)))
    assert not form.is_valid()
    assert set(form.errors) == {"num_images", "seed"}
    assert _form(_data(seed=str(SEED_MAX))).is_valid()
    assert _form(_data(seed="0", num_images="4")).is_valid()


def test_unknown_choices_are_refused():
    form = _form(_data(aspect_ratio="7:5", resolution="8k", engine="midjourney"))
    assert not form.is_valid()
    assert set(form.errors) == {"aspect_ratio", "resolution", "engine"}


def test_the_ten_ratios_of_the_reference_are_offered():
    offered = {value for value, _ in RunForm(engines=ENGINES).fields["aspect_ratio"].choices}
    assert offered == {"21:9", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "4:5", "5:4", "1:1"}


def test_the_services_input_names_map_onto_the_form_fields():
    form = RunForm(engines=ENGINES)
    assert form_field_for("product_images[1]", form) == "products"
    assert form_field_for("image_reference", form) == "pose"
    assert form_field_for("inputs.resolution", form) == "resolution"
    assert form_field_for("identity_code", form) is None
    assert form_field_for(None, form) is None
