"""Scoring extraction against the evaluation set in tests/identities/extraction_eval/.

Shared by the benchmarks (bench/extract_*_eval.py, the full figures) and the tests (a few items,
so a regression fails CI). Text: a field's value is a comma-separated list of items; an item
counts as found when the expected list has it too (case and articles ignored), so precision,
recall and F1 are per item, micro-averaged per field and overall.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parents[2] / "tests" / "identities" / "extraction_eval"


@dataclass
class Counts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.true_positive += other.true_positive
        self.false_positive += other.false_positive
        self.false_negative += other.false_negative


@dataclass
class TextScore:
    fields: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    misses: list[str] = field(default_factory=list)

    @property
    def overall(self) -> Counts:
        total = Counts()
        for counts in self.fields.values():
            total.add(counts)
        return total


def paragraphs(split: str | None = None) -> list[dict]:
    cases = json.loads((EVAL_DIR / "paragraphs.json").read_text())
    return [case for case in cases if split in (None, "all", case["split"])]


def _items(value: str | None) -> set[str]:
    if not value:
        return set()
    return {
        re.sub(r"\b(?:the|a|an)\b\s*", "", item.strip().lower()).strip()
        for item in value.split(",")
        if item.strip()
    }


def score_text(cases: Iterable[dict], parse: Callable[[str], dict[str, str]]) -> TextScore:
    """`parse(text)` gives {"hair.color": "jet-black", ...}."""
    score = TextScore()
    for case in cases:
        found = parse(case["text"])
        expected = case["expected"]
        for path in sorted(set(found) | set(expected)):
            got, want = _items(found.get(path)), _items(expected.get(path))
            counts = score.fields[path]
            counts.true_positive += len(got & want)
            counts.false_positive += len(got - want)
            counts.false_negative += len(want - got)
            if got != want:
                score.misses.append(
                    f"{case['id']} {path}: got {sorted(got) or '—'}, want {sorted(want) or '—'}"
                )
    return score


# Images


@dataclass(frozen=True)
class ImageCase:
    id: str
    kind: str  # "render" | "photo"
    expected: dict[str, list[str]]  # field → accepted values (a real face may fit several)
    brief: dict | None = None
    seed: int = 0
    size: str = "1K"
    ar: str = "1:1"
    face: tuple[float, float] | None = None  # photo: a point inside the face's box


def image_cases() -> list[ImageCase]:
    spec = json.loads((EVAL_DIR / "images.json").read_text())
    cases = []
    for item in spec["renders"]:
        brief = item["brief"]
        expected = {
            f"{group}.{name}": [value]
            for group, values in brief.items()
            for name, value in values.items()
        }
        cases.append(
            ImageCase(
                id=item["id"],
                kind="render",
                expected=expected,
                brief=brief,
                seed=item["seed"],
                size=item.get("size", "1K"),
                ar=item.get("ar", "1:1"),
            )
        )
    for item in spec["photos"]:
        cases.append(
            ImageCase(
                id=item["id"],
                kind="photo",
                expected=item["expected"],
                face=tuple(item["face"]),
            )
        )
    return cases


# What counts as the same answer when scoring images. Skin: the six ITA categories of
# dermatology (Chardon 1991) that each chip falls in (see extraction/skin.py).
SKIN_BUCKETS = {
    "porcelain": "very light",
    "fair": "very light",
    "light": "light",
    "light-medium": "light",
    "medium": "intermediate",
    "olive": "intermediate",
    "tan": "tan",
    "brown": "brown",
    "deep brown": "brown",
    "deep": "dark",
}
# "jet-black" is "black" said louder: renders of both measure the same.
HAIR_SAME = {"jet-black": "black"}


def image_matches(path: str, got: str | None, accepted: list[str]) -> bool:
    if got is None:
        return False
    if path == "appearance.skin":
        return SKIN_BUCKETS.get(got) in {SKIN_BUCKETS.get(value) for value in accepted}
    if path == "hair.color":
        return HAIR_SAME.get(got, got) in {HAIR_SAME.get(value, value) for value in accepted}
    return got in accepted


def case_image(case: ImageCase):
    """The picture an image case is read from: a render of its brief (through the in-house
    engine, JPEG and all, as a draft would be) or the crop of t1.jpg around its face."""
    from identities.imaging import load_image

    if case.kind == "render":
        from identities.engines.base import RenderRequest
        from identities.engines.inhouse import LocalEngine

        request = RenderRequest(
            prompt="",
            brief=case.brief,
            expert=False,
            size=case.size,
            ar=case.ar,
            format="jpg",
            seed=case.seed,
        )
        return load_image(LocalEngine().render(request).image)
    return _photo_crop(case)


def t1_path() -> Path:
    import insightface

    return Path(insightface.__file__).parent / "data" / "images" / "t1.jpg"


def _photo_crop(case: ImageCase):
    from PIL import Image

    from identities.faces import get_face_analyzer

    photo = Image.open(t1_path()).convert("RGB")
    x, y = case.face
    faces = get_face_analyzer().detect(photo)
    face = next(f for f in faces if f.bbox[0] <= x <= f.bbox[2] and f.bbox[1] <= y <= f.bbox[3])
    x1, y1, x2, y2 = face.bbox
    width, height = x2 - x1, y2 - y1
    # Room for the hair above and beside the face, as a portrait would frame it.
    box = (x1 - 1.2 * width, y1 - 1.0 * height, x2 + 1.2 * width, y2 + 1.4 * height)
    box = tuple(int(round(v)) for v in box)
    clipped = (max(0, box[0]), max(0, box[1]), min(photo.width, box[2]), min(photo.height, box[3]))
    return photo.crop(clipped)
