"""How long the in-house painter takes per portrait, on one core.

    .venv/bin/python bench/render_speed.py [--count N]

Draws one list of random chip briefs (the same ones each run) and renders them at 1K 3:4 and
1:1, then the first few of the same list, with the same seeds and ratios, at 2K and 4K: every
size paints the same portraits, so the sizes compare (each drawing its own briefs once let 4K
look faster than 2K). Prints the median milliseconds per portrait for each size, and for the
briefs all sizes share, the median of each and its ratio to 1K. Threads are pinned to one
before numpy or OpenCV load, so the figure is what one worker process gets from one core.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.lib.samples import random_brief  # noqa: E402
from identities.engines.sizes import pixel_size  # noqa: E402
from identities.renderer import render_portrait  # noqa: E402

TARGET_1K_MS = 250.0


RATIOS = ("3:4", "1:1")


def render_times(size: str, briefs: list[dict]) -> list[float]:
    """Milliseconds per portrait of `briefs` at `size` (brief i: seed 1000 + i, ratio i % 2)."""
    times = []
    for i, brief in enumerate(briefs):
        width, height = pixel_size(size, RATIOS[i % len(RATIOS)])
        started = time.perf_counter()
        render_portrait(brief, seed=1000 + i, variation=i % 4, width=width, height=height)
        times.append((time.perf_counter() - started) * 1000.0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=40, help="1K portraits to time")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    rng = np.random.default_rng(7)
    briefs = [random_brief(rng) for _ in range(args.count)]
    counts = {"1K": args.count, "2K": max(5, args.count // 8), "4K": max(3, args.count // 16)}
    # Warm up: the first render pays for imports and OpenCV's lazy initialisation.
    render_portrait({}, seed=0, width=512, height=512)
    times = {size: render_times(size, briefs[:count]) for size, count in counts.items()}
    one_k = statistics.median(times["1K"])
    verdict = "ok" if one_k <= TARGET_1K_MS else "OVER TARGET"
    print(f"1K median: {one_k:.0f} ms per portrait over {counts['1K']} briefs", end="")
    print(f" (target <= {TARGET_1K_MS:.0f} ms, {verdict})")
    for size in ("2K", "4K"):
        print(f"{size} median: {statistics.median(times[size]):.0f} ms over {counts[size]} briefs")
    shared = min(min(counts.values()), len(briefs))
    base = statistics.median(times["1K"][:shared])
    for size in counts:
        median = statistics.median(times[size][:shared])
        print(f"same {shared} briefs at {size}: median {median:.0f} ms ({median / base:.1f}× 1K)")


if __name__ == "__main__":
    main()
