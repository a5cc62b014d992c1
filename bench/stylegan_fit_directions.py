"""Fit MobileStyleGAN's brief directions from labelled samples; writes directions.npz.

    CASTLESS_ENABLE_MOBILE_STYLEGAN=true \
    .venv/bin/python bench/stylegan_fit_directions.py [--samples 1200] [--workers 2] [--refit]

Samples latent i from the seed sequence (FIT_SEED, i), renders it at ψ = 1, labels the photo
with the independent readers (identities/engines/stylegan/labels.py) and keeps the mapped style
and its labels in a cache under var/ (so a refit does not re-render; `--samples` above the
cache's count renders only the new ones). Then fits, from the 512-d style:

- per numeric label, a ridge regression (the penalty chosen by 5-fold cross-validated R²);
- per category a brief can ask for and the readers name — each hair colour family (blonde,
  brown, black, red, grey, where the hair reader named a colour) and facial hair present (on
  faces the gender network calls male with 0.8 certainty, as From Image reads it), and a minor
  (the age network reads under 18, on any face) — an
  L2-penalised logistic regression whose linear output is the log-odds (the penalty chosen by
  5-fold cross-validated log-loss; the printed "R²" is that of the predicted probability);

and writes the linear predictors, their kinds and the mean style to
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
LOGIT_PENALTIES = (10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0)
FOLDS = 5
CACHE = ROOT / "var" / "stylegan_fit_samples_v2.npz"
OUT = ROOT / "identities" / "engines" / "stylegan" / "directions.npz"
# Hair colour families as the brief-fidelity bench scores them (bench/brief_fidelity.py).
FAMILIES = ("blonde", "brown", "black", "red", "grey")
FAMILY_OF = {
    **dict.fromkeys(
        ("platinum blonde", "ash blonde", "golden blonde", "strawberry blonde"), "blonde"
    ),
    **dict.fromkeys(("light brown", "chestnut", "dark brown"), "brown"),
    **dict.fromkeys(("black", "jet-black"), "black"),
    **dict.fromkeys(("auburn", "red", "copper"), "red"),
    **dict.fromkeys(("grey", "silver", "white"), "grey"),
}
SURELY_MALE = 0.8
# Every identity is an adult: the age network reading under this is a "minor" sample.
MINOR_AGE = 18.0


def _setup() -> None:
    import django

    django.setup()


def _label_range(bounds: tuple[int, int]) -> dict[str, np.ndarray]:
    _setup()
    from identities.engines.stylegan.labels import NUMERIC, read_labels
    from identities.engines.stylegan.model import LAYERS, get_generator

    generator = get_generator()
    start, stop = bounds
    n = stop - start
    out = {
        "styles": np.zeros((n, 512), np.float32),
        "labels": np.full((n, len(NUMERIC)), np.nan),
        "faces": np.zeros(n, np.int32),
        "family": np.full(n, -1, np.int32),  # index into FAMILIES, -1: no colour named
        "bearded": np.full(n, -1, np.int32),  # 1 / 0 on surely-male faces, -1 elsewhere
    }
    for row, index in enumerate(range(start, stop)):
        z = np.random.default_rng(np.random.SeedSequence([FIT_SEED, index])).standard_normal(512)
        w = generator.map(z[None])[0]
        reading = read_labels(generator.synthesize(np.repeat(w[None], LAYERS, axis=0)))
        out["styles"][row], out["labels"][row] = w, reading.vector()
        out["faces"][row] = reading.faces
        family = FAMILY_OF.get(reading.hair_colour or "")
        if family is not None:
            out["family"][row] = FAMILIES.index(family)
        male = reading.gender == "male" and reading.gender_probability >= SURELY_MALE
        if male and reading.skin_chip:
            out["bearded"][row] = int(reading.facial_hair is not None)
    return out


def sample(start: int, count: int, workers: int) -> dict[str, np.ndarray]:
    step = 25
    chunks = [(i, min(count, i + step)) for i in range(start, count, step)]
    started = time.perf_counter()
    parts = []
    with get_context("spawn").Pool(workers) as pool:
        for done, part in enumerate(pool.imap(_label_range, chunks), start=1):
            parts.append(part)
            elapsed = time.perf_counter() - started
            print(
                f"  {min(count, start + done * step)}/{count} labelled, {elapsed:.0f} s", flush=True
            )
    return {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}


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


def logistic(x: np.ndarray, y: np.ndarray, penalty: float) -> tuple[np.ndarray, float]:
    """L2-penalised logistic regression by Newton's method (the intercept unpenalised)."""
    design = np.hstack([x, np.ones((len(x), 1))])
    weights = np.zeros(design.shape[1])
    ridge_matrix = penalty * np.eye(design.shape[1])
    ridge_matrix[-1, -1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ weights, -30, 30)))
        gradient = design.T @ (p - y) + ridge_matrix @ weights
        hessian = (design * (p * (1 - p))[:, None]).T @ design + ridge_matrix
        step = np.linalg.solve(hessian + 1e-9 * np.eye(len(weights)), gradient)
        weights -= step
        if np.max(np.abs(step)) < 1e-6:
            break
    return weights[:-1], float(weights[-1])


def cross_validated_logistic(x: np.ndarray, y: np.ndarray, penalty: float) -> tuple[float, float]:
    """(mean log-loss, R² of the probability) over the folds."""
    folds = np.arange(len(y)) % FOLDS
    p = np.empty_like(y)
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        coef, intercept = logistic(x[train], y[train], penalty)
        p[test] = 1.0 / (1.0 + np.exp(-np.clip(x[test] @ coef + intercept, -30, 30)))
    p = np.clip(p, 1e-6, 1 - 1e-6)
    loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return loss, float(1 - np.sum((y - p) ** 2) / np.sum((y - y.mean()) ** 2))


def _categories(data: dict[str, np.ndarray]) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(name, which samples, 0/1 outcome) for every logit label."""
    from identities.engines.stylegan.labels import NUMERIC

    out = []
    named = data["family"] >= 0
    for index, family in enumerate(FAMILIES):
        out.append((f"hair_{family}", named, (data["family"] == index).astype(np.float64)))
    male = data["bearded"] >= 0
    out.append(("bearded", male, (data["bearded"] == 1).astype(np.float64)))
    age = data["labels"][:, NUMERIC.index("age")]
    out.append(("minor", np.isfinite(age), (age < MINOR_AGE).astype(np.float64)))
    return out


def fit(data: dict[str, np.ndarray], mean_style: np.ndarray) -> dict[str, np.ndarray]:
    from identities.engines.stylegan.labels import NUMERIC

    one_face = data["faces"] == 1
    names, kinds, coefs, intercepts, scores, spreads, quantiles = ([] for _ in range(7))
    for column, name in enumerate(NUMERIC):
        y = data["labels"][:, column]
        keep = one_face & np.isfinite(y)
        x = (data["styles"][keep] - mean_style).astype(np.float64)
        scored = [(cross_validated_r2(x, y[keep], alpha), alpha) for alpha in ALPHAS]
        r2, alpha = max(scored)
        coef, intercept = ridge(x, y[keep], alpha)
        print(f"  {name:<12} n={keep.sum():4d}  CV R² {r2:5.2f}  (alpha {alpha:g})")
        names.append(name)
        kinds.append("linear")
        coefs.append(coef)
        intercepts.append(intercept)
        scores.append(r2)
        spreads.append(float(np.std(y[keep])))
        quantiles.append(np.percentile(y[keep], [10, 50, 90]))
    for name, among, y in _categories(data):
        keep = one_face & among
        x = (data["styles"][keep] - mean_style).astype(np.float64)
        scored = [(*cross_validated_logistic(x, y[keep], c), c) for c in LOGIT_PENALTIES]
        loss, r2, penalty = min(scored)
        coef, intercept = logistic(x, y[keep], penalty)
        logits = x @ coef + intercept
        print(
            f"  {name:<12} n={keep.sum():4d}  {int(y[keep].sum()):4d} positive  CV log-loss "
            f"{loss:.3f}, R² {r2:5.2f}  (penalty {penalty:g})"
        )
        names.append(name)
        kinds.append("logit")
        coefs.append(coef)
        intercepts.append(intercept)
        scores.append(r2)
        spreads.append(float(np.std(logits)))
        quantiles.append(np.percentile(logits, [10, 50, 90]))
    return {
        "names": np.array(names),
        "kinds": np.array(kinds),
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
    data = dict(np.load(CACHE)) if CACHE.exists() else None
    have = 0 if data is None else len(data["faces"])
    if not args.refit and have < args.samples:
        print(f"Rendering and labelling samples {have}–{args.samples} on {args.workers} workers")
        new = sample(have, args.samples, args.workers)
        data = new if data is None else {k: np.concatenate([data[k], new[k]]) for k in data}
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(CACHE, **data)
    if data is None:
        print("no cached samples: run without --refit first")
        return 1
    data = {key: value[: args.samples] for key, value in data.items()}
    print(
        f"{int((data['faces'] == 1).sum())} of {len(data['faces'])} samples show exactly one face"
    )
    result = fit(data, mean_style())
    np.savez_compressed(OUT, **result)
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
