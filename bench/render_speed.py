"""How long the in-house painter takes per portrait, on one core.

    .venv/bin/python bench/render_speed.py [--count N]

Renders random chip briefs (the same ones each run) at 1K 3:4 and 1:1, then a few at 2K and
4K, and prints the median milliseconds per portrait for each size. Threads are pinned to one
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


def median_ms(size: str, ratios: tuple[str, ...], count: int, rng: np.random.Generator) -> float:
    times = []
    for i in range(count):
        width, height = pixel_size(size, ratios[i % len(ratios)])
        brief = random_brief(rng)
        started = time.perf_counter()
        render_portrait(brief, seed=1000 + i, variation=i % 4, width=width, height=height)
        times.append((time.perf_counter() - started) * 1000.0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=40, help="1K portraits to time")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    rng = np.random.default_rng(7)
    # Warm up: the first render pays for imports and OpenCV's lazy initialisation.
    render_portrait({}, seed=0, width=512, height=512)
    one_k = median_ms("1K", ("3:4", "1:1"), args.count, rng)
    verdict = "ok" if one_k <= TARGET_1K_MS else "OVER TARGET"
    print(f"1K median: {one_k:.0f} ms per portrait (target <= {TARGET_1K_MS:.0f} ms, {verdict})")
    print(f"2K median: {median_ms('2K', ('3:4', '1:1'), max(5, args.count // 8), rng):.0f} ms")
    print(f"4K median: {median_ms('4K', ('3:4', '1:1'), max(3, args.count // 16), rng):.0f} ms")


if __name__ == "__main__":
    main()
