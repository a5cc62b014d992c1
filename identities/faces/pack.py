"""An insightface model pack (e.g. buffalo_l) loaded from a local directory, never downloaded.

insightface's own loaders do the work: `FaceAnalysis` routes every ``*.onnx`` in the directory
(or the tasks a v2 ``manifest.json`` declares) through `model_zoo.get_model`, which classifies a
graph with five or more outputs as an SCRFD detector and a square ≥112 px input as an ArcFace
recognizer. We ask only for detection and recognition.

`FaceAnalysis(name=...)` downloads when ``name`` is not an existing directory, so the directory
is checked here first and a missing or incomplete pack is a configuration error.

The insightface packs are licensed for non-commercial research only; a deployment that sets
``CASTLESS_FACE_MODEL_DIR`` needs its own licence for the models it points at.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
from django.core.exceptions import ImproperlyConfigured

from identities.faces.base import DetectedFace
from identities.faces.prepare import session_options

logger = logging.getLogger(__name__)

PACK_MODULES = ["detection", "recognition"]
MANIFEST = "manifest.json"


class PackDetector:
    """An insightface SCRFD model as a `FaceDetector`."""

    def __init__(self, model: Any, *, name: str):
        self._model = model
        self.name = name

    @property
    def threshold(self) -> float:
        return float(self._model.det_thresh)

    def detect(self, bgr: np.ndarray) -> list[DetectedFace]:
        boxes, landmarks = self._model.detect(bgr, max_num=0)
        return [
            DetectedFace(
                bbox=tuple(float(value) for value in box[:4]),
                landmarks=np.asarray(points, dtype=np.float32).reshape(5, 2),
                score=float(box[4]),
            )
            for box, points in zip(boxes, landmarks, strict=True)
        ]


class PackRecognizer:
    """An insightface ArcFace model as a `FaceRecognizer`."""

    def __init__(self, model: Any, *, name: str):
        self._model = model
        self.name = name
        self.input_size = int(model.input_size[0])

    def features(self, aligned_bgr: np.ndarray) -> np.ndarray:
        return self._model.get_feat(aligned_bgr)[0]


def load_pack(
    directory: Path,
    *,
    threads: int = 1,
    det_thresh: float = 0.5,
    det_size: tuple[int, int] | None = None,
) -> tuple[PackDetector, PackRecognizer | None]:
    """The pack's detector and, if it has one, its recognizer.

    ``det_size`` None keeps insightface's default for dynamic detectors: a 128×128 and a
    640×640 pass, merged, so a face filling a close-up portrait is found as well as a small one.

    Raises ImproperlyConfigured when the directory is missing, holds no models, or has no
    detector with five-point landmarks (alignment needs them).
    """
    directory = _checked_directory(directory)
    # Imported lazily: insightface's app module is heavy and only packs need it.
    from insightface.app import FaceAnalysis

    try:
        app = FaceAnalysis(
            name=str(directory),
            allowed_modules=PACK_MODULES,
            providers=["CPUExecutionProvider"],
            sess_options=session_options(threads),
        )
    except AssertionError as exc:
        # FaceAnalysis asserts a detection model was found.
        raise ImproperlyConfigured(
            f"CASTLESS_FACE_MODEL_DIR={directory} has no face detection model "
            "(an SCRFD graph such as det_10g.onnx)."
        ) from exc
    except (OSError, ValueError, RuntimeError) as exc:
        raise ImproperlyConfigured(
            f"CASTLESS_FACE_MODEL_DIR={directory} could not be loaded: {exc}"
        ) from exc
    app.prepare(ctx_id=0, det_thresh=det_thresh, det_size=det_size)
    detection = app.models["detection"]
    if not getattr(detection, "use_kps", False):
        raise ImproperlyConfigured(
            f"The detector in CASTLESS_FACE_MODEL_DIR={directory} gives no facial landmarks, "
            "which alignment needs; use an SCRFD model with keypoints (e.g. det_10g.onnx)."
        )
    _log_licence(directory)
    prefix = f"insightface:{directory.name}"
    detector = PackDetector(detection, name=f"{prefix}:{Path(detection.model_file).stem}")
    recognition = app.models.get("recognition")
    recognizer = (
        None
        if recognition is None
        else PackRecognizer(recognition, name=Path(recognition.model_file).stem)
    )
    return detector, recognizer


def _log_licence(directory: Path) -> None:
    from insightface.model_zoo.model_license import (
        STATUS_VERIFIED_COMMERCIAL,
        inspect_model_package_license,
    )

    # insightface reads a signed MODEL.LICENSE if the pack carries one; without it the pack
    # falls under the public non-commercial terms, which an operator should hear about.
    inspection = inspect_model_package_license(directory)
    level = logging.INFO if inspection.status == STATUS_VERIFIED_COMMERCIAL else logging.WARNING
    logger.log(
        level,
        "insightface model pack %s: licence %s (%s)",
        directory,
        inspection.status,
        inspection.message,
    )


def _checked_directory(directory: Path) -> Path:
    directory = Path(directory).expanduser()
    if not directory.is_dir():
        raise ImproperlyConfigured(
            f"CASTLESS_FACE_MODEL_DIR={directory} is not a directory. Unpack an insightface "
            "model pack there (models are never downloaded), or unset it to use the embedded "
            "YuNet/SFace models."
        )
    if not (directory / MANIFEST).is_file() and not any(directory.glob("*.onnx")):
        raise ImproperlyConfigured(f"CASTLESS_FACE_MODEL_DIR={directory} holds no .onnx models.")
    return directory.resolve()
