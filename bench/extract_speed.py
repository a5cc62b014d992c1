"""How long From Image and From Text take, on one core.

    .venv/bin/python bench/extract_speed.py [--count N]

From Image: the embedded reader (detection, mesh, irises, age and gender, colours) on 1K
photos — in-house renders at 1024 x 1024 and insightface's t1.jpg (1280 x 886, six faces) —
decoded once, so the figure is the reading itself. From Text: every evaluation paragraph.
Targets (issue 6): From Image ≤ 300 ms median, From Text ≤ 20 ms median. Exits 1 when missed.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import cv2  # noqa: E402
import django  # noqa: E402

cv2.setNumThreads(1)
django.setup()

from PIL import Image  # noqa: E402

from bench.lib.evaluation import case_image, image_cases, paragraphs, t1_path  # noqa: E402
from identities.extraction.photo import read_photo  # noqa: E402
from identities.extraction.text import parse_paragraph  # noqa: E402

TARGET_IMAGE_MS = 300.0
TARGET_TEXT_MS = 20.0


def median_ms(work, items, repeat: int) -> float:
    work(items[0])  # models load on first use
    times = []
    for _ in range(repeat):
        for item in items:
            started = time.perf_counter()
            work(item)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10, help="renders to time")
    args = parser.parse_args()
    renders = [case_image(c) for c in image_cases() if c.kind == "render"][: args.count]
    photo = Image.open(t1_path()).convert("RGB")
    texts = [case["text"] for case in paragraphs()]
    image_ms = median_ms(read_photo, renders, 3)
    photo_ms = median_ms(read_photo, [photo], 10)
    text_ms = median_ms(parse_paragraph, texts, 5)
    print(f"From Image, 1024x1024 renders ({len(renders)}): median {image_ms:.0f} ms")
    print(f"From Image, t1.jpg 1280x886, 6 faces: median {photo_ms:.0f} ms")
    print(f"From Text, {len(texts)} paragraphs: median {text_ms:.1f} ms")
    ok = max(image_ms, photo_ms) <= TARGET_IMAGE_MS and text_ms <= TARGET_TEXT_MS
    print(
        f"targets From Image ≤ {TARGET_IMAGE_MS:.0f} ms, From Text ≤ {TARGET_TEXT_MS:.0f} ms: "
        + ("met" if ok else "MISSED")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
