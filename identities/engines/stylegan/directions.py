"""The fitted directions (directions.npz, written by bench/stylegan_fit_directions.py): per
label, a linear predictor over the 512-wide style vector, in label units ("linear") or as the
log-odds of a category ("logit"), with how well it fits and the label's spread."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DIRECTIONS_FILE = Path(__file__).with_name("directions.npz")


@dataclass(frozen=True)
class Directions:
    names: tuple[str, ...]
    kinds: tuple[str, ...]  # "linear": label units; "logit": log-odds of a category
    coef: np.ndarray  # k x 512
    intercept: np.ndarray
    r2: np.ndarray
    quantiles: np.ndarray  # k x 3: 10th, 50th, 90th percentile of the label
    mean_style: np.ndarray
    spread: float  # norm of the per-axis standard deviations of mapped styles

    def index(self, label: str) -> int:
        return self.names.index(label)

    def predict(self, styles: np.ndarray) -> np.ndarray:
        """n x k predicted labels for n x 512 styles."""
        return (np.atleast_2d(styles) - self.mean_style) @ self.coef.T + self.intercept

    def quantile(self, label: str, which: int) -> float:
        return float(self.quantiles[self.index(label), which])


@functools.cache
def load_directions(path: Path = DIRECTIONS_FILE) -> Directions:
    with np.load(path) as data:
        return Directions(
            names=tuple(str(name) for name in data["names"]),
            kinds=tuple(str(kind) for kind in data["kinds"]),
            coef=data["coef"].astype(np.float64),
            intercept=data["intercept"].astype(np.float64),
            r2=data["r2"].astype(np.float64),
            quantiles=data["label_quantiles"].astype(np.float64),
            mean_style=data["mean_style"].astype(np.float64),
            spread=float(np.linalg.norm(data["style_std"])),
        )


def smallest_move(matrix: np.ndarray, gap: np.ndarray, *, limit: float) -> np.ndarray:
    """The minimum-norm move with matrix @ move = gap (one row per label's direction), lightly
    damped for near-parallel rows, scaled down to at most `limit` long."""
    gram = matrix @ matrix.T
    move = matrix.T @ np.linalg.solve(
        gram + 1e-3 * np.trace(gram) / len(gram) * np.eye(len(gram)), gap
    )
    norm = float(np.linalg.norm(move))
    if norm > limit:
        move *= limit / norm
    return move
