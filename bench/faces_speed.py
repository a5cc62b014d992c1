"""Median face-analysis latency on a 1024×1024 portrait, single-threaded and onnxruntime-default.

Run: `.venv/bin/python bench/faces_speed.py` (or `make bench`). The portrait is the largest face
of insightface's t1.jpg sample, cropped square with margin and upscaled to 1024×1024.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import insightface  # noqa: E402
from django.conf import settings  # noqa: E402
from PIL import Image  # noqa: E402

from identities.faces import FaceAnalyzer, build_default_analyzer  # noqa: E402

ROUNDS = 30
SIDE = 1024


def portrait(analyzer: FaceAnalyzer) -> Image.Image:
    group = Image.open(Path(insightface.__file__).parent / "data/images/t1.jpg").convert("RGB")
    face = analyzer.detect(group)[0]
    x1, y1, x2, y2 = face.bbox
    half = max(face.width, face.height) * 1.1
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    box = (
        int(max(0, cx - half)),
        int(max(0, cy - half)),
        int(min(group.width, cx + half)),
        int(min(group.height, cy + half)),
    )
    return group.crop(box).resize((SIDE, SIDE), Image.LANCZOS)


def median_ms(run: Callable[[], object]) -> float:
    run()  # warm-up: first calls allocate onnxruntime buffers
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def detect_and_embed(analyzer: FaceAnalyzer, image: Image.Image) -> None:
    faces = analyzer.detect(image)
    if len(faces) != 1:
        raise SystemExit(f"expected one face in the bench portrait, found {len(faces)}")
    analyzer.embed(image, faces[0])


def main() -> None:
    cache_dir = Path(settings.CASTLESS_MODEL_CACHE_DIR)
    print(f"{SIDE}×{SIDE} portrait, median of {ROUNDS} runs, {os.cpu_count()} CPUs")
    analyzers = {
        "1 thread": build_default_analyzer(cache_dir=cache_dir, threads=1),
        "onnxruntime default threads": build_default_analyzer(cache_dir=cache_dir, threads=0),
    }
    image = portrait(analyzers["1 thread"])
    for label, analyzer in analyzers.items():
        detect = median_ms(lambda a=analyzer: a.detect(image))
        both = median_ms(lambda a=analyzer: detect_and_embed(a, image))
        print(f"{analyzer.name} [{label}]: detect {detect:.1f} ms, detect+embed {both:.1f} ms")


if __name__ == "__main__":
    main()
