import pytest

from identities.briefs.vocabulary import (
    FIELDS,
    GROUPS,
    Chip,
    Field,
    chip_values,
    field,
    field_names,
)


def test_groups_and_fields_come_in_the_wizards_order():
    assert GROUPS == ("appearance", "face", "hair")
    assert field_names("appearance") == (
        "gender",
        "age",
        "ethnicity",
        "skin",
        "build",
        "size",
        "height",
        "expression",
    )
    assert field_names("face") == (
        "eyes",
        "eyebrows",
        "nose",
        "lips",
        "smile",
        "face_shape",
        "facial_hair",
        "makeup",
        "marks",
    )
    assert field_names("hair") == ("color", "length", "style")
    assert [f.path for f in FIELDS][:2] == ["appearance.gender", "appearance.age"]


def test_every_field_has_a_label_help_text_chips_and_a_length_limit():
    for item in FIELDS:
        assert isinstance(item, Field)
        assert item.label and item.placeholder
        assert len(item.chips) >= 4, item.path
        assert all(isinstance(chip, Chip) and chip.value for chip in item.chips)
        assert all(len(chip.value) <= item.max_length for chip in item.chips)
        assert len(set(chip_values(item.group, item.name))) == len(item.chips), item.path


def test_common_values_are_offered_as_chips():
    assert chip_values("appearance", "skin") == (
        "porcelain",
        "fair",
        "light",
        "light-medium",
        "medium",
        "olive",
        "tan",
        "brown",
        "deep brown",
        "deep",
    )
    assert {"pale blue", "hazel", "amber", "grey"} <= set(chip_values("face", "eyes"))
    assert {"ash blonde", "jet-black", "auburn", "copper"} <= set(chip_values("hair", "color"))
    assert {"freckles", "beauty mark", "septum ring", "scar on chin"} <= set(
        chip_values("face", "marks")
    )
    assert chip_values("face", "facial_hair") == (
        "clean-shaven",
        "stubble",
        "short beard",
        "full beard",
        "moustache",
        "goatee",
    )
    assert "18–20" in chip_values("appearance", "age")


def test_size_chips_carry_eu_and_us_hints():
    for chip in field("appearance", "size").chips:
        assert "EU" in chip.hint and "US" in chip.hint, chip
    assert field("appearance", "size").chips[2] == Chip(
        "S", "women EU 36–38 · US 4–6 · men EU 46 · US 36"
    )


def test_fields_are_frozen():
    with pytest.raises(AttributeError):
        field("hair", "color").label = "Colour"  # type: ignore[misc]


def test_an_unknown_field_is_a_key_error():
    with pytest.raises(KeyError):
        field("face", "eye_colour")
