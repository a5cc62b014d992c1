"""The face-analysis interface: detect, align, embed, compare.

A `FaceAnalyzer` pairs one detector with an optional recognizer. Detectors and recognizers are
small adapters (`yunet.py`, `sface.py`, `pack.py`) that work on BGR uint8 arrays, the layout
OpenCV and insightface use; the analyzer accepts PIL images too and does the conversion once.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from insightface.utils import face_align
from PIL import Image

from identities.imaging import to_bgr_array

ImageInput = Image.Image | np.ndarray


@dataclass(frozen=True, eq=False)
class DetectedFace:
    """One face: box corners in pixels, five landmarks and the detector's confidence.

    Landmarks follow insightface's order: right eye, left eye, nose tip, right mouth corner,
    left mouth corner ("right" is the subject's right, i.e. the left of the image).
    """

    bbox: tuple[float, float, float, float]
    landmarks: np.ndarray
    score: float

    @property
    def width(self) -> float:
        return max(0.0, self.bbox[2] - self.bbox[0])

    @property
    def height(self) -> float:
        return max(0.0, self.bbox[3] - self.bbox[1])

    @property
    def area(self) -> float:
        return self.width * self.height


class FaceDetector(Protocol):
    name: str
    threshold: float

    def detect(self, bgr: np.ndarray) -> list[DetectedFace]: ...


class FaceRecognizer(Protocol):
    name: str
    input_size: int

    def features(self, aligned_bgr: np.ndarray) -> np.ndarray:
        """Raw embedding of one aligned ``input_size``² BGR crop."""
        ...


class FaceAnalyzer:
    """Detection plus, where a recognition model is installed, embeddings."""

    def __init__(self, detector: FaceDetector, recognizer: FaceRecognizer | None = None):
        self.detector = detector
        self.recognizer = recognizer
        self.name = detector.name if recognizer is None else f"{detector.name}+{recognizer.name}"

    @property
    def detection_threshold(self) -> float:
        return self.detector.threshold

    def detect(self, image: ImageInput) -> list[DetectedFace]:
        """Faces in ``image``, largest first."""
        faces = self.detector.detect(as_bgr(image))
        return sorted(faces, key=lambda face: face.area, reverse=True)

    def align(self, image: ImageInput, face: DetectedFace, size: int = 112) -> np.ndarray:
        """The ArcFace-standard similarity-aligned crop (BGR, ``size``×``size``)."""
        with warnings.catch_warnings():
            # insightface calls scikit-image's deprecated SimilarityTransform.estimate; the
            # FutureWarning would otherwise repeat on every face.
            warnings.simplefilter("ignore", FutureWarning)
            return face_align.norm_crop(as_bgr(image), landmark=face.landmarks, image_size=size)

    def embed(self, image: ImageInput, face: DetectedFace) -> np.ndarray | None:
        """L2-normalised embedding of ``face``, or None when no recognizer is installed."""
        if self.recognizer is None:
            return None
        aligned = self.align(image, face, size=self.recognizer.input_size)
        vector = np.asarray(self.recognizer.features(aligned), dtype=np.float32).ravel()
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0 else vector

    @staticmethod
    def compare(a: np.ndarray, b: np.ndarray) -> float:
        """Cosine similarity of two embeddings (1 = same direction)."""
        a = np.asarray(a, dtype=np.float32).ravel()
        b = np.asarray(b, dtype=np.float32).ravel()
        denominator = float(np.linalg.norm(a) * np.linalg.norm(b))
        return float(np.dot(a, b) / denominator) if denominator > 0 else 0.0


def as_bgr(image: ImageInput) -> np.ndarray:
    """A contiguous HxWx3 uint8 BGR array from a PIL image or an OpenCV-style array."""
    if isinstance(image, Image.Image):
        return to_bgr_array(image)
    array = np.asarray(image)
    if array.dtype != np.uint8:
        raise TypeError(f"Expected a uint8 BGR array, got dtype {array.dtype}.")
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    if array.ndim != 3 or array.shape[2] not in (3, 4):
        raise ValueError(f"Expected an HxWx3 BGR array, got shape {array.shape}.")
    return np.ascontiguousarray(array[:, :, :3])
