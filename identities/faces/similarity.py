"""Same person or not: the cosine of two SFace embeddings against a calibrated threshold.

SFace's published threshold (0.363, tuned on LFW photographs) is too loose for generated faces:
different MobileStyleGAN people reach 0.56 and every in-house painter face scores 0.63–0.92 to
every other. ``SAME_PERSON`` is calibrated on our own images by ``bench/face_thresholds.py``
(distributions in the README's "Face thresholds" section); re-run it when a recogniser or an
engine changes.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "SAME_PERSON",
    "as_embedding",
    "cosine",
    "same_person",
    "similarity_words",
]

# Calibrated by bench/face_thresholds.py (see README, "Face thresholds").
SAME_PERSON = 0.6

Embedding = np.ndarray | bytes | memoryview


def as_embedding(value: Embedding) -> np.ndarray:
    """A float32 vector from an array or from the little-endian float32 bytes an identity stores."""
    if isinstance(value, bytes | bytearray | memoryview):
        return np.frombuffer(bytes(value), dtype="<f4").astype(np.float32)
    return np.asarray(value, dtype=np.float32).ravel()


def cosine(a: Embedding, b: Embedding) -> float:
    """Cosine similarity of two embeddings (1 = same direction, 0 when either is empty)."""
    first, second = as_embedding(a), as_embedding(b)
    if first.shape != second.shape:
        raise ValueError(f"Embeddings differ in size: {first.size} and {second.size}.")
    denominator = float(np.linalg.norm(first) * np.linalg.norm(second))
    return float(np.dot(first, second) / denominator) if denominator > 0 else 0.0


def same_person(a: Embedding, b: Embedding, *, threshold: float = SAME_PERSON) -> bool:
    """Whether two faces are, to the recogniser, one person."""
    return cosine(a, b) >= threshold


def similarity_words(similarity: float) -> str:
    """How a similarity reads to a person choosing whether to keep a face."""
    if similarity >= 0.8:
        return "almost certainly the same person"
    if similarity >= SAME_PERSON:
        return "likely the same person"
    if similarity >= 0.45:
        return "a resemblance, but likely different people"
    return "different people"
