"""Where does "the same person" start for the product's recogniser? Calibrates `SAME_PERSON`.

    CASTLESS_ENABLE_MOBILE_STYLEGAN=true \
    .venv/bin/python bench/face_thresholds.py [--people 24] [--strangers 16] [--seed 7]
    # without the setting (or with --no-stylegan) no generated photographs are measured:
    .venv/bin/python bench/face_thresholds.py

Embeds faces with `identities.faces` (SFace by default) and compares pairs that are one person
against pairs that are different people:

- same: edits of one MobileStyleGAN latent along the fitted directions (smile, head turn,
  backdrop, age, hair lightness; each by two label standard deviations, capped like the engine's
  nudge) and with its fine layers mixed from another face; crops, scales, mirroring, rotation
  and JPEG of one face (generated, painted and real); the painter re-rendering one identity
  (same brief, seed and variation) at another ratio and size.
- different: different MobileStyleGAN samples, the catalog's identities as the painter draws
  them, and the real people of insightface's t1.jpg.

Prints each distribution (min, percentiles, max), the false-match and false-non-match rates at
candidate thresholds, the lowest threshold above every different pair of photographs, and the
painter's figures apart: its different people score as one to SFace far more often than
photographs do, which the look-alike check is right to flag, so they would only drag a
threshold into the same-person range.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import insightface  # noqa: E402
from PIL import Image, ImageOps  # noqa: E402

from catalog.briefs import CATALOG  # noqa: E402
from identities.engines.registry import stylegan_enabled  # noqa: E402
from identities.faces import get_face_analyzer  # noqa: E402
from identities.faces.similarity import SAME_PERSON, cosine  # noqa: E402

T1 = Path(insightface.__file__).parent / "data" / "images" / "t1.jpg"
CANDIDATES = (0.363, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
EDITS = ("smile", "yaw", "bg_l", "age", "hair_l")


class Embedder:
    def __init__(self):
        self.analyzer = get_face_analyzer()
        self.seen = 0
        self.one_face = 0

    def __call__(self, image: Image.Image) -> np.ndarray | None:
        """The largest face's embedding, or None when no face is found."""
        faces = self.analyzer.detect(image)
        self.seen += 1
        self.one_face += len(faces) == 1
        return self.analyzer.embed(image, faces[0]) if faces else None


def augmentations(image: Image.Image) -> dict[str, Image.Image]:
    """One face as an upload would vary it: crop, scale, mirror, rotate, recompress."""
    w, h = image.size
    jpeg = io.BytesIO()
    image.save(jpeg, format="JPEG", quality=30)
    return {
        "crop": image.crop((int(w * 0.12), int(h * 0.08), int(w * 0.88), int(h * 0.92))),
        "scale": image.resize((max(64, w // 2), max(64, h // 2)), Image.Resampling.BILINEAR),
        "mirror": ImageOps.mirror(image),
        "rotate": image.rotate(8, resample=Image.Resampling.BICUBIC, fillcolor=(128, 128, 128)),
        "jpeg30": Image.open(io.BytesIO(jpeg.getvalue())).convert("RGB"),
    }


def augmented_pairs(embed: Embedder, image: Image.Image, reference: np.ndarray) -> list[float]:
    found = (embed(variant) for variant in augmentations(image).values())
    return [cosine(reference, e) for e in found if e is not None]


def stylegan_faces(args, embed: Embedder, same: dict, different: dict) -> list[Image.Image]:
    from identities.engines.stylegan.directions import load_directions
    from identities.engines.stylegan.latent import as_layers, candidate_latents, truncate
    from identities.engines.stylegan.model import get_generator
    from identities.engines.stylegan.steering import MAX_NUDGE

    generator = get_generator()
    directions = load_directions()
    mean = directions.mean_style.astype(np.float32)
    count = args.people + args.strangers
    styles = truncate(
        generator.map(candidate_latents(seed=args.seed, variation=0, count=count)), mean
    )
    with np.load(ROOT / "identities/engines/stylegan/directions.npz") as data:
        label_std = dict(zip((str(n) for n in data["names"]), data["label_std"], strict=True))
    images, originals = [], []
    for index, style in enumerate(styles):
        pixels = generator.synthesize(as_layers(style))
        image = Image.fromarray(pixels)
        reference = embed(image)
        originals.append(reference)
        if index >= args.people or reference is None:
            continue
        images.append(image)
        for label in EDITS:
            coef = directions.coef[directions.index(label)]
            move = coef * (2.0 * label_std[label]) / float(coef @ coef)
            limit = MAX_NUDGE * directions.spread
            move *= min(1.0, limit / float(np.linalg.norm(move)))
            edited = embed(Image.fromarray(generator.synthesize(as_layers(style + move))))
            if edited is not None:
                same.setdefault(f"stylegan edit: {label}", []).append(cosine(reference, edited))
        mixed = as_layers(style).copy()
        mixed[10:] = styles[(index + 1) % count]  # fine layers (32 px and up) from another face
        edited = embed(Image.fromarray(generator.synthesize(mixed)))
        if edited is not None:
            same.setdefault("stylegan edit: fine layers mixed", []).append(
                cosine(reference, edited)
            )
        same.setdefault("stylegan crop/scale/flip/jpeg", []).extend(
            augmented_pairs(embed, image.resize((512, 512)), reference)
        )
    found = [e for e in originals if e is not None]
    different["stylegan samples"] = [cosine(a, b) for a, b in itertools.combinations(found, 2)]
    return images


def painter_faces(embed: Embedder, same: dict, different: dict, painter_different: dict) -> None:
    from identities.renderer import render_portrait

    originals = []
    for index, (_name, _tier, appearance, face, hair) in enumerate(CATALOG):
        brief = {"appearance": appearance, "face": face, "hair": hair}
        seed = 1000 + index
        image = render_portrait(brief, seed=seed, variation=0, width=768, height=1024).image
        reference = embed(image)
        originals.append(reference)
        if reference is None:
            continue
        for width, height in ((1024, 1024), (1536, 2048)):
            again = render_portrait(brief, seed=seed, variation=0, width=width, height=height)
            other = embed(again.image)
            if other is not None:
                same.setdefault("painter re-render (ratio, size)", []).append(
                    cosine(reference, other)
                )
        same.setdefault("painter crop/scale/flip/jpeg", []).extend(
            augmented_pairs(embed, image, reference)
        )
    found = [e for e in originals if e is not None]
    painter_different["painter catalog identities"] = [
        cosine(a, b) for a, b in itertools.combinations(found, 2)
    ]


def real_faces(embed: Embedder, same: dict, different: dict) -> None:
    photo = Image.open(T1).convert("RGB")
    analyzer = embed.analyzer
    references = []
    for face in analyzer.detect(photo):
        reference = analyzer.embed(photo, face)
        references.append(reference)
        x1, y1, x2, y2 = face.bbox
        margin = 0.6 * max(x2 - x1, y2 - y1)
        box = (
            max(0, int(x1 - margin)),
            max(0, int(y1 - margin)),
            min(photo.width, int(x2 + margin)),
            min(photo.height, int(y2 + margin)),
        )
        crop = photo.crop(box).resize(((box[2] - box[0]) * 2, (box[3] - box[1]) * 2))
        same.setdefault("real (t1.jpg) crop/scale/flip/jpeg", []).extend(
            augmented_pairs(embed, crop, reference)
        )
    different["real people (t1.jpg)"] = [
        cosine(a, b) for a, b in itertools.combinations(references, 2)
    ]


def describe(name: str, values: list[float]) -> str:
    if not values:
        return f"  {name:<40} no pairs"
    v = np.asarray(values)
    p1, p5, p50, p95, p99 = np.percentile(v, [1, 5, 50, 95, 99])
    return (
        f"  {name:<40} n={len(v):>4}  min {v.min():.2f}  p1 {p1:.2f}  p5 {p5:.2f}  "
        f"median {p50:.2f}  p95 {p95:.2f}  p99 {p99:.2f}  max {v.max():.2f}"
    )


def rates(same: list[float], different: list[float], threshold: float) -> tuple[float, float]:
    """False matches (different ≥ threshold) and false non-matches (same < threshold)."""
    false_match = float(np.mean(np.asarray(different) >= threshold)) if different else 0.0
    false_non_match = float(np.mean(np.asarray(same) < threshold)) if same else 0.0
    return false_match, false_non_match


def choose(different: list[float], step: float = 0.05) -> float:
    """The lowest threshold on a `step` grid above every different-people pair measured.

    A new face is compared with every identity of an account, so a per-pair false-match rate
    multiplies: at 0.4 % per pair, an account of 50 identities would see a spurious warning on
    about one promotion in five. A missed look-alike after a large edit costs less.
    """
    return float(np.round((np.floor(max(different) / step) + 1) * step, 2))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=24, help="generated people edited")
    parser.add_argument("--strangers", type=int, default=16, help="more, for different pairs")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-stylegan", action="store_true")
    parser.add_argument("--sheet", type=Path, help="save the generated originals as a PNG")
    args = parser.parse_args()
    started = time.perf_counter()
    embed = Embedder()
    same: dict[str, list[float]] = {}
    different: dict[str, list[float]] = {}
    painter_different: dict[str, list[float]] = {}
    use_stylegan = stylegan_enabled() and not args.no_stylegan
    images = stylegan_faces(args, embed, same, different) if use_stylegan else []
    painter_faces(embed, same, different, painter_different)
    real_faces(embed, same, different)
    if args.sheet and images:
        save_sheet(images, args.sheet)
    print(
        f"recogniser: {embed.analyzer.name}; {embed.seen} images embedded, "
        f"{embed.one_face} with exactly one face; {time.perf_counter() - started:.0f} s"
    )
    print("same person:")
    for name, values in same.items():
        print(describe(name, values))
    print("different people:")
    for name, values in {**different, **painter_different}.items():
        print(describe(name, values))
    all_same = [v for values in same.values() for v in values]
    photo_different = [v for values in different.values() for v in values]
    print("threshold   false match (photos)  false match (painter)  false non-match")
    painter = [v for values in painter_different.values() for v in values]
    for threshold in sorted({*CANDIDATES, SAME_PERSON}):
        fm, fnm = rates(all_same, photo_different, threshold)
        painter_fm, _ = rates(all_same, painter, threshold)
        mark = "  <- SAME_PERSON" if threshold == SAME_PERSON else ""
        print(f"  {threshold:<9.3f} {fm:>18.1%} {painter_fm:>22.1%} {fnm:>16.1%}{mark}")
    chosen = choose(photo_different)
    _, missed = rates(all_same, photo_different, chosen)
    print(
        f"chosen threshold (lowest 0.05 step above every different pair of photos): "
        f"{chosen:.2f}, missing {missed:.1%} of same-person pairs; SAME_PERSON is {SAME_PERSON}"
    )
    return 0


def save_sheet(images: list[Image.Image], path: Path, tile: int = 192) -> None:
    columns = 8
    rows = (len(images) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * tile, rows * tile), "white")
    for index, image in enumerate(images):
        sheet.paste(
            image.resize((tile, tile)), ((index % columns) * tile, (index // columns) * tile)
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)


if __name__ == "__main__":
    sys.exit(main())
