"""Fit MobileStyleGAN's brief directions from labelled samples; writes directions.npz.

    CASTLESS_ENABLE_MOBILE_STYLEGAN=true \
    .venv/bin/python bench/stylegan_fit_directions.py [--samples 1200] [--workers 2] [--refit]

Samples latent i from the seed sequence (FIT_SEED, i), renders it at ψ = 1, labels the photo
with the independent readers (identities/engines/stylegan/labels.py) and keeps the mapped style
and its labels in a cache under var/ (so a refit does not re-render). Then fits, per label, a
ridge regression from the 512-d style to the label, the penalty chosen by 5-fold cross-validated
R² (printed), and writes the linear predictors and the mean style to
identities/engines/stylegan/directions.npz. The same seeds give the same file.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from multiprocessing import get_context
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

FIT_SEED = 20_261_201
MEAN_SAMPLES = 50_000
ALPHAS = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)
FOLDS = 5
CACHE = ROOT / "var" / "stylegan_fit_samples.npz"
OUT = ROOT / "identities" / "engines" / "stylegan" / "directions.npz"


def _setup() -> None:
    import django

    django.setup()


def _label_range(bounds: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    _setup()
    from identities.engines.stylegan.labels import NUMERIC, read_labels
    from identities.engines.stylegan.model import LAYERS, get_generator

    generator = get_generator()
    start, stop = bounds
    styles = np.zeros((stop - start, 512), np.float32)
    labels = np.full((stop - start, len(NUMERIC)), np.nan)
    faces = np.zeros(stop - start, np.int32)
    for row, index in enumerate(range(start, stop)):
        z = np.random.default_rng(np.random.SeedSequence([FIT_SEED, index])).standard_normal(512)
        w = generator.map(z[None])[0]
        reading = read_labels(generator.synthesize(np.repeat(w[None], LAYERS, axis=0)))
        styles[row], labels[row], faces[row] = w, reading.vector(), reading.faces
    return styles, labels, faces


def sample(count: int, workers: int) -> dict[str, np.ndarray]:
    step = 25
    chunks = [(i, min(count, i + step)) for i in range(0, count, step)]
    started = time.perf_counter()
    parts = []
    with get_context("spawn").Pool(workers) as pool:
        for done, part in enumerate(pool.imap(_label_range, chunks), start=1):
            parts.append(part)
            elapsed = time.perf_counter() - started
            print(f"  {min(count, done * step)}/{count} labelled, {elapsed:.0f} s", flush=True)
    styles, labels, faces = (np.concatenate(column) for column in zip(*parts, strict=True))
    return {"styles": styles, "labels": labels, "faces": faces}


def ridge(x: np.ndarray, y: np.ndarray, alpha: float) -> tuple[np.ndarray, float]:
    mean_x, mean_y = x.mean(axis=0), y.mean()
    xc = x - mean_x
    coef = np.linalg.solve(xc.T @ xc + alpha * np.eye(x.shape[1]), xc.T @ (y - mean_y))
    return coef, float(mean_y - mean_x @ coef)


def cross_validated_r2(x: np.ndarray, y: np.ndarray, alpha: float) -> float:
    folds = np.arange(len(y)) % FOLDS
    predicted = np.empty_like(y)
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        coef, intercept = ridge(x[train], y[train], alpha)
        predicted[test] = x[test] @ coef + intercept
    return float(1 - np.sum((y - predicted) ** 2) / np.sum((y - y.mean()) ** 2))


def fit(data: dict[str, np.ndarray], mean_style: np.ndarray) -> dict[str, np.ndarray]:
    from identities.engines.stylegan.labels import NUMERIC

    one_face = data["faces"] == 1
    coefs, intercepts, scores, spreads, quantiles = [], [], [], [], []
    for column, name in enumerate(NUMERIC):
        y = data["labels"][:, column]
        keep = one_face & np.isfinite(y)
        x = (data["styles"][keep] - mean_style).astype(np.float64)
        scored = [(cross_validated_r2(x, y[keep], alpha), alpha) for alpha in ALPHAS]
        r2, alpha = max(scored)
        coef, intercept = ridge(x, y[keep], alpha)
        print(f"  {name:<11} n={keep.sum():4d}  CV R² {r2:5.2f}  (alpha {alpha:g})")
        coefs.append(coef)
        intercepts.append(intercept)
        scores.append(r2)
        spreads.append(float(np.std(y[keep])))
        quantiles.append(np.percentile(y[keep], [10, 50, 90]))
    return {
        "names": np.array(NUMERIC),
        "coef": np.array(coefs, np.float32),
        "intercept": np.array(intercepts, np.float32),
        "r2": np.array(scores, np.float32),
        "label_std": np.array(spreads, np.float32),
        "label_quantiles": np.array(quantiles, np.float32),  # 10th, 50th, 90th percentile
        "mean_style": mean_style.astype(np.float32),
        "style_std": data["styles"].std(axis=0).astype(np.float32),
        "samples": np.array(int(one_face.sum())),
    }


def mean_style() -> np.ndarray:
    _setup()
    from identities.engines.stylegan.model import get_generator

    z = np.random.default_rng(np.random.SeedSequence([FIT_SEED, 1 << 30])).standard_normal(
        (MEAN_SAMPLES, 512)
    )
    return get_generator().map(z).mean(axis=0)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=1200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--refit", action="store_true", help="fit the cached samples only")
    args = parser.parse_args()
    if args.refit and CACHE.exists():
        data = dict(np.load(CACHE))
    else:
        print(f"Rendering and labelling {args.samples} samples on {args.workers} workers")
        data = sample(args.samples, args.workers)
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(CACHE, **data)
    print(
        f"{int((data['faces'] == 1).sum())} of {len(data['faces'])} samples show exactly one face"
    )
    result = fit(data, mean_style())
    np.savez_compressed(OUT, **result)
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
