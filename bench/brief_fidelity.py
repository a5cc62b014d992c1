"""Do offline drafts match their brief, and are a job's variations different people?

    .venv/bin/python bench/brief_fidelity.py [--jobs 10] [--variations 3] [--seed 0]
    # with the photoreal preview (non-commercial weights; see the README's licence section):
    CASTLESS_ENABLE_MOBILE_STYLEGAN=true .venv/bin/python bench/brief_fidelity.py

Random briefs from the wizard's chips (bench/lib/samples.py) go through every offline engine
(the in-house painter, `local`; `mobile_stylegan` when it is enabled) as jobs of `--variations`
drafts at 1K 1:1, through the engine classes the workers call. Each draft is judged by readers
that are not the generator: YuNet for the face count, the age and gender networks, the From Image
skin and hair readers and the facial-hair reader (on faces the gender network calls male with
0.8 certainty, as From Image does), all through `identities.engines.stylegan.labels`, which
loads no generator. A field is scored only where the brief states it: gender female/male; age
within ten years; skin within one of six ITA buckets; hair colour by family (blonde, brown,
black, red, grey); facial hair present or absent (stubble is not scored: the reader does not
see it). Distinctness is the SFace cosine of every pair of drafts within a job, against the
calibrated same-person threshold (`identities.faces.similarity.SAME_PERSON`).

How independent the judges are of `mobile_stylegan` (printed with its figures, see NOTES):
its directions were fitted on labels from these same readers (bench/stylegan_fit_directions.py,
over other seeds), so it aims at what they see, not at what a person would say — look at the
drafts too (`--sheet`); it ranks and nudges candidates by those linear predictions alone and does
not choose a render by what the readers saw, except that a render YuNet finds no face or several
faces in is replaced by the next candidate (so "one face" is partly guarded by its own judge).
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from PIL import Image  # noqa: E402

from bench.lib.evaluation import SKIN_BUCKETS  # noqa: E402
from bench.lib.samples import random_brief  # noqa: E402
from identities.engines.base import RenderRequest  # noqa: E402
from identities.engines.registry import STYLEGAN, get_engine, stylegan_enabled  # noqa: E402
from identities.engines.stylegan.labels import PhotoLabels, read_labels  # noqa: E402
from identities.faces import get_face_analyzer  # noqa: E402
from identities.faces.similarity import SAME_PERSON, cosine  # noqa: E402
from identities.renderer.words import parse_age  # noqa: E402

FIELDS = ("one face", "gender", "age ±10", "skin ±1 bucket", "hair family", "facial hair")
# The targets for the photoreal engine; the painter is measured against the same.
TARGETS = dict(zip(FIELDS, (1.0, 0.95, 0.80, 0.80, 0.80, 0.90), strict=True))
MS_TARGET = 2000
BUCKETS = ("very light", "light", "intermediate", "tan", "brown", "dark")
HAIR_FAMILY = {
    **dict.fromkeys(
        ("platinum blonde", "ash blonde", "golden blonde", "strawberry blonde"), "blonde"
    ),
    **dict.fromkeys(("light brown", "chestnut", "dark brown"), "brown"),
    **dict.fromkeys(("black", "jet-black"), "black"),
    **dict.fromkeys(("auburn", "red", "copper"), "red"),
    **dict.fromkeys(("grey", "silver", "white"), "grey"),
}
BEARDED = {"short beard", "full beard", "moustache", "goatee"}
NOTES = {
    STYLEGAN: (
        "judges vs engine: candidates ranked and nudged by latent-space predictions only (fitted "
        "on these readers' labels, other seeds); no render chosen by the readers, except that a "
        "render YuNet sees no face or several faces in is replaced by the next candidate"
    ),
}


def judge(brief: dict, labels: PhotoLabels) -> dict[str, bool | None]:
    """Per field: True / False, or None when the brief does not state it."""
    appearance, face, hair = (brief.get(g, {}) for g in ("appearance", "face", "hair"))
    gender = appearance.get("gender")
    age, read_age = parse_age(appearance.get("age")), labels.values.get("age")
    verdict: dict[str, bool | None] = {
        "one face": labels.faces == 1,
        "gender": labels.gender == gender if gender in ("female", "male") else None,
        "age ±10": None
        if age is None
        else read_age is not None and not np.isnan(read_age) and abs(read_age - age) <= 10,
    }
    skin = SKIN_BUCKETS.get(appearance.get("skin", ""))
    got = SKIN_BUCKETS.get(labels.skin_chip or "")
    verdict["skin ±1 bucket"] = (
        None
        if skin is None
        else got is not None and abs(BUCKETS.index(got) - BUCKETS.index(skin)) <= 1
    )
    family = HAIR_FAMILY.get(hair.get("color", ""))
    verdict["hair family"] = (
        None if family is None else HAIR_FAMILY.get(labels.hair_colour or "") == family
    )
    wanted = face.get("facial_hair")
    if wanted in BEARDED | {"clean-shaven"} and gender != "female":
        male = labels.gender == "male" and labels.gender_probability >= 0.8
        verdict["facial hair"] = (male and labels.facial_hair is not None) == (wanted in BEARDED)
    else:
        verdict["facial hair"] = None
    return verdict


def request_for(brief: dict, seed: int, variation: int) -> RenderRequest:
    return RenderRequest(
        prompt="",
        brief=brief,
        expert=False,
        size="1K",
        ar="1:1",
        format="jpg",
        seed=seed,
        variation=variation,
    )


def run_engine(name: str, args) -> dict:
    """Render and judge `args.jobs` random jobs on one engine (the same briefs and seeds for
    every engine)."""
    engine = get_engine(name)
    analyzer = get_face_analyzer()
    engine.render(request_for({}, 0, 0))  # load models outside the timings
    rng = np.random.default_rng(args.seed)
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    timings, cpu, within, job_max, sheet = [], [], [], [], []
    for job in range(args.jobs):
        brief = random_brief(rng)
        seed = int(rng.integers(2**32))
        embeddings = []
        for variation in range(args.variations):
            started, started_cpu = time.perf_counter(), time.process_time()
            result = engine.render(request_for(brief, seed, variation))
            timings.append((time.perf_counter() - started) * 1000)
            # CPU time too: on a shared machine the wall clock mostly measures the neighbours.
            cpu.append((time.process_time() - started_cpu) * 1000)
            image = Image.open(io.BytesIO(result.image)).convert("RGB")
            sheet.append(image)
            labels = read_labels(np.asarray(image))
            verdict = judge(brief, labels)
            for field, ok in verdict.items():
                if ok is not None:
                    total[field] += 1
                    right[field] += bool(ok)
            if args.show and not all(ok is not False for ok in verdict.values()):
                wrong = [field for field, ok in verdict.items() if ok is False]
                read = {
                    "gender": labels.gender,
                    "p": round(labels.gender_probability, 2),
                    "age": round(labels.values.get("age", float("nan"))),
                    "skin": labels.skin_chip,
                    "hair": labels.hair_colour,
                    "facial_hair": labels.facial_hair,
                }
                print(f"  job {job} v{variation} missed {wrong}: {brief} → read {read}")
            faces = analyzer.detect(image)
            if faces:
                embeddings.append(analyzer.embed(image, faces[0]))
        pairs = [cosine(a, b) for a, b in itertools.combinations(embeddings, 2)]
        within += pairs
        if pairs:
            job_max.append(max(pairs))
    return {
        "right": right,
        "total": total,
        "timings": timings,
        "cpu": cpu,
        "within": within,
        "job_max": job_max,
        "sheet": sheet,
    }


def report(name: str, figures: dict) -> None:
    right, total = figures["right"], figures["total"]
    print(f"\n== {name}: {len(figures['timings'])} drafts")
    if name in NOTES:
        print(NOTES[name])
    print(f"{'field':<16}{'agree':>8}{'n':>6}{'target':>9}")
    for field in FIELDS:
        share = right[field] / total[field] if total[field] else float("nan")
        mark = "" if not total[field] else ("ok" if share >= TARGETS[field] else "below")
        print(f"{field:<16}{share:>8.0%}{total[field]:>6}{TARGETS[field]:>9.0%}  {mark}")
    within = np.asarray(figures["within"])
    if within.size:
        same = int((within >= SAME_PERSON).sum())
        print(
            f"distinctness (SFace cosine within a job, {within.size} pairs): "
            f"median {np.median(within):.2f}, min {within.min():.2f}, max {within.max():.2f}; "
            f"{same} pairs ({same / within.size:.0%}) at or above SAME_PERSON {SAME_PERSON}, "
            f"{int((within >= 0.5).sum())} at or above 0.5"
        )
        job_max = np.asarray(figures["job_max"])
        print(
            f"per job, the most similar pair: median {np.median(job_max):.2f}, "
            f"max {job_max.max():.2f}"
        )
    timings = np.asarray(figures["timings"])
    print(
        f"ms per 1K draft: median {np.median(timings):.0f}, p90 {np.percentile(timings, 90):.0f},"
        f" max {timings.max():.0f}; CPU median {np.median(figures['cpu']):.0f}"
        f" (photoreal target ≤ {MS_TARGET} on one core)"
    )


def save_sheet(images: list[Image.Image], path: Path, columns: int, tile: int = 200) -> None:
    rows = (len(images) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * tile, rows * tile), "white")
    for index, image in enumerate(images):
        position = ((index % columns) * tile, (index // columns) * tile)
        sheet.paste(image.resize((tile, tile)), position)
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=10)
    parser.add_argument("--variations", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engines", help="comma-separated; default: every offline engine")
    parser.add_argument("--show", action="store_true", help="print every draft that missed")
    parser.add_argument(
        "--sheet", type=Path, help="save each engine's drafts as <sheet>-<engine>.png"
    )
    args = parser.parse_args()
    engines = ["local", *([STYLEGAN] if stylegan_enabled() else [])]
    if args.engines:
        engines = [name.strip() for name in args.engines.split(",") if name.strip()]
    print(f"{args.jobs} jobs x {args.variations} variations, seed {args.seed}; engines: {engines}")
    for name in engines:
        figures = run_engine(name, args)
        report(name, figures)
        if args.sheet:
            target = args.sheet.with_name(f"{args.sheet.stem}-{name}.png")
            save_sheet(figures["sheet"], target, columns=args.variations)
    return 0


if __name__ == "__main__":
    sys.exit(main())
