"""From Image on real photographs: per-field accuracy on hand-labelled faces.

    .venv/bin/python bench/extract_image_real_eval.py [--only real|photoreal|casts] [--misses]

Sets (labels in tests/identities/extraction_eval/, written by a person looking at each face):
- real: every real face that ships in an installed package (insightface's t1.jpg group still,
  six faces read one at a time from a portrait crop around each; scikit-image's astronaut;
  two greyscale photos, whose colour fields must stay empty) — real_photos.json;
- photoreal: raw MobileStyleGAN samples (photoreal_faces.json), drawn here when
  CASTLESS_ENABLE_MOBILE_STYLEGAN=true and the runtime is installed, cached in --cache;
- casts: the colour-labelled faces of both sets again under four colour casts (tungsten,
  shade, fluorescent green, magenta), as a camera set to the wrong white balance records them.

A field left empty counts as wrong in "accuracy", except where the label says it must stay
empty; "answered" is the accuracy of the readings given. Skin is scored on the exact chips a
viewer accepted, by ITA bucket, and within one chip of an accepted one (the skin scale's order:
porcelain … deep, olive beside medium). "sure & wrong" counts wrong skin readings given with
confidence ≥ 0.8 — the failure a user cannot see.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from PIL import Image  # noqa: E402

from bench.lib.evaluation import EVAL_DIR, image_matches  # noqa: E402
from identities.extraction import ExtractionError  # noqa: E402
from identities.extraction.photo import read_photo  # noqa: E402
from identities.faces import get_face_analyzer  # noqa: E402

# Linear-light channel gains of a wrong white balance (what each cast multiplies R, G, B by).
CASTS = {
    "tungsten": (1.0, 0.82, 0.55),
    "shade": (0.78, 0.9, 1.0),
    "green": (0.85, 1.0, 0.85),
    "magenta": (1.0, 0.8, 0.95),
}
SURE = 0.8
SKIN_ORDER = (
    "porcelain", "fair", "light", "light-medium", "medium", "tan", "brown", "deep brown", "deep",
)  # fmt: skip


def within_one_chip(got: str | None, accepted: list[str]) -> bool:
    if got is None:
        return False
    rank = {chip: i for i, chip in enumerate(SKIN_ORDER)} | {"olive": SKIN_ORDER.index("medium")}
    wanted = [rank[chip] for chip in accepted if chip in rank]
    return got in rank and min(wanted) - 1 <= rank[got] <= max(wanted) + 1


@dataclass(frozen=True)
class Case:
    id: str
    set: str
    image: Image.Image
    expected: dict[str, list[str] | None]


def _package_file(package: str, path: str) -> Path:
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{package} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / path


def portrait_crop(photo: Image.Image, point: tuple[float, float]) -> Image.Image:
    """The face containing `point`, framed as a portrait (room for hair and shoulders)."""
    faces = get_face_analyzer().detect(np.ascontiguousarray(np.asarray(photo)[:, :, ::-1]))
    x, y = point
    face = next(f for f in faces if f.bbox[0] <= x <= f.bbox[2] and f.bbox[1] <= y <= f.bbox[3])
    x1, y1, x2, y2 = face.bbox
    width, height = x2 - x1, y2 - y1
    box = (x1 - 1.2 * width, y1 - 1.0 * height, x2 + 1.2 * width, y2 + 1.4 * height)
    box = (max(0, box[0]), max(0, box[1]), min(photo.width, box[2]), min(photo.height, box[3]))
    return photo.crop(tuple(int(round(v)) for v in box))


def real_cases() -> list[Case]:
    spec = json.loads((EVAL_DIR / "real_photos.json").read_text())
    cases = []
    for item in spec["photos"]:
        photo = Image.open(_package_file(item["package"], item["path"])).convert("RGB")
        if "face" in item:
            photo = portrait_crop(photo, tuple(item["face"]))
        cases.append(Case(item["id"], "real", photo, item["expected"]))
    return cases


def photoreal_cases(cache: Path) -> list[Case]:
    spec = json.loads((EVAL_DIR / "photoreal_faces.json").read_text())
    enabled = getattr(settings, "CASTLESS_ENABLE_MOBILE_STYLEGAN", False)
    if not enabled:
        print("photoreal: skipped (set CASTLESS_ENABLE_MOBILE_STYLEGAN=true to draw it)")
        return []
    from identities.engines.stylegan.latent import as_layers
    from identities.engines.stylegan.model import get_generator, runtime_installed

    if not runtime_installed():
        print("photoreal: skipped (OpenVINO or the random-face model files are missing)")
        return []
    cache.mkdir(parents=True, exist_ok=True)
    cases = []
    for item in spec["faces"]:
        seed = spec["seed_base"] + item["index"]
        path = cache / f"mobile_stylegan_{seed}.png"
        if not path.exists():
            generator = get_generator()
            z = np.random.default_rng(seed).standard_normal((1, 512), dtype=np.float32)
            Image.fromarray(generator.synthesize(as_layers(generator.map(z)[0]))).save(path)
        image = Image.open(path).convert("RGB")
        cases.append(Case(f"sg{item['index']:02d}", "photoreal", image, item["expected"]))
    return cases


def with_cast(image: Image.Image, gains: tuple[float, float, float]) -> Image.Image:
    srgb = np.asarray(image, dtype=np.float64) / 255.0
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(linear * np.asarray(gains), 0.0, 1.0)
    out = np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)
    return Image.fromarray(np.round(out * 255).astype(np.uint8))


def cast_cases(cases: list[Case]) -> list[Case]:
    out = []
    for case in cases:
        if not case.expected.get("appearance.skin"):
            continue
        for name, gains in CASTS.items():
            expected = {"appearance.skin": case.expected["appearance.skin"]}
            out.append(Case(f"{case.id}/{name}", "casts", with_cast(case.image, gains), expected))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=("real", "photoreal", "casts"))
    parser.add_argument("--misses", action="store_true")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "castless-photoreal-eval",
        help="where the photoreal samples are kept between runs",
    )
    args = parser.parse_args()
    base = real_cases()
    if args.only in (None, "photoreal", "casts"):
        base += photoreal_cases(args.cache)
    cases = [c for c in base if args.only in (None, c.set)]
    if args.only in (None, "casts"):
        cases += cast_cases(base)
    right: dict[tuple[str, str], int] = defaultdict(int)
    total: dict[tuple[str, str], int] = defaultdict(int)
    empty: dict[tuple[str, str], int] = defaultdict(int)
    sure_wrong: dict[str, int] = defaultdict(int)
    misses = []
    for case in cases:
        try:
            readings = read_photo(case.image).readings
        except ExtractionError as error:
            readings = {}
            misses.append(f"{case.id}: refused ({error.code})")
        for path, accepted in case.expected.items():
            key = (case.set, path)
            total[key] += 1
            reading = readings.get(path)
            got = reading.value if reading else None
            empty[key] += got is None
            if accepted is None:
                ok = got is None
            else:
                ok = image_matches(path, got, accepted) and (
                    path != "appearance.skin" or got in accepted
                )
            right[key] += ok
            if not ok:
                want = "(empty)" if accepted is None else " / ".join(accepted)
                sure = f" ({reading.confidence:.2f})" if reading else ""
                misses.append(f"{case.id} {path}: got {got or '—'}{sure}, want {want}")
            if path == "appearance.skin" and accepted:
                for name, hit in (
                    ("ITA bucket", image_matches(path, got, accepted)),
                    ("within one chip", within_one_chip(got, accepted)),
                ):
                    extra = (case.set, f"appearance.skin ({name})")
                    total[extra] += 1
                    right[extra] += hit
                    empty[extra] += got is None
                if not ok and reading is not None and reading.confidence >= SURE:
                    sure_wrong[case.set] += 1
    print(f"From Image on real photographs, {len(cases)} readings")
    print(
        f"{'set':10s} {'field':34s} {'accuracy':>9s} {'right':>7s} {'empty':>6s} {'answered':>9s}"
    )
    for key in sorted(total):
        kind, path = key
        accuracy = right[key] / total[key]
        given = total[key] - empty[key]
        answered = f"{right[key] / given:9.0%}" if given else f"{'—':>9s}"
        print(
            f"{kind:10s} {path:34s} {accuracy:9.0%} {right[key]:3d}/{total[key]:<3d} "
            f"{empty[key]:5d} {answered}"
        )
    for kind in sorted({c.set for c in cases}):
        print(f"{kind:10s} skin sure (≥ {SURE}) & wrong: {sure_wrong[kind]}")
    if args.misses:
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
