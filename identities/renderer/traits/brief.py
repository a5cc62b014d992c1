"""The brief as folded, searchable text per field."""

from __future__ import annotations

from identities.renderer.words import fold

GROUPS = {
    "appearance": ("gender", "age", "ethnicity", "skin", "build", "size", "height", "expression"),
    "face": (
        "eyes",
        "eyebrows",
        "nose",
        "lips",
        "smile",
        "face_shape",
        "facial_hair",
        "makeup",
        "marks",
    ),
    "hair": ("color", "length", "style"),
}


class BriefText:
    """Field access by dotted path: `text("hair.color")` is folded text, " " when missing."""

    def __init__(self, brief: dict | None):
        self._raw: dict[str, object] = {}
        brief = brief if isinstance(brief, dict) else {}
        for group, names in GROUPS.items():
            values = brief.get(group)
            if not isinstance(values, dict):
                continue
            for name in names:
                value = values.get(name)
                if value not in (None, "") and not isinstance(value, dict | list):
                    self._raw[f"{group}.{name}"] = value
        # The API also accepts the skin tone under `face`; it means appearance.skin.
        face = brief.get("face")
        if "appearance.skin" not in self._raw and isinstance(face, dict):
            skin = face.get("skin")
            if isinstance(skin, str | int | float) and skin != "":
                self._raw["appearance.skin"] = skin

    def __call__(self, path: str) -> str:
        return fold(self._raw.get(path))

    def raw(self, path: str) -> object:
        return self._raw.get(path)

    def given(self, path: str) -> bool:
        return path in self._raw and fold(self._raw[path]).strip() != ""

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(self._raw)

    @property
    def everything(self) -> str:
        return " ".join(fold(value) for value in self._raw.values())
