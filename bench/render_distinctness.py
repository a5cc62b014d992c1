"""Are the in-house painter's variations different people to a face recogniser?

    .venv/bin/python bench/render_distinctness.py [--briefs 20] [--variations 4] [--seed 3]

Renders random chip briefs (each field a chip or left open), several variations of each (one
job: the same brief, each draft its own seed and variation index), at 1K 3:4, and embeds every
portrait with the product's recogniser (`identities.faces`, SFace by default). Prints the
median and maximum pairwise cosine within jobs and across briefs, how many pairs sit at or
above SFace's published same-person threshold and at or above the product's calibrated one
(`identities.faces.similarity.SAME_PERSON`), and the one-face rate.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# SFace's published same-person cosine threshold (OpenCV Zoo's face_recognition_sface).
SAME_PERSON = 0.363


def job_embeddings(
    analyzer, briefs: list[dict], variations: int, seed: int, size: tuple[int, int]
) -> tuple[list[list[np.ndarray | None]], int, int]:
    """Per brief, one embedding per variation (None when the detector did not see exactly one
    face); with the number of portraits that had exactly one face, and the total."""
    from identities.renderer import render_portrait

    width, height = size
    jobs, one_face, total = [], 0, 0
    for b, brief in enumerate(briefs):
        row = []
        for v in range(variations):
            # Like a job: every draft draws its own seed beside its variation index.
            image = render_portrait(
                brief, seed=seed * 1000 + b * 17 + v * 7919, variation=v, width=width, height=height
            ).image
            faces = analyzer.detect(image)
            total += 1
            if len(faces) == 1:
                one_face += 1
                row.append(analyzer.embed(image, faces[0]))
            else:
                row.append(None)
        jobs.append(row)
    return jobs, one_face, total


def within_and_across(jobs: list[list[np.ndarray | None]]) -> tuple[list[float], list[float]]:
    """Cosines of every pair of variations of one brief, and of every pair of drafts of
    different briefs."""
    within, across = [], []
    for row in jobs:
        found = [e for e in row if e is not None]
        within += [float(np.dot(a, b)) for a, b in itertools.combinations(found, 2)]
    for row_a, row_b in itertools.combinations(jobs, 2):
        for a in row_a:
            for b in row_b:
                if a is not None and b is not None:
                    across.append(float(np.dot(a, b)))
    return within, across


def _summary(name: str, values: list[float]) -> str:
    if not values:
        return f"{name}: no pairs"
    from identities.faces.similarity import SAME_PERSON as CALIBRATED

    same = sum(v >= SAME_PERSON for v in values)
    calibrated = sum(v >= CALIBRATED for v in values)
    return (
        f"{name}: median {np.median(values):.3f}, max {max(values):.3f}, "
        f"min {min(values):.3f} over {len(values)} pairs; "
        f">= {SAME_PERSON} (SFace's published threshold): {same} "
        f"({100.0 * same / len(values):.0f} %); >= {CALIBRATED} (the product's calibrated "
        f"same person): {calibrated} ({100.0 * calibrated / len(values):.0f} %)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--briefs", type=int, default=20)
    parser.add_argument("--variations", type=int, default=4)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from bench.lib.samples import random_brief
    from identities.engines.sizes import pixel_size
    from identities.faces import get_face_analyzer

    analyzer = get_face_analyzer()
    rng = np.random.default_rng(args.seed)
    briefs = [random_brief(rng) for _ in range(args.briefs)]
    started = time.perf_counter()
    jobs, one_face, total = job_embeddings(
        analyzer, briefs, args.variations, args.seed, pixel_size("1K", "3:4")
    )
    within, across = within_and_across(jobs)
    print(
        f"{args.briefs} briefs x {args.variations} variations in "
        f"{time.perf_counter() - started:.0f} s ({analyzer.name})"
    )
    print(f"exactly one face: {one_face}/{total} ({100.0 * one_face / total:.1f} %)")
    print(_summary("within a job ", within))
    print(_summary("across briefs", across))
    per_job = [
        np.median([float(np.dot(a, b)) for a, b in itertools.combinations(found, 2)])
        for found in ([e for e in row if e is not None] for row in jobs)
        if len(found) > 1
    ]
    print(f"per-job median cosine: worst {max(per_job):.3f}, best {min(per_job):.3f}")


if __name__ == "__main__":
    main()
