"""Latents: drawn reproducibly from (seed, variation), kept with a draft as per-layer styles.

A draft's latent is its 23 x 512 W+ array — what the synthesis network drew from, so drawing the
same person again needs nothing else (not the candidate search, not the fitted directions, which
may be refitted). It is stored compactly: the distinct rows once (float32, base64) and, per
layer, which row it uses; a plain W latent is one row used 23 times, about 2.7 KB of text.
"""

from __future__ import annotations

import base64
import zlib

import numpy as np

from identities.engines.stylegan.model import LAYERS, STYLE_DIM

# ψ = 1: no truncation. Pulling styles towards the mean (ψ 0.7 is StyleGAN's usual demo value)
# makes cleaner pictures but narrows who appears: at 0.7 no deep skin tone showed in 400
# samples, and a casting tool that cannot show deep skin is broken.
PSI = 1.0
LATENT_FORMAT = "mobile_stylegan/w+/float32"
_STREAM = zlib.crc32(b"mobile_stylegan")


def candidate_latents(*, seed: int, variation: int, count: int) -> np.ndarray:
    """`count` normal latents (count x 512), the same for the same (seed, variation).

    Each variation draws from its own stream, so the variations of one instruction start from
    different people, never from neighbours of one face.
    """
    sequence = np.random.SeedSequence([int(seed) & 0xFFFFFFFF, int(variation) & 0xFFFF, _STREAM])
    return np.random.default_rng(sequence).standard_normal((count, STYLE_DIM), dtype=np.float32)


def truncate(styles: np.ndarray, mean_style: np.ndarray, psi: float = PSI) -> np.ndarray:
    return mean_style + psi * (styles - mean_style)


def as_layers(style: np.ndarray) -> np.ndarray:
    """One 512-d style repeated for every layer (23 x 512); W+ arrays pass through."""
    style = np.asarray(style, dtype=np.float32)
    if style.shape == (LAYERS, STYLE_DIM):
        return style
    return np.repeat(style.reshape(1, STYLE_DIM), LAYERS, axis=0)


def encode_latent(styles: np.ndarray) -> dict:
    """A JSON-safe record of a W+ latent (distinct rows + a row index per layer)."""
    styles = np.ascontiguousarray(as_layers(styles), dtype="<f4")
    rows, index = np.unique(styles, axis=0, return_inverse=True)
    return {
        "format": LATENT_FORMAT,
        "layers": LAYERS,
        "rows": base64.b64encode(np.ascontiguousarray(rows, dtype="<f4").tobytes()).decode(),
        "layer_rows": [int(i) for i in np.asarray(index).ravel()],
    }


def decode_latent(record: dict) -> np.ndarray:
    """The 23 x 512 float32 array `encode_latent` recorded; ValueError for anything else."""
    if not isinstance(record, dict) or record.get("format") != LATENT_FORMAT:
        raise ValueError("not a mobile_stylegan latent")
    rows = np.frombuffer(base64.b64decode(record["rows"]), dtype="<f4").reshape(-1, STYLE_DIM)
    index = np.asarray(record["layer_rows"], dtype=int)
    if index.shape != (LAYERS,) or index.min() < 0 or index.max() >= len(rows):
        raise ValueError("latent layer index out of range")
    return rows[index].astype(np.float32)
