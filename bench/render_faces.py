"""Does our own face detector see exactly one face in every in-house portrait?

    .venv/bin/python bench/render_faces.py [--count 500] [--seed 1] [--save-failures DIR]

Renders random briefs (each field a random chip or left open, a random aspect ratio, seed and
variation) at 1K through the `local` engine's painter, runs the configured face analyzer
(`identities.faces`) on each, and prints the one-face rate and the lowest detection score next
to the detector's threshold. The bar: 100 % with the lowest score at least threshold + 0.2.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bench.lib.samples import random_brief  # noqa: E402
from identities.engines.base import ASPECT_RATIOS  # noqa: E402
from identities.engines.sizes import pixel_size  # noqa: E402
from identities.faces import get_face_analyzer  # noqa: E402
from identities.renderer import render_portrait  # noqa: E402

MARGIN = 0.2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--save-failures", type=Path, default=None)
    args = parser.parse_args()
    analyzer = get_face_analyzer()
    threshold = analyzer.detection_threshold
    rng = np.random.default_rng(args.seed)
    one_face, scores, worst = 0, [], []
    started = time.perf_counter()
    for i in range(args.count):
        brief = random_brief(rng)
        ratio = ASPECT_RATIOS[int(rng.integers(len(ASPECT_RATIOS)))]
        seed, variation = int(rng.integers(2**32)), int(rng.integers(8))
        width, height = pixel_size("1K", ratio)
        image = render_portrait(
            brief, seed=seed, variation=variation, width=width, height=height
        ).image
        faces = analyzer.detect(image)
        best = max((f.score for f in faces), default=0.0)
        scores.append(best)
        one_face += len(faces) == 1
        if len(faces) != 1 or best < threshold + MARGIN:
            worst.append((best, len(faces), ratio, seed, variation, brief))
            if args.save_failures:
                args.save_failures.mkdir(parents=True, exist_ok=True)
                image.save(args.save_failures / f"{i:04d}_{len(faces)}faces.png")
    lowest = min(scores)
    print(f"{args.count} portraits in {time.perf_counter() - started:.0f} s ({analyzer.name})")
    print(f"exactly one face: {one_face}/{args.count} ({100.0 * one_face / args.count:.1f} %)")
    print(
        f"detection score: lowest {lowest:.3f}, median {np.median(scores):.3f}; "
        f"threshold {threshold:.2f}, bar {threshold + MARGIN:.2f} "
        f"({'ok' if lowest >= threshold + MARGIN and one_face == args.count else 'BELOW BAR'})"
    )
    for best, count, ratio, seed, variation, brief in sorted(worst, key=lambda w: w[0])[:10]:
        print(f"  {count} faces, score {best:.3f}, {ratio} seed={seed} v={variation}: {brief}")


if __name__ == "__main__":
    main()
