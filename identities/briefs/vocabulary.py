"""The brief's vocabulary: its groups and fields, in the wizard's order, with suggestion chips.

One source for the wizard (labels, help text, chips), the schema (which fields exist, how long a
value may be), the prompt builder and the in-house renderer (which values it knows how to draw).
Chip values are written the way a brand's creative team writes a casting brief; anything off-menu
is still accepted as free text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chip:
    value: str
    # Shown beside the value, never sent (e.g. the EU/US equivalents of a letter size).
    hint: str = ""


@dataclass(frozen=True)
class Field:
    group: str
    name: str
    label: str
    placeholder: str
    chips: tuple[Chip, ...]
    max_length: int

    @property
    def path(self) -> str:
        return f"{self.group}.{self.name}"


# An expert prompt is one paragraph; a detailed one runs to about 650 characters.
PROMPT_MAX_LENGTH = 2000
NAME_MAX_LENGTH = 120

GROUPS: tuple[str, ...] = ("appearance", "face", "hair")
GROUP_LABELS: dict[str, str] = {"appearance": "Appearance", "face": "Face", "hair": "Hair"}


def _chips(*values: str) -> tuple[Chip, ...]:
    return tuple(Chip(value) for value in values)


# Letter sizes as casting sheets list them; hints give womenswear / menswear EU and US equivalents
# because brands sell in both markets and size charts differ by gender.
_SIZE_CHIPS = (
    Chip("XXS", "women EU 30–32 · US 00–0"),
    Chip("XS", "women EU 32–34 · US 0–2 · men EU 44 · US 34"),
    Chip("S", "women EU 36–38 · US 4–6 · men EU 46 · US 36"),
    Chip("M", "women EU 40–42 · US 8–10 · men EU 48–50 · US 38–40"),
    Chip("L", "women EU 44–46 · US 12–14 · men EU 52 · US 42"),
    Chip("XL", "women EU 48–50 · US 16–18 · men EU 54 · US 44"),
    Chip("XXL", "women EU 52–54 · US 20–22 · men EU 56 · US 46"),
    Chip("3XL", "women EU 56–58 · US 24–26 · men EU 58 · US 48"),
)

# Heights in centimetres (the unit of European comp cards) with feet and inches as the hint.
_HEIGHT_CHIPS = (
    Chip("petite", "under 163 cm · 5′4″"),
    Chip("160 cm", "5′3″"),
    Chip("165 cm", "5′5″"),
    Chip("170 cm", "5′7″"),
    Chip("175 cm", "5′9″"),
    Chip("178 cm", "5′10″"),
    Chip("180 cm", "5′11″"),
    Chip("185 cm", "6′1″"),
    Chip("190 cm", "6′3″"),
    Chip("tall", "over 175 cm · 5′9″"),
)

FIELDS: tuple[Field, ...] = (
    # Appearance
    Field(
        "appearance",
        "gender",
        "Gender",
        "e.g. female, male, non-binary",
        _chips("female", "male", "non-binary", "androgynous"),
        40,
    ),
    Field(
        "appearance",
        "age",
        "Age",
        "An age or range, 18 or over (e.g. 28, early 30s)",
        _chips("18–20", "22", "25", "28", "early 30s", "35", "40s", "50s", "60s", "70+"),
        40,
    ),
    Field(
        "appearance",
        "ethnicity",
        "Ethnicity",
        "e.g. North European, mixed East Asian and Latina",
        _chips(
            "North European",
            "South European",
            "East European",
            "East Asian",
            "South Asian",
            "Southeast Asian",
            "Middle Eastern",
            "North African",
            "West African",
            "East African",
            "Latina",
            "Latino",
            "Afro-Caribbean",
            "Pacific Islander",
            "Indigenous American",
            "mixed heritage",
        ),
        100,
    ),
    Field(
        "appearance",
        "skin",
        "Skin tone",
        "e.g. light with warm undertones",
        _chips(
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
        ),
        80,
    ),
    Field(
        "appearance",
        "build",
        "Build",
        "e.g. slim, athletic, curvy",
        _chips("slim", "lean", "athletic", "toned", "average", "curvy", "plus-size", "muscular"),
        60,
    ),
    Field("appearance", "size", "Size", "Clothing size, e.g. S or EU 36", _SIZE_CHIPS, 40),
    Field("appearance", "height", "Height", "e.g. 178 cm or 5′10″", _HEIGHT_CHIPS, 40),
    Field(
        "appearance",
        "expression",
        "Expression",
        "e.g. confident and relaxed",
        _chips(
            "neutral",
            "confident",
            "relaxed",
            "serene",
            "warm",
            "friendly",
            "serious",
            "focused",
            "playful",
            "soft smile",
            "editorial",
        ),
        80,
    ),
    # Face
    Field(
        "face",
        "eyes",
        "Eyes",
        "Colour and shape, e.g. pale blue, almond-shaped",
        _chips(
            "pale blue",
            "blue",
            "green",
            "hazel",
            "amber",
            "light brown",
            "brown",
            "dark brown",
            "grey",
            "almond-shaped",
            "hooded",
            "monolid",
            "round",
            "deep-set",
        ),
        100,
    ),
    Field(
        "face",
        "eyebrows",
        "Eyebrows",
        "Shape and density, e.g. natural arched",
        _chips(
            "natural",
            "natural arched",
            "straight",
            "soft arched",
            "thick",
            "full",
            "bushy",
            "thin",
            "feathered",
            "bleached",
        ),
        80,
    ),
    Field(
        "face",
        "nose",
        "Nose",
        "e.g. straight, small and upturned",
        _chips(
            "straight",
            "small",
            "button",
            "upturned",
            "aquiline",
            "Roman",
            "broad",
            "wide",
            "narrow",
            "snub",
        ),
        80,
    ),
    Field(
        "face",
        "lips",
        "Lips",
        "e.g. full, defined cupid's bow",
        _chips("thin", "medium", "full", "plump", "wide", "defined cupid's bow", "heart-shaped"),
        80,
    ),
    Field(
        "face",
        "smile",
        "Smile",
        "e.g. closed-lip smile",
        _chips(
            "no smile",
            "closed-lip smile",
            "soft smile",
            "slight smile",
            "wide smile",
            "toothy smile",
            "gap-toothed smile",
            "dimples",
        ),
        80,
    ),
    Field(
        "face",
        "face_shape",
        "Face shape",
        "e.g. oval, high cheekbones",
        _chips(
            "oval",
            "round",
            "square",
            "heart",
            "diamond",
            "oblong",
            "high cheekbones",
            "strong jawline",
            "soft jawline",
        ),
        80,
    ),
    Field(
        "face",
        "facial_hair",
        "Facial hair",
        "e.g. clean-shaven, short beard",
        _chips(
            "clean-shaven",
            "stubble",
            "short beard",
            "full beard",
            "moustache",
            "goatee",
        ),
        80,
    ),
    Field(
        "face",
        "makeup",
        "Makeup",
        "e.g. natural minimal, matte finish",
        _chips(
            "no makeup",
            "natural minimal",
            "dewy",
            "matte",
            "soft glam",
            "bold lip",
            "red lip",
            "smoky eye",
            "winged eyeliner",
            "glossy lids",
        ),
        120,
    ),
    Field(
        "face",
        "marks",
        "Distinguishing marks",
        "Freckles, moles, small tattoos, piercings, scars",
        _chips(
            "freckles",
            "light freckles",
            "beauty mark",
            "mole on cheek",
            "vitiligo",
            "small tattoo",
            "nose piercing",
            "septum ring",
            "eyebrow piercing",
            "scar on chin",
            "scar on eyebrow",
        ),
        160,
    ),
    # Hair
    Field(
        "hair",
        "color",
        "Hair colour",
        "e.g. ash blonde, chestnut",
        _chips(
            "platinum blonde",
            "ash blonde",
            "golden blonde",
            "strawberry blonde",
            "light brown",
            "chestnut",
            "dark brown",
            "black",
            "jet-black",
            "auburn",
            "red",
            "copper",
            "grey",
            "silver",
            "white",
        ),
        80,
    ),
    Field(
        "hair",
        "length",
        "Hair length",
        "e.g. shoulder-length",
        _chips(
            "shaved",
            "buzz cut",
            "cropped",
            "short",
            "chin-length",
            "shoulder-length",
            "medium",
            "long",
            "very long",
        ),
        60,
    ),
    Field(
        "hair",
        "style",
        "Hair style",
        "e.g. wavy, middle part, low bun",
        _chips(
            "straight",
            "wavy",
            "curly",
            "coily",
            "afro",
            "braids",
            "locs",
            "bob",
            "pixie cut",
            "slicked back",
            "middle part",
            "side part",
            "bangs",
            "curtain bangs",
            "ponytail",
            "low bun",
            "top knot",
        ),
        120,
    ),
)

_BY_PATH: dict[tuple[str, str], Field] = {(f.group, f.name): f for f in FIELDS}


def field(group: str, name: str) -> Field:
    """The field `group.name`; KeyError when the brief has no such field."""
    return _BY_PATH[(group, name)]


def fields_of(group: str) -> tuple[Field, ...]:
    return tuple(f for f in FIELDS if f.group == group)


def field_names(group: str) -> tuple[str, ...]:
    return tuple(f.name for f in FIELDS if f.group == group)


def chip_values(group: str, name: str) -> tuple[str, ...]:
    return tuple(chip.value for chip in field(group, name).chips)
